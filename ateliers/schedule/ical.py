"""A person's consultations as an iCalendar file (RFC 5545), one VEVENT per meeting."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from ..calendar import _host
from ..models import Event
from .agenda import AgendaEntry


def agenda_ical(event: Event, entries: Sequence[AgendaEntry], *, name: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//livinglab//consultations//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for entry in entries:
        if entry.starts_at is None:
            continue
        vevent = VEvent()
        vevent.add("uid", f"meeting-{entry.meeting.pk}-{entry.role}@{_host()}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", entry.starts_at)
        vevent.add("dtend", entry.ends_at)
        vevent.add(
            "summary",
            _("Consultation with %(who)s — table %(table)d")
            % {"who": entry.other_name, "table": entry.table},
        )
        lines = [
            _("Round %(n)d, table %(table)d.") % {"n": entry.number, "table": entry.table},
            *entry.reasons,
        ]
        vevent.add("description", "\n".join(lines))
        location = _("Table %(table)d") % {"table": entry.table}
        if event.venue:
            location = f"{event.venue} — {location}"
        vevent.add("location", location)
        cal.add_component(vevent)
    return cal.to_ical()
