"""A person's consultations as an iCalendar file (RFC 5545), one VEVENT per meeting.

Times are written in the site's time zone (``TIME_ZONE``) with its ``VTIMEZONE`` (made by
the icalendar library from the zoneinfo data), so calendar apps place them right; a fixed
offset such as ``UTC-05:00`` is no zone a parser knows and reads as floating time.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from ..calendar import _host, local
from ..choices import ScheduleStatus
from ..models import Event, Meeting, User
from ..selectors.people import skill_names
from ..selectors.schedule import (
    AgendaEntry,
    caller_scope,
    entry_fields,
    experts_of,
    online_url,
    round_times,
)


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//livinglab//consultations//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    return cal


def _vevent(event: Event, entry: AgendaEntry, stamp) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"meeting-{entry.meeting.pk}-{entry.role}@{_host()}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", local(entry.starts_at))
    vevent.add("dtend", local(entry.ends_at))
    vevent.add(
        "summary",
        _("Consultation with %(who)s — table %(table)d")
        % {"who": entry.other_name, "table": entry.table},
    )
    lines = [
        _("Round %(n)d, table %(table)d.") % {"n": entry.number, "table": entry.table},
        *entry.reasons,
    ]
    location = _("Table %(table)d") % {"table": entry.table}
    if event.venue:
        location = f"{event.venue} — {location}"
    link = online_url(event.pk, entry.number, entry.table)
    if link:
        vevent.add("url", link)
        lines.append(link)
    vevent.add("description", "\n".join(lines))
    vevent.add("location", location)
    return vevent


def agenda_ical(event: Event, entries: Sequence[AgendaEntry], *, name: str) -> bytes:
    cal = _calendar(name)
    stamp = timezone.now()
    for entry in entries:
        if entry.starts_at is not None:
            cal.add_component(_vevent(event, entry, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_ical(user: User, *, name: str) -> bytes:
    """Every published consultation of ``user`` (as an expert and for each organisation
    they belong to, and at multi-party meetings), across events: what their secret feed
    address serves. Four queries."""
    org_ids, own = caller_scope(user)
    co = Meeting.co_experts.through.objects.filter(user_id=own).values("meeting_id")
    rows = (
        Meeting.objects.filter(schedule__status=ScheduleStatus.PUBLISHED)
        .filter(Q(expert_id=own) | Q(organization_id__in=org_ids) | Q(pk__in=co))
        .select_related("schedule__event", "organization", "expert")
        .prefetch_related(
            Prefetch("co_experts", queryset=User.objects.only("id", "username", "display_name"))
        )
        .order_by("schedule_id", "round", "table", "id")
    )
    cal = _calendar(name)
    stamp = timezone.now()
    names = None
    times: dict[int, list] = {}
    for m in rows:
        if names is None:
            names = skill_names()
        schedule = m.schedule
        if schedule.pk not in times:
            times[schedule.pk] = round_times(schedule)
        slots = times[schedule.pk]
        if m.round > len(slots):
            continue
        common = entry_fields(m, slots, names, schedule.event_id)
        roles = ["expert"] if own in {u.pk for u in experts_of(m)} else []
        roles += ["organization"] if m.organization_id in org_ids else []
        for role in roles:
            entry = AgendaEntry(role=role, viewer=own, **common)
            cal.add_component(_vevent(schedule.event, entry, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()
