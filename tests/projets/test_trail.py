"""Issue 20: the trail from an event's ideas, requests and consultations to projects and
back; the warning before a second project from the same source."""

from __future__ import annotations

import pytest
from django.test import Client

from ateliers.models import Meeting
from projets.models import Project
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _meeting(event, org, expert) -> Meeting:
    schedule = factories.make_schedule(event)
    return Meeting.objects.create(
        schedule=schedule, organization=org, expert=expert, round=1, table=1, fit=2
    )


def test_a_project_from_an_idea_keeps_its_event_and_links_both_ways(organizer, event):
    idea = factories.post_idea(factories.make_participant(event), "Des bancs au parc")
    api = token_client(organizer)
    response = api.post(
        "/api/projects/",
        {"title_fr": "Bancs", "source_ideas": [idea.pk], "visibility": "public"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # The project keeps the event the idea was posted at (it used to be null).
    assert body["event"] == event.pk
    assert body["provenance"]["event"]["id"] == event.pk
    assert body["provenance"]["ideas"] == [
        {
            "id": idea.pk,
            "event": event.pk,
            "text": "Des bancs au parc",
            "url": f"/events/{event.pk}/board/#idea-{idea.pk}",
        }
    ]
    pid = body["id"]
    # The other way, in the API and on the event page.
    ids = [
        p["id"] for p in token_client(None).get(f"/api/projects/?idea={idea.pk}").json()["results"]
    ]
    assert ids == [pid]
    event_page = Client().get(f"/events/{event.pk}/").content.decode()
    assert f'href="/projects/{pid}/"' in event_page
    assert f'href="/events/{event.pk}/board/#idea-{idea.pk}"' in event_page
    # The project page links to the idea and to the event.
    project_page = Client().get(f"/projects/{pid}/").content.decode()
    assert f'href="/events/{event.pk}/board/#idea-{idea.pk}"' in project_page
    assert f'href="/events/{event.pk}/"' in project_page


def test_a_project_from_a_help_request_keeps_its_event(organizer, org, event):
    request = factories.make_help_request(org, title="Site à refaire", event=event)
    project = factories.make_project(actor=organizer, source_help_requests=[request])
    assert project.event == event
    page = logged_in(organizer).get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/help/{request.pk}/"' in page
    help_page = logged_in(organizer).get(f"/help/{request.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/"' in help_page


def test_a_project_from_a_consultation_links_both_ways(organizer, org, expert, member, event):
    meeting = _meeting(event, org, expert)
    client = logged_in(organizer)
    html = client.get(f"/projects/new/?meeting={meeting.pk}").content.decode()
    assert f'name="source_meetings" value="{meeting.pk}"' in html
    response = client.post(
        f"/projects/new/?meeting={meeting.pk}",
        {
            "title_fr": "Suite de la consultation",
            "visibility": "public",
            "source_meetings": [meeting.pk],
        },
    )
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.event == event
    assert list(meeting.projects.all()) == [project]
    detail = token_client(member).get(f"/api/projects/{project.pk}/").json()
    assert detail["source_meetings"] == [meeting.pk]
    assert detail["provenance"]["consultations"][0]["url"] == f"/events/{event.pk}/agenda/"
    # Who met whom is not public: an anonymous visitor sees the project, not the meeting.
    anonymous = token_client(None).get(f"/api/projects/{project.pk}/").json()
    assert anonymous["source_meetings"] == [] and anonymous["provenance"]["consultations"] == []
    ids = [
        p["id"]
        for p in token_client(member).get(f"/api/projects/?meeting={meeting.pk}").json()["results"]
    ]
    assert ids == [project.pk]
    page = logged_in(member).get(f"/events/{event.pk}/").content.decode()
    assert f'href="/events/{event.pk}/agenda/"' in page and "Suite de la consultation" in page
    schedule_page = client.get(f"/organize/events/{event.pk}/schedule/").content.decode()
    assert f"/projects/new/?meeting={meeting.pk}" in schedule_page


def test_a_second_project_from_the_same_idea_needs_a_confirmation(organizer, event):
    idea = factories.post_idea(factories.make_participant(event), "Un jardin partagé")
    first = factories.make_project(actor=organizer, source_ideas=[idea])
    api = token_client(organizer)
    body = {"title_fr": "Jardin bis", "source_ideas": [idea.pk]}
    refused = api.post("/api/projects/", body, format="json")
    assert refused.status_code == 409
    assert refused.json()["code"] == "source_in_project"
    assert Project.objects.count() == 1
    accepted = api.post("/api/projects/", {**body, "confirm_duplicate": True}, format="json")
    assert accepted.status_code == 201
    assert "confirm_duplicate" not in accepted.json()

    # The page warns, links to the existing project and asks for the box to be ticked.
    client = logged_in(organizer)
    html = client.get(f"/projects/new/?idea={idea.pk}").content.decode()
    assert f'href="/projects/{first.pk}/"' in html
    assert 'name="confirm_duplicate"' in html
    data = {"title_fr": "Jardin ter", "visibility": "private", "source_ideas": [idea.pk]}
    response = client.post(f"/projects/new/?idea={idea.pk}", data)
    assert response.status_code == 200 and not Project.objects.filter(title_fr="Jardin ter")
    response = client.post(f"/projects/new/?idea={idea.pk}", {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Project.objects.filter(title_fr="Jardin ter").exists()


def test_an_idea_merged_into_a_project_idea_counts_as_the_same_source(organizer, event):
    from ateliers.services.board import idea_moderate

    guest = factories.make_participant(event)
    target = factories.post_idea(guest, "Plus d'arbres")
    other = factories.post_idea(guest, "Des arbres en ville")
    idea_moderate(actor=organizer, idea=other, action="merge", into=target)
    factories.make_project(actor=organizer, source_ideas=[target])
    response = token_client(organizer).post(
        "/api/projects/", {"title_fr": "Arbres", "source_ideas": [other.pk]}, format="json"
    )
    assert response.status_code == 409
