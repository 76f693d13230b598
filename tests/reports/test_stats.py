"""Issue 20: ``GET /api/events/{id}/stats/`` and the analytics page (organizers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ateliers.models import Meeting
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(organizer, org, expert):
    start = timezone.now() - timedelta(hours=2)
    event = factories.make_event(
        created_by=organizer, starts_at=start, title_fr="Journée", title_en="Day"
    )
    mobility = event.themes.create(name_fr="Mobilité", name_en="Mobility", position=0)
    event.themes.create(name_fr="Culture", name_en="Culture", position=1)
    guest, other = factories.make_participant(event, "A"), factories.make_participant(event, "B")
    bikes = factories.post_idea(guest, "Des vélos", theme=mobility)
    factories.post_idea(other, "Sans thème")
    from ateliers.services.board import vote_set

    vote_set(participant=other, idea=bikes, value=1)
    factories.make_help_request(org, event=event)
    schedule = factories.make_schedule(
        event,
        (timedelta(0), timedelta(minutes=20)),
        # A round still to come: its meeting is planned, not held.
        (timedelta(days=1), timedelta(days=1, minutes=20)),
        tables=2,
    )
    other_org = factories.make_org("Autre")
    Meeting.objects.create(
        schedule=schedule, organization=org, expert=expert, round=1, table=1, fit=2
    )
    Meeting.objects.create(
        schedule=schedule, organization=other_org, expert=expert, round=2, table=1, fit=2
    )
    return event


def test_stats_give_participation_themes_help_desk_and_consultations(organizer, day):
    response = token_client(organizer).get(f"/api/events/{day.pk}/stats/")
    assert response.status_code == 200
    data = response.json()
    assert data["board"] == {"participants": 2, "ideas": 2, "votes": 1}
    assert data["granularity"] == "hour"
    assert sum(row["ideas"] for row in data["participation"]) == 2
    assert sum(row["joined"] for row in data["participation"]) == 2
    assert sum(row["votes"] for row in data["participation"]) == 1
    themes = {t["name_fr"]: (t["ideas"], t["votes"]) for t in data["themes"]}
    assert themes == {"Mobilité": (1, 1), "Culture": (0, 0), "": (1, 0)}
    assert data["help_desk"]["requests"] == 1 and data["help_desk"]["open"] == 1
    assert data["help_desk"]["median_wait_seconds"] is None
    consultations = data["consultations"]
    assert (consultations["planned"], consultations["held"]) == (2, 1)
    assert consultations["by_round"] == [{"round": 1, "meetings": 1}]
    assert (consultations["organizations"], consultations["experts"]) == (1, 1)


def test_every_expert_of_a_multi_party_meeting_counts(organizer, day):
    """The figure counted only each meeting's lead expert."""
    meeting = Meeting.objects.get(schedule__event=day, round=1)
    meeting.co_experts.set([factories.make_expert(), factories.make_expert()])
    data = token_client(organizer).get(f"/api/events/{day.pk}/stats/").json()
    assert data["consultations"]["held"] == 1
    assert data["consultations"]["experts"] == 3


def test_stats_are_for_organizers(day, expert, member):
    assert token_client(None).get(f"/api/events/{day.pk}/stats/").status_code == 401
    assert token_client(expert).get(f"/api/events/{day.pk}/stats/").status_code == 403
    assert token_client(member).get(f"/api/events/{day.pk}/stats/").status_code == 403


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_analytics_page_has_charts_and_their_tables(organizer, expert, day, lang):
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/organize/events/{day.pk}/analytics/?lang={lang}").content.decode()
    assert html.count('<svg class="chart"') == 5
    assert ("Mobilité" if lang == "fr" else "Mobility") in html
    assert '<table class="table"' in html
    client.force_login(expert)
    assert client.get(f"/organize/events/{day.pk}/analytics/").status_code == 403
