"""Provenance: projects keep the help requests they came from, linked both ways, scoped."""

from __future__ import annotations

import pytest
from django.test import Client

from projets.models import Project
from projets.selectors import projects_from_help_request
from tests import factories
from tests.conftest import token_client

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
