from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..choices import EventStatus, RegistrationRole
from ..exceptions import Conflict, Forbidden
from ..models import Event, Organization, Registration, Theme, TimeSlot, User
from ..models.events import (  # noqa: F401 - normalize_join_code: its callers' old home
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    normalize_join_code,
)
from ..permissions import (
    can_change_registration,
    can_manage_organization,
    can_see_event,
    is_expert,
    is_organizer,
)
from . import board
from .unset import UNSET, Unset, assign, given


def generate_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def _require_organizer(actor: User) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can do this."))


@transaction.atomic
def event_create(
    *,
    actor: User,
    title_fr: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    description_fr: str | Unset = UNSET,
    description_en: str | Unset = UNSET,
    starts_at: datetime | Unset = UNSET,
    ends_at: datetime | Unset = UNSET,
    venue: str | Unset = UNSET,
    online_url: str | Unset = UNSET,
    region: str | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    capacity: int | None | Unset = UNSET,
    status: str | Unset = UNSET,
    moderation: str | Unset = UNSET,
    board_locked: bool | Unset = UNSET,
    partners: Iterable[Organization] | Unset = UNSET,
    sponsors: Iterable[Organization] | Unset = UNSET,
) -> Event:
    """A new event with its join code; what is not given takes the model's default (a
    board locked from the start has nothing to log: nobody is on it yet)."""
    fields = given(locals(), "actor", "partners", "sponsors")
    _require_organizer(actor)
    event = Event(**fields, created_by=actor)
    for _attempt in range(10):
        event.join_code = generate_join_code()
        if not Event.objects.filter(join_code=event.join_code).exists():
            break
    event.full_clean()
    event.save()
    _set_backers(event, partners=partners, sponsors=sponsors)
    return event


def _set_backers(event: Event, *, partners, sponsors) -> None:
    if partners is not UNSET:
        event.partners.set(partners)
    if sponsors is not UNSET:
        event.sponsors.set(sponsors)


@transaction.atomic
def event_update(
    *,
    actor: User,
    event: Event,
    title_fr: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    description_fr: str | Unset = UNSET,
    description_en: str | Unset = UNSET,
    starts_at: datetime | Unset = UNSET,
    ends_at: datetime | Unset = UNSET,
    venue: str | Unset = UNSET,
    online_url: str | Unset = UNSET,
    region: str | Unset = UNSET,
    languages: list[str] | Unset = UNSET,
    capacity: int | None | Unset = UNSET,
    status: str | Unset = UNSET,
    moderation: str | Unset = UNSET,
    board_locked: bool | Unset = UNSET,
    partners: Iterable[Organization] | Unset = UNSET,
    sponsors: Iterable[Organization] | Unset = UNSET,
) -> Event:
    """Change an event; locking the board goes through the board service (logged and
    broadcast like a lock from the board)."""
    fields = given(locals(), "actor", "event", "board_locked", "partners", "sponsors")
    _require_organizer(actor)
    was_closed = Event.objects.filter(pk=event.pk, status=EventStatus.CLOSED).exists()
    assign(event, fields)
    event.full_clean()
    event.save()
    _set_backers(event, partners=partners, sponsors=sponsors)
    if board_locked is not UNSET and board_locked != event.board_locked:
        board.board_set_locked(actor=actor, event=event, locked=board_locked)
        event.refresh_from_db()
    elif was_closed != (event.status == EventStatus.CLOSED) and not event.board_locked:
        # Closing or reopening the event locks or unlocks the board on every open phone.
        board.board_announce_locked(event_id=event.pk)
    return event


@transaction.atomic
def event_delete(*, actor: User, event: Event) -> None:
    _require_organizer(actor)
    event.delete()


@transaction.atomic
def theme_create(
    *,
    actor: User,
    event: Event,
    name_fr: str = "",
    name_en: str = "",
    description_fr: str = "",
    description_en: str = "",
    position: int | None = None,
) -> Theme:
    _require_organizer(actor)
    if position is None:
        position = event.themes.count()
    theme = Theme(
        event=event,
        name_fr=name_fr,
        name_en=name_en,
        description_fr=description_fr,
        description_en=description_en,
        position=position,
    )
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(
    *,
    actor: User,
    theme: Theme,
    name_fr: str | Unset = UNSET,
    name_en: str | Unset = UNSET,
    description_fr: str | Unset = UNSET,
    description_en: str | Unset = UNSET,
    position: int | Unset = UNSET,
) -> Theme:
    changes = given(locals(), "actor", "theme")
    _require_organizer(actor)
    assign(theme, changes)
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_delete(*, actor: User, theme: Theme) -> None:
    _require_organizer(actor)
    theme.delete()


