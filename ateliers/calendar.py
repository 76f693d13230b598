"""iCalendar feeds of events (RFC 5545), made with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from livinglab.site import site_host, site_url

from .i18n import localized
from .models import Event


def local(moment: datetime) -> datetime:
    """``moment`` in the site's time zone (a zoneinfo zone the VTIMEZONE describes)."""
    return timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE))


def _host() -> str:
    return site_host()


def events_to_ical(
    events: Iterable[Event],
    *,
    lang: str | None = None,
    name: str = "livinglab",
    slots: bool = False,
) -> bytes:
    """One VEVENT per event, in the site's time zone with its VTIMEZONE; with ``slots``,
    one more per programme slot (talk, workshop, consultation round) of each event."""
    cal = Calendar()
    cal.add("prodid", "-//livinglab//livinglab//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", f"event-{event.pk}@{_host()}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", local(event.starts_at))
        vevent.add("dtend", local(event.ends_at))
        vevent.add("summary", localized(event, "title", lang))
        description = localized(event, "description", lang)
        page = site_url(reverse("frontend:event-detail", args=[event.pk]))
        if event.online_url:
            description = f"{description}\n\n{event.online_url}".strip()
            vevent.add("url", event.online_url)
        else:
            vevent.add("url", page)
        description = f"{description}\n\n{page}".strip()
        if description:
            vevent.add("description", description)
        if event.venue:
            vevent.add("location", event.venue)
        vevent.add(
            "status",
            "CANCELLED" if event.status == "closed" and event.ends_at > stamp else "CONFIRMED",
        )
        vevent.add("last-modified", event.updated_at)
        cal.add_component(vevent)
        if slots:
            for slot in event.slots.all():
                cal.add_component(_slot_vevent(event, slot, lang, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def _slot_vevent(event: Event, slot, lang: str | None, stamp) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", f"slot-{slot.pk}@{_host()}")
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", local(slot.starts_at))
    vevent.add("dtend", local(slot.ends_at))
    vevent.add("summary", f"{localized(slot, 'title', lang)} — {localized(event, 'title', lang)}")
    vevent.add("categories", [slot.kind])
    vevent.add("related-to", f"event-{event.pk}@{_host()}")
    where = ", ".join(x for x in (slot.room, event.venue) if x)
    if where:
        vevent.add("location", where)
    return vevent
