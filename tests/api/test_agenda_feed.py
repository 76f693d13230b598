"""Calendar feeds (issue 19): a secret, revocable agenda address that calendar apps
subscribe to without a session, with real time zones; the event feed with its programme."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils.dateparse import parse_datetime
from icalendar import Calendar

from ateliers.models import Meeting, Schedule
from tests import factories
from tests.api.test_schedule_api import cast, generate  # noqa: F401 (the fixture)
from tests.helpers import assert_queries, token_client

pytestmark = pytest.mark.django_db


def _published(cast, organizer):  # noqa: F811
    event = cast["event"]
    client = token_client(organizer)
    assert generate(client, event).status_code == 201
    assert client.post(f"/api/events/{event.pk}/schedule/publish/").status_code == 200
    return event


def _path(url: str) -> str:
    return urlsplit(url).path


def test_a_calendar_app_subscribes_without_a_session_and_reads_real_time_zones(
    cast,  # noqa: F811
    organizer,
):
    event = _published(cast, organizer)
    member, org = cast["members"][0], cast["orgs"][0]
    me = token_client(member)
    response = me.get("/api/me/agenda-feed/")
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("http") and url.endswith(".ics")
    assert me.get("/api/me/agenda-feed/").json()["url"] == url  # stable until revoked
    # a calendar app: no cookie, no header, only the address
    feed = Client().get(_path(url))
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    assert b"UTC-05:00" not in feed.content
    cal = Calendar.from_ical(feed.content)
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == [settings.TIME_ZONE]
    vevents = cal.walk("VEVENT")
    meetings = list(Meeting.objects.filter(organization=org).order_by("round"))
    assert meetings and len(vevents) == len(meetings)
    schedule = Schedule.objects.get(event=event)
    for vevent, meeting in zip(vevents, meetings, strict=True):
        assert vevent["DTSTART"].params["TZID"] == settings.TIME_ZONE
        start = vevent.decoded("DTSTART")
        assert start.tzinfo is not None and start.utcoffset() is not None
        expected = parse_datetime(schedule.rounds[meeting.round - 1]["starts_at"])
        assert start == expected.replace(microsecond=0)
        assert f"table {meeting.table}" in str(vevent["SUMMARY"]).lower()
    # an expert's feed holds their meetings as an expert
    expert = cast["experts"][0]
    expert_url = token_client(expert).get("/api/me/agenda-feed/").json()["url"]
    assert expert_url != url
    expert_cal = Calendar.from_ical(Client().get(_path(expert_url)).content)
    assert len(expert_cal.walk("VEVENT")) == Meeting.objects.filter(expert=expert).count()


def test_a_revoked_address_is_gone_and_a_new_one_works(cast, organizer):  # noqa: F811
    _published(cast, organizer)
    me = token_client(cast["members"][0])
    old = me.get("/api/me/agenda-feed/").json()["url"]
    assert me.delete("/api/me/agenda-feed/").status_code == 204
    assert Client().get(_path(old)).status_code == 404
    new = me.get("/api/me/agenda-feed/").json()["url"]
    assert new != old
    assert Client().get(_path(new)).status_code == 200
    assert Client().get("/api/agenda-feed/not-a-token.ics").status_code == 404


def test_drafts_stay_out_of_the_feed(cast, organizer):  # noqa: F811
    generate(token_client(organizer), cast["event"])
    url = token_client(cast["members"][0]).get("/api/me/agenda-feed/").json()["url"]
    cal = Calendar.from_ical(Client().get(_path(url)).content)
    assert cal.walk("VEVENT") == []


def test_the_feed_reads_in_constant_queries(cast, organizer):  # noqa: F811
    _published(cast, organizer)
    url = token_client(cast["experts"][0]).get("/api/me/agenda-feed/").json()["url"]
    # the feed, the person, their organisations, the meetings and their co-experts
    with assert_queries("api agenda feed (iCalendar)", at_most=True):
        assert Client().get(_path(url)).status_code == 200


def test_the_event_feed_has_one_vevent_per_programme_slot(db, organizer):
    event = factories.make_event(created_by=organizer)
    slots = [
        event.slots.create(
            title_fr=f"Atelier {i}",
            title_en=f"Workshop {i}",
            starts_at=event.starts_at + timedelta(minutes=45 * i),
            ends_at=event.starts_at + timedelta(minutes=45 * i + 40),
            room=f"Salle {i}",
        )
        for i in range(3)
    ]
    response = Client().get(f"/api/events/{event.pk}/calendar.ics?lang=en")
    cal = Calendar.from_ical(response.content)
    vevents = cal.walk("VEVENT")
    assert len(vevents) == 1 + len(slots)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [settings.TIME_ZONE]
    for vevent, slot in zip(vevents[1:], slots, strict=True):
        assert str(vevent["SUMMARY"]).startswith(f"Workshop {slot.title_fr[-1]}")
        assert vevent.decoded("DTSTART") == slot.starts_at.replace(microsecond=0)
        assert vevent["DTSTART"].params["TZID"] == settings.TIME_ZONE
        assert str(vevent["LOCATION"]).startswith(slot.room)