@transaction.atomic
def slot_create(
    *,
    actor: User,
    event: Event,
    title_fr: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    starts_at: datetime | Unset = UNSET,
    ends_at: datetime | Unset = UNSET,
    room: str | Unset = UNSET,
    theme: Theme | None | Unset = UNSET,
) -> TimeSlot:
    fields = given(locals(), "actor")
    _require_organizer(actor)
    slot = TimeSlot(**fields)
    _check_slot_theme(slot)
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def slot_update(
    *,
    actor: User,
    slot: TimeSlot,
    title_fr: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    kind: str | Unset = UNSET,
    starts_at: datetime | Unset = UNSET,
    ends_at: datetime | Unset = UNSET,
    room: str | Unset = UNSET,
    theme: Theme | None | Unset = UNSET,
) -> TimeSlot:
    changes = given(locals(), "actor", "slot")
    _require_organizer(actor)
    assign(slot, changes)
    _check_slot_theme(slot)
    slot.full_clean()
    slot.save()
    return slot


def _check_slot_theme(slot: TimeSlot) -> None:
    if slot.theme_id and slot.theme.event_id != slot.event_id:
        raise ValidationError({"theme": _("This theme belongs to another event.")})


@transaction.atomic
def slot_delete(*, actor: User, slot: TimeSlot) -> None:
    _require_organizer(actor)
    slot.delete()


def _clean_windows(available) -> list[dict]:
    """Validate ``[{starts_at, ends_at}]`` and store ISO 8601 strings."""
    if available in (None, ""):
        return []
    if not isinstance(available, list) or len(available) > 50:
        raise ValidationError({"available": _("Give a list of {starts_at, ends_at} windows.")})
    windows = []
    for item in available:
        if not isinstance(item, dict):
            raise ValidationError({"available": _("Each window is {starts_at, ends_at}.")})
        bounds = []
        for key in ("starts_at", "ends_at"):
            value = item.get(key)
            if isinstance(value, datetime):
                parsed = value
            else:
                try:
                    parsed = parse_datetime(str(value)) if value is not None else None
                except ValueError:
                    parsed = None
            if parsed is None:
                raise ValidationError({"available": _("Each window needs valid dates.")})
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            bounds.append(parsed)
        if bounds[1] <= bounds[0]:
            raise ValidationError({"available": _("A window must end after it starts.")})
        windows.append({"starts_at": bounds[0].isoformat(), "ends_at": bounds[1].isoformat()})
    return windows


MAX_MEETINGS_WISH = 48


def _clean_max_meetings(value) -> int | None:
    """An organisation's wish or an expert's limit of consultations: empty, or 0..48."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MEETINGS_WISH:
        raise ValidationError(
            {
                "max_meetings": _("Give a whole number from 0 to %(n)d, or nothing.")
                % {"n": MAX_MEETINGS_WISH}
            }
        )
    return value


@transaction.atomic
def registration_create(
    *,
    actor: User,
    event: Event,
    role: str,
    organization=None,
    available=None,
    max_meetings: int | None = None,
) -> Registration:
    """Register oneself (expert, participant) or one's organisation for an event."""
    if event.status == EventStatus.CLOSED:
        raise Conflict(_("This event is closed."), code="event_closed")
    if not can_see_event(actor, event):
        raise Conflict(_("This event is not open for registration yet."), code="event_draft")
    if role not in RegistrationRole.values:
        raise ValidationError({"role": _("Choose organisation, expert or participant.")})
    if role == RegistrationRole.ORGANIZATION:
        if organization is None:
            raise ValidationError({"organization": _("Choose the organisation to register.")})
        if not can_manage_organization(actor, organization):
            raise Forbidden(_("You can only register an organisation you belong to."))
    else:
        organization = None
    if role == RegistrationRole.EXPERT and not is_expert(actor):
        raise Forbidden(_("Create your expert profile before registering as an expert."))
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise Conflict(_("This event is full."), code="event_full")
    registration = Registration(
        event=event,
        role=role,
        user=actor,
        organization=organization,
        available=_clean_windows(available)
        if role in (RegistrationRole.EXPERT, RegistrationRole.ORGANIZATION)
        else [],
        max_meetings=_clean_max_meetings(max_meetings)
        if role in (RegistrationRole.EXPERT, RegistrationRole.ORGANIZATION)
        else None,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        raise Conflict(_("Already registered for this event."), code="already_registered") from exc
    return registration


@transaction.atomic
def registration_update(
    *, actor: User, registration: Registration, available=None, max_meetings=UNSET
) -> Registration:
    if not can_change_registration(actor, registration):
        raise Forbidden(_("You can only change your own registration."))
    if available is not None and registration.role != RegistrationRole.PARTICIPANT:
        registration.available = _clean_windows(available)
    if max_meetings is not UNSET and registration.role != RegistrationRole.PARTICIPANT:
        registration.max_meetings = _clean_max_meetings(max_meetings)
    registration.save()
    return registration


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> None:
    if not can_change_registration(actor, registration):
        raise Forbidden(_("You can only cancel your own registration."))
    registration.delete()


@transaction.atomic
def registration_check_in(
    *, actor: User, registration: Registration, undo: bool = False
) -> Registration:
    """Check a person in at the door (compare-and-set: two volunteers, one check-in)."""
    _require_organizer(actor)
    qs = Registration.objects.filter(pk=registration.pk)
    if undo:
        qs.update(checked_in_at=None)
    else:
        qs.filter(checked_in_at__isnull=True).update(checked_in_at=timezone.now())
    registration.refresh_from_db()
    return registration
