"""Appointing co-moderators and facilitators on one event (organizers only)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..choices import ModeratorRole
from ..exceptions import Forbidden, NotFound
from ..models import Event, EventModerator, User
from ..permissions import can_appoint_moderators


@transaction.atomic
def moderator_appoint(
    *, actor: User, event: Event, user: User, role: str = ModeratorRole.MODERATOR
) -> tuple[EventModerator, bool]:
    """Appoint ``user`` on ``event`` (or change its role); ``created`` is False when the
    account was already appointed. Idempotent under concurrent calls (unique constraint)."""
    if not can_appoint_moderators(actor, event):
        raise Forbidden(_("Only organizers can appoint moderators."))
    if role not in ModeratorRole.values:
        raise ValidationError({"role": _("Choose moderator or facilitator.")})
    if not isinstance(user, User) or not user.is_active:
        raise ValidationError({"user": _("Choose an active account.")})
    existing = EventModerator.objects.filter(event=event, user=user).first()
    if existing is not None:
        if existing.role != role:
            EventModerator.objects.filter(pk=existing.pk).update(role=role)
            existing.role = role
        return existing, False
    appointment = EventModerator(event=event, user=user, role=role, appointed_by=actor)
    appointment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError:
        return EventModerator.objects.get(event=event, user=user), False
    return appointment, True


@transaction.atomic
def moderator_remove(*, actor: User, event: Event, user: User) -> None:
    """Withdraw an appointment; the account's next action on the event is refused."""
    if not can_appoint_moderators(actor, event):
        raise Forbidden(_("Only organizers can appoint moderators."))
    deleted, _rows = EventModerator.objects.filter(event=event, user=user).delete()
    if not deleted:
        raise NotFound(_("This account does not help run this event."))
