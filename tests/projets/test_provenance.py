"""Provenance: projects keep the help requests they came from, linked both ways, scoped."""

from __future__ import annotations

import pytest
from django.test import Client

from projets.models import Project
from projets.selectors import projects_from_help_request
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def test_project_from_a_help_request(organizer, org, expert):
    request = factories.make_help_request(org, title="Site inaccessible")
    client = token_client(organizer)
    response = client.post(
        "/api/projects/",
        {
            "title_fr": "Site accessible",
            "source_help_requests": [request.pk],
            "visibility": "public",
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["source_help_requests"] == [request.pk]
    project = Project.objects.get()
    assert list(request.projects.all()) == [project]
    # Accounts may read help requests; anonymous visitors may not, so the link is hidden.
    pid = project.pk
    assert token_client(expert).get(f"/api/projects/{pid}/").json()["source_help_requests"] == [
        request.pk
    ]
    assert token_client(None).get(f"/api/projects/{pid}/").json()["source_help_requests"] == []
    assert "Site inaccessible" not in Client().get(f"/projects/{pid}/").content.decode()
    page = Client()
    page.force_login(expert)
    assert "Site inaccessible" in page.get(f"/projects/{pid}/").content.decode()


def test_the_other_way_is_scoped_by_project_visibility(organizer, org, expert, member):
    request = factories.make_help_request(org)
    private = factories.make_project(
        actor=organizer, visibility="private", organizations=[org], source_help_requests=[request]
    )
    assert list(projects_from_help_request(expert, request)) == []
    assert list(projects_from_help_request(member, request)) == [private]
    assert list(projects_from_help_request(organizer, request)) == [private]


def test_create_page_prefills_from_a_help_request(organizer, org):
    request = factories.make_help_request(org, title="Wi-Fi instable")
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/projects/new/?help_request={request.pk}").content.decode()
    assert 'value="Wi-Fi instable"' in html
    assert f'name="source_help_requests" value="{request.pk}"' in html
    response = client.post(
        "/projects/new/",
        {"title_fr": "Wi-Fi", "visibility": "private", "source_help_requests": [request.pk]},
    )
    assert response.status_code == 302
    assert list(Project.objects.get().source_help_requests.all()) == [request]
    assert client.get("/projects/new/?help_request=abc").status_code == 200
    assert client.get("/projects/new/?help_request=99999").status_code == 200


def test_unknown_source_is_a_400(organizer):
    response = token_client(organizer).post(
        "/api/projects/", {"title_fr": "x", "source_help_requests": [424242]}, format="json"
    )
    assert response.status_code == 400


def test_project_from_an_idea_group_and_back(organizer, event, expert):
    from ateliers.services.board import idea_moderate

    guest = factories.make_participant(event, "Invitée")
    idea = factories.post_idea(guest, "Former les aînés au numérique")
    duplicate = factories.post_idea(guest, "Ateliers numériques pour aînés")
    idea_moderate(actor=organizer, idea=duplicate, action="merge", into=idea)
    response = token_client(organizer).post(
        "/api/projects/",
        {"title_fr": "Aînés connectés", "source_ideas": [idea.pk], "visibility": "public"},
        format="json",
    )
    assert response.status_code == 201
    assert sorted(response.json()["source_ideas"]) == sorted([idea.pk, duplicate.pk])
    pid = response.json()["id"]
    # Both ways: from the idea, the projects it became (scoped by project visibility).
    for client in (token_client(None), token_client(expert)):
        listed = client.get(f"/api/projects/?idea={idea.pk}").json()
        assert [p["id"] for p in listed["results"]] == [pid]
        assert client.get(f"/api/projects/{pid}/").json()["source_ideas"] != []
    html = Client().get(f"/projects/{pid}/").content.decode()
    assert "Former les aînés au numérique" in html


def test_idea_links_do_not_leak_hidden_projects_or_hidden_ideas(organizer, event, expert):
    from ateliers.services.board import idea_moderate

    guest = factories.make_participant(event, "Invitée")
    idea = factories.post_idea(guest, "Idée masquée plus tard")
    project = factories.make_project(actor=organizer, visibility="private", source_ideas=[idea])
    public = factories.make_project(
        actor=organizer, visibility="public", source_ideas=[idea], confirm_duplicate=True
    )
    anon = token_client(None)
    listed = anon.get(f"/api/projects/?idea={idea.pk}").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == public.pk
    assert token_client(organizer).get(f"/api/projects/?idea={idea.pk}").json()["count"] == 2
    assert anon.get(f"/api/projects/{project.pk}/").status_code == 404
    idea_moderate(actor=organizer, idea=idea, action="hide")
    assert anon.get(f"/api/projects/{public.pk}/").json()["source_ideas"] == []
    assert token_client(organizer).get(f"/api/projects/{public.pk}/").json()["source_ideas"] == [
        idea.pk
    ]
    assert "Idée masquée" not in Client().get(f"/projects/{public.pk}/").content.decode()
    for bad in ("abc", "1e40", "-1", "99999999999999999999"):
        assert anon.get(f"/api/projects/?idea={bad}").status_code in (200, 400)


def test_create_page_prefills_from_an_idea(organizer, event):
    guest = factories.make_participant(event, "Invitée")
    idea = factories.post_idea(guest, "Un CRM libre partagé")
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/projects/new/?idea={idea.pk}").content.decode()
    assert 'value="Un CRM libre partagé"' in html
    assert f'name="source_ideas" value="{idea.pk}"' in html


def test_moderation_page_offers_to_open_a_project_from_an_idea(organizer, event):
    guest = factories.make_participant(event, "Invitée")
    idea = factories.post_idea(guest, "Un CRM libre partagé")
    client = Client()
    client.force_login(organizer)
    html = client.get(f"/events/{event.pk}/moderate/").content.decode()
    assert f'href="/projects/new/?idea={idea.pk}"' in html


def test_help_request_page_links_to_visible_projects_only(organizer, org, expert, member):
    request = factories.make_help_request(org, title="Site à refaire")
    factories.make_project(
        actor=organizer, title_fr="Projet public", source_help_requests=[request]
    )
    factories.make_project(
        actor=organizer,
        title_fr="Projet privé",
        visibility="private",
        organizations=[org],
        source_help_requests=[request],
        confirm_duplicate=True,
    )
    pages = {}
    for user in (expert, member, organizer):
        client = Client()
        client.force_login(user)
        pages[user.username] = client.get(f"/help/{request.pk}/").content.decode()
    assert "Projet public" in pages["expertise"] and "Projet privé" not in pages["expertise"]
    assert "Projet privé" in pages["membre"]
    assert f"/projects/new/?help_request={request.pk}" in pages["orga"]
    assert "/projects/new/?help_request" not in pages["expertise"]
