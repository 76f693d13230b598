"""The right to be forgotten: an account or a guest goes, what it wrote stays, unnamed.

``user_delete`` removes the account and everything that only describes the person
(profile, memberships, tokens, notifications, follows…); ideas, comments, help-request
messages and project updates stay, under ``neutral_name()``. Copies of the name that
the product wrote elsewhere (the board log, notifications sent to others, the admin's
history) are rewritten in the same transaction. ``participant_erase`` does the same for
one board guest; ``guests_purge`` applies it to every guest past the retention period.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..choices import HelpStatus, RegistrationRole
from ..models import (
    BoardEvent,
    Comment,
    HelpRequest,
    Idea,
    Membership,
    Notification,
    Participant,
    Registration,
    User,
)
from ..permissions import is_account


def neutral_name() -> str:
    """The name that replaces a deleted person's, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymous")


def _scrub_payload(value, *, idea_ids: set[int], comment_ids: set[int], name: str):
    """``value`` with ``author_name`` replaced on the ideas and comments given."""
    if isinstance(value, list):
        return [
            _scrub_payload(v, idea_ids=idea_ids, comment_ids=comment_ids, name=name) for v in value
        ]
    if not isinstance(value, dict):
        return value
    out = {
        k: _scrub_payload(v, idea_ids=idea_ids, comment_ids=comment_ids, name=name)
        for k, v in value.items()
    }
    if out.get("author_name"):
        ids = comment_ids if "idea" in out and isinstance(out.get("idea"), int) else idea_ids
        if out.get("id") in ids:
            out["author_name"] = name
    return out


def _erase_participants(participants: list[Participant], name: str) -> None:
    """Rename guests and the copies of their name in their events' board logs."""
    if not participants:
        return
    ids = [p.pk for p in participants]
    idea_ids = set(Idea.objects.filter(author_id__in=ids).values_list("pk", flat=True))
    comment_ids = set(Comment.objects.filter(participant_id__in=ids).values_list("pk", flat=True))
    Participant.objects.filter(pk__in=ids).update(
        display_name=name, user=None, erased_at=timezone.now()
    )
    if not (idea_ids or comment_ids):
        return
    events = {p.event_id for p in participants}
    for entry in BoardEvent.objects.filter(event_id__in=events).only("pk", "payload"):
        payload = _scrub_payload(
            entry.payload, idea_ids=idea_ids, comment_ids=comment_ids, name=name
        )
        if payload != entry.payload:
            BoardEvent.objects.filter(pk=entry.pk).update(payload=payload)


def _replace_names(text: str, names: list[str], name: str) -> str:
    for old in names:
        if old:
            text = text.replace(old, name)
    return text


@transaction.atomic
def user_delete(*, user: User, password: str) -> None:
    """Delete the caller's account after checking its password (``DELETE /api/me/``)."""
    if not is_account(user) or not user.check_password(password or ""):
        raise ValidationError({"password": _("Wrong password.")})
    user_erase(user=user)


@transaction.atomic
def user_erase(*, user: User) -> None:
    """Remove an account; its content stays under ``neutral_name()``."""
    from .help import help_request_release

    name = neutral_name()
    names = sorted({user.public_name, user.display_name, user.username}, key=len, reverse=True)
    # A request the person holds goes back to the open queue (told to its organisation).
    held = HelpRequest.objects.filter(
        claimed_by=user, status__in=[HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS]
    )
    for help_request in held:
        help_request_release(actor=user, help_request=help_request)
    # An organisation's registration stays with the organisation: another member holds it.
    for registration in Registration.objects.filter(
        user=user, role=RegistrationRole.ORGANIZATION
    ).select_related("organization"):
        other = (
            Membership.objects.filter(organization_id=registration.organization_id)
            .exclude(user=user)
            .order_by("role", "pk")
            .first()
        )
        if other is not None:
            Registration.objects.filter(pk=registration.pk).update(user_id=other.user_id)
    _erase_participants(list(Participant.objects.filter(user=user)), name)
    # Notifications others received about what this person did carry the name.
    for notification in Notification.objects.filter(payload__actor=user.pk).exclude(recipient=user):
        Notification.objects.filter(pk=notification.pk).update(
            title=_replace_names(notification.title, names, name),
            body=_replace_names(notification.body, names, name),
        )
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=name, change_message="")
    user.delete()


@transaction.atomic
def participant_erase(*, participant: Participant) -> None:
    """A guest removes its name (``DELETE /api/participants/me/``): its ideas, comments
    and votes stay, under ``neutral_name()``, and its token stops working."""
    _erase_participants([participant], neutral_name())


GUEST_RETENTION_DAYS = 90


@transaction.atomic
def guests_purge(*, older_than_days: int = GUEST_RETENTION_DAYS) -> int:
    """Anonymise guests (no account) of events that ended more than ``older_than_days``
    ago; returns how many were anonymised."""
    if older_than_days < 0:
        raise ValidationError({"older_than": _("Give a number of days, 0 or more.")})
    cutoff = timezone.now() - timedelta(days=older_than_days)
    guests = list(
        Participant.objects.filter(
            Q(event__ends_at__lt=cutoff), user__isnull=True, erased_at__isnull=True
        )
    )
    _erase_participants(guests, neutral_name())
    return len(guests)
