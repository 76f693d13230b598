"""Reads of the consultation schedule shared by the API, the pages, the iCalendar and the PDF.

Each function reads in a constant number of queries, whatever the number of meetings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..matching import _join, language_name
from ..models import Event, Meeting, Membership, Organization, Schedule, User
from ..permissions import can_see_agenda_of_expert, can_see_agenda_of_organization
from .people import skill_names


def schedule_of(event: Event) -> Schedule | None:
    return Schedule.objects.filter(event=event).select_related("event").first()


def round_times(schedule: Schedule) -> list[tuple[datetime, datetime]]:
    return [(parse_datetime(r["starts_at"]), parse_datetime(r["ends_at"])) for r in schedule.rounds]


def reasons(meeting: Meeting, names: dict[str, str]) -> list[str]:
    """Why these two meet, in the active language: shared languages, then needs covered."""
    found = []
    if meeting.languages:
        found.append(
            _("speaks %(language)s")
            % {"language": _join([language_name(code) for code in meeting.languages])}
        )
    if meeting.skills:
        found.append(
            _("covers %(skills)s") % {"skills": _join([names.get(s, s) for s in meeting.skills])}
        )
    return found


def online_url(event_id: int, number: int, table: int) -> str:
    """The meeting's online room from ``SCHEDULE_ONLINE_URL_TEMPLATE`` (``{event}``,
    ``{round}``, ``{table}``, ``{key}``: an HMAC of the place with the secret key, so rooms
    cannot be guessed); "" without a template or with a broken one."""
    import hashlib
    import hmac

    from django.conf import settings

    template = getattr(settings, "SCHEDULE_ONLINE_URL_TEMPLATE", "") or ""
    if not template:
        return ""
    place = f"{event_id}-{number}-{table}"
    key = hmac.new(settings.SECRET_KEY.encode(), place.encode(), hashlib.sha256).hexdigest()[:16]
    try:
        return template.format(event=event_id, round=number, table=table, key=key)
    except (KeyError, IndexError, ValueError):
        return ""


def experts_of(meeting: Meeting) -> list[User]:
    """Every expert at the meeting's table, the lead first (a multi-party meeting has
    ``co_experts``; ``meetings()`` prefetches them)."""
    return [meeting.expert, *sorted(meeting.co_experts.all(), key=lambda u: u.pk)]


def meetings(schedule: Schedule):
    """The schedule's meetings with all parties, in round then table order (two queries)."""
    co = Prefetch("co_experts", queryset=User.objects.only("id", "username", "display_name"))
    return (
        schedule.meetings.select_related("organization", "expert")
        .prefetch_related(co)
        .only(
            "id",
            "schedule_id",
            "round",
            "table",
            "fit",
            "skills",
            "languages",
            "pinned",
            "organization__id",
            "organization__name",
            "expert__id",
            "expert__username",
            "expert__display_name",
        )
        .order_by("round", "table", "id")
    )


@dataclass
class AgendaEntry:
    """One meeting seen from one side: when, where, with whom, and why."""

    meeting: Meeting
    number: int
    starts_at: datetime
    ends_at: datetime
    role: str  # "organization" (the caller's organisation meets an expert) or "expert"
    organization: Organization
    expert: User
    reasons: list[str]
    event_id: int = 0
    viewer: int | None = None
    """The expert whose agenda this is (for a multi-party meeting's other experts)."""

    @property
    def online_url(self) -> str:
        return online_url(self.event_id, self.number, self.meeting.table)

    @property
    def experts(self) -> list[User]:
        return experts_of(self.meeting)

    @property
    def other_name(self) -> str:
        """Who the caller meets: the experts (all of a multi-party meeting), or the
        organisation (with the other experts at the table, if any)."""
        if self.role == "organization":
            return _join([u.public_name for u in self.experts])
        others = [u.public_name for u in self.experts if u.pk != self.viewer]
        if not others:
            return self.organization.name
        return _("%(organization)s (with %(experts)s)") % {
            "organization": self.organization.name,
            "experts": _join(others),
        }

    @property
    def table(self) -> int:
        return self.meeting.table


def entry_fields(m: Meeting, times, names: dict[str, str], event_id: int) -> dict:
    """What an ``AgendaEntry`` holds of meeting ``m``, besides the side it is seen from."""
    start, end = times[m.round - 1] if m.round <= len(times) else (None, None)
    return {
        "meeting": m,
        "number": m.round,
        "starts_at": start,
        "ends_at": end,
        "organization": m.organization,
        "expert": m.expert,
        "reasons": reasons(m, names),
        "event_id": event_id,
    }


def agenda(
    schedule: Schedule,
    *,
    organization_ids: list[int] | None = None,
    expert_id: int | None = None,
) -> list[AgendaEntry]:
    """The meetings of some organisations and/or one expert, in time order."""
    qs = meetings(schedule)
    from django.db.models import Q

    condition = Q(pk__in=[])
    if organization_ids:
        condition |= Q(organization_id__in=organization_ids)
    if expert_id is not None:
        condition |= Q(expert_id=expert_id)
        condition |= Q(
            pk__in=Meeting.co_experts.through.objects.filter(user_id=expert_id).values("meeting_id")
        )
    times = round_times(schedule)
    names = skill_names()
    entries = []
    for m in qs.filter(condition):
        common = entry_fields(m, times, names, schedule.event_id)
        if expert_id is not None and expert_id in {u.pk for u in experts_of(m)}:
            entries.append(AgendaEntry(role="expert", viewer=expert_id, **common))
        if organization_ids and m.organization_id in organization_ids:
            entries.append(AgendaEntry(role="organization", **common))
    entries.sort(key=lambda e: (e.number, e.role, e.meeting.table))
    return entries


def caller_scope(user) -> tuple[list[int], int | None]:
    """The organisations a person acts for and their own expert id, for their agenda."""
    org_ids = list(
        Membership.objects.filter(user=user)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)
    )
    return org_ids, user.pk


def _as_id(value, field: str) -> int | None:
    from django.core.exceptions import ValidationError

    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("Give a number.")]}) from None
    if not 1 <= number < 2**31:
        raise ValidationError({field: [_("Give a number.")]})
    return number


def agenda_for(
    user, schedule: Schedule, *, organization=None, expert=None
) -> tuple[str, list[AgendaEntry]]:
    """(whose agenda, its entries) for the caller, or for ``?organization=``/``?expert=``,
    which organizers may ask for anyone and others only for themselves."""
    from ..exceptions import Forbidden, NotFound

    org_id = _as_id(organization, "organization")
    expert_id = _as_id(expert, "expert")
    if org_id is not None:
        org = Organization.objects.filter(pk=org_id).first()
        if org is None:
            raise NotFound(_("No such organisation."))
        if not can_see_agenda_of_organization(user, org):
            raise Forbidden(_("You may see only your own agenda."))
        return org.name, agenda(schedule, organization_ids=[org.pk])
    if expert_id is not None:
        person = User.objects.filter(pk=expert_id).first()
        if person is None:
            raise NotFound(_("No such expert."))
        if not can_see_agenda_of_expert(user, person):
            raise Forbidden(_("You may see only your own agenda."))
        return person.public_name, agenda(schedule, expert_id=person.pk)
    org_ids, own = caller_scope(user)
    entries = agenda(schedule, organization_ids=org_ids, expert_id=own)
    names = sorted({e.organization.name for e in entries if e.role == "organization"})
    if any(e.role == "expert" for e in entries) or not names:
        names.insert(0, user.public_name)
    return ", ".join(names), entries
