"""iCalendar feeds of events (RFC 5545), made with the icalendar library."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from livinglab.site import site_host, site_url

from .i18n import localized
from .models import Event


def _host() -> str:
    return site_host()


def events_to_ical(
    events: Iterable[Event], *, lang: str | None = None, name: str = "livinglab"
) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//livinglab//livinglab//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", f"event-{event.pk}@{_host()}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", event.starts_at)
        vevent.add("dtend", event.ends_at)
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
    return cal.to_ical()
