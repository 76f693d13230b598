"""The iCalendar feeds parse with the icalendar library and say what the data says."""

from __future__ import annotations

from icalendar import Calendar

from tests import factories
from tests.helpers import token_client


def test_events_feed_parses_and_leaves_drafts_out(db, event):
    factories.make_event(status="draft", title_fr="Brouillon")
    response = token_client(None).get("/api/events/calendar.ics?lang=fr")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    vevents = calendar.walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == ["Atelier d'essai"]
    assert vevents[0].decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(vevents[0]["LOCATION"]) == "Montréal"


def test_one_event_in_english(db, event):
    response = token_client(None).get(f"/api/events/{event.pk}/calendar.ics?lang=en")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Test workshop"
    assert vevent.decoded("DTEND") == event.ends_at.replace(microsecond=0)
