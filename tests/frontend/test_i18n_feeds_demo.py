"""Both languages on every page, the FR/EN switch, the iCalendar feeds, the demo seed."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from ateliers.models import (
    Event,
    ExpertProfile,
    Membership,
    Organization,
    Registration,
    Skill,
    Theme,
    TimeSlot,
    User,
)
from demo.seed import DEMO_JOIN_CODE, DEMO_ORGANIZER, seed_demo
from tests import factories

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/events/",
    "/events/{event}/",
    "/organize/",
    "/organize/events/new/",
    "/organize/events/{event}/",
    "/organize/events/{event}/edit/",
    "/organize/events/{event}/registrations/",
    "/organizations/",
    "/organizations/{org}/",
    "/me/",
    "/me/expert/",
    "/me/preferences/",
]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_pages_in_both_languages(client, organizer, event, org, path, lang):
    client.force_login(organizer)
    response = client.get(path.format(event=event.pk, org=org.pk), {"lang": lang})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    if "{event}" in path:
        title = "Atelier d&#x27;essai" if lang == "fr" else "Test workshop"
        assert title in html


def test_accept_language_then_query_override(client, event):
    url = reverse("frontend:event-detail", args=[event.pk])
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in en and "Test workshop" in en
    fr = client.get(url + "?lang=fr", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fr">' in fr and "Atelier d&#x27;essai" in fr
    default = client.get(url).content.decode()
    assert '<html lang="fr">' in default  # French first: Montréal


def test_language_switch_is_a_form_that_keeps_the_page(client, event):
    url = reverse("frontend:event-detail", args=[event.pk])
    page = client.get(url).content.decode()
    assert 'name="language" value="en"' in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    after = client.get(url).content.decode()
    assert '<html lang="en">' in after
    assert 'name="language" value="fr"' in after


def test_django_messages_follow_the_language(client, organizer):
    client.force_login(organizer)
    url = reverse("frontend:organizer-event-create")
    fr = client.post(url + "?lang=fr", {}).content.decode()
    assert "Ce champ est obligatoire." in fr
    en = client.post(url + "?lang=en", {}).content.decode()
    assert "This field is required." in en


def _parse(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return list(cal.walk("VEVENT"))


def test_calendar_feed_of_all_published_events(client):
    published = factories.make_event(online_url="https://meet.example.org/x")
    factories.make_event(status="draft", title_en="Secret draft")
    events = _parse(client.get("/api/events/calendar.ics?lang=en"))
    assert [str(e["summary"]) for e in events] == ["Test workshop"]
    vevent = events[0]
    assert vevent.decoded("dtstart") == published.starts_at.replace(microsecond=0)
    assert vevent.decoded("dtend") == published.ends_at.replace(microsecond=0)
    assert str(vevent["location"]) == "Montréal"
    assert "meet.example.org" in str(vevent["description"])
    assert str(vevent["uid"]).startswith(f"event-{published.pk}@")


def test_calendar_of_one_event_in_each_language(client, event):
    fr = _parse(client.get(f"/api/events/{event.pk}/calendar.ics?lang=fr"))
    en = _parse(client.get(f"/api/events/{event.pk}/calendar.ics?lang=en"))
    assert (str(fr[0]["summary"]), str(en[0]["summary"])) == ("Atelier d'essai", "Test workshop")
    draft = factories.make_event(status="draft")
    assert client.get(f"/api/events/{draft.pk}/calendar.ics").status_code == 404


def _census() -> dict:
    models = [Event, Theme, TimeSlot, Organization, Membership, ExpertProfile, Skill, User]
    return {m.__name__: m.objects.count() for m in [*models, Registration]}


def test_demo_seed_is_idempotent():
    call_command("seed_demo", verbosity=0)
    first = _census()
    call_command("seed_demo", verbosity=0)
    seed_demo()
    assert _census() == first
    event = Event.objects.get(join_code=DEMO_JOIN_CODE)
    assert event.title_fr and event.title_en and event.status == "published"
    assert first["Organization"] >= 12
    assert first["Theme"] >= 3 and first["ExpertProfile"] >= 5
    organizer = User.objects.get(username=DEMO_ORGANIZER[0])
    assert organizer.check_password(DEMO_ORGANIZER[1]) and organizer.is_organizer


def test_seed_if_empty_leaves_a_used_database_alone():
    factories.make_event()
    call_command("seed_demo", "--if-empty", verbosity=0)
    assert not Event.objects.filter(join_code=DEMO_JOIN_CODE).exists()
