"""The visibility matrix of issue 6: nothing leaks, by any door.

Roles × (list, detail, updates, indicators, milestones, story, export CSV/JSON, search,
filters, counts, directory page, dashboard) × (public, partners-only, private).

"participant" is a board guest with a Bearer token from ``/api/join/`` (on pages, where
guests have no account session, a visitor).
The project PDF report and the indicators export (reports engineer) start from the same
selector and are part of the matrix.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from projets import services
from projets.selectors import projects_visible_to
from tests import factories
from tests.helpers import finish, token_client

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "participant",
    "expert",
    "org_member",
    "team",
    "partner_a",
    "partner_b",
    "plain_member_of_partner_org",
    "organizer",
]

# Who may read a project of each visibility (the project: involved org = "org",
# partner = "org A", team = "team").
SEES = {
    "public": set(ROLES),
    "partners": {"org_member", "team", "partner_a", "organizer"},
    "private": {"org_member", "team", "organizer"},
}


@pytest.fixture
def world(db):
    organizer = factories.make_organizer("orga")
    org = factories.make_org("Centre")
    org_a = factories.make_org("Fondation A")
    org_b = factories.make_org("Ville B")
    users = {
        "organizer": organizer,
        "expert": factories.make_expert("expert1"),
        "org_member": factories.make_member(org, "membre"),
        "team": factories.make_user("equipe"),
        "partner_a": factories.make_partner(org_a, "partner_a"),
        "partner_b": factories.make_partner(org_b, "partner_b"),
        # A member of the partner organisation without the partner role sees public only.
        "plain_member_of_partner_org": factories.make_member(org_a, "simple"),
    }
    event = factories.make_event()
    theme = event.themes.create(name_fr="Thème")
    projects = {}
    for visibility in ("public", "partners", "private"):
        project = factories.make_project(
            actor=organizer,
            title_fr=f"Projet {visibility} zorglub",
            visibility=visibility,
            partners=[org_a],
            organizations=[org],
            event=event,
            theme=theme,
            region=f"Région-{visibility}",
            team=[(users["team"], "member")],
        )
        services.project_post_update(actor=organizer, project=project, text=f"News {visibility}")
        indicator = services.indicator_create(
            actor=organizer, project=project, name="Personnes formées", target=50000
        )
        services.indicator_record_value(actor=organizer, indicator=indicator, value=10)
        services.milestone_create(
            actor=organizer, project=project, title="Jalon", due_on="2020-01-01"
        )
        services.story_save(
            actor=organizer, project=project, narrative_fr=f"Récit {visibility}", publish=True
        )
        projects[visibility] = project
    return (
        users,
        projects,
        {
            "org": org,
            "org_a": org_a,
            "org_b": org_b,
            "event": event,
            "theme": theme,
        },
    )


def api_client(role, users, event=None) -> APIClient:
    if role == "anonymous":
        return token_client(None)
    if role == "participant":
        from ateliers.models import Event

        event = event or Event.objects.get()
        client = APIClient()
        join = client.post(
            "/api/join/", {"code": event.join_code, "display_name": "Invitée"}, format="json"
        )
        assert join.status_code == 201, join.content[:200]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {join.json()['token']}")
        return client
    return token_client(users[role])


def page_client(role, users) -> Client:
    client = Client()
    if role not in ("anonymous", "participant"):
        client.force_login(users[role])
    return client


def ids_of(response) -> set[int]:
    assert response.status_code == 200, response.content[:300]
    return {row["id"] for row in response.json()["results"]}


def expected_ids(role, projects) -> set[int]:
    return {p.pk for v, p in projects.items() if role in SEES[v]}


@pytest.mark.parametrize("role", ROLES)
def test_selector_matches_the_matrix(world, role):
    users, projects, _ = world
    user = users.get(role)
    from django.contrib.auth.models import AnonymousUser

    visible = set(projects_visible_to(user or AnonymousUser()).values_list("pk", flat=True))
    assert visible == expected_ids(role, projects)


@pytest.mark.parametrize("role", ROLES)
def test_list_search_filters_and_counts(world, role):
    users, projects, orgs = world
    client = api_client(role, users)
    expected = expected_ids(role, projects)
    response = client.get("/api/projects/")
    assert ids_of(response) == expected
    assert response.json()["count"] == len(expected)
    for query in (
        "?search=zorglub",
        "?q=zorglub",
        f"?partner={orgs['org_a'].pk}",
        f"?organization={orgs['org'].pk}",
        f"?event={orgs['event'].pk}",
        f"?theme={orgs['theme'].pk}",
        "?phase=exploration",
    ):
        response = client.get(f"/api/projects/{query}")
        assert ids_of(response) == expected, query
        assert response.json()["count"] == len(expected), query
    for visibility in ("partners", "private"):
        response = client.get(f"/api/projects/?visibility={visibility}")
        assert response.json()["count"] == (1 if role in SEES[visibility] else 0)
        response = client.get(f"/api/projects/?region=Région-{visibility}")
        assert response.json()["count"] == (1 if role in SEES[visibility] else 0)
    assert ids_of(client.get(f"/api/projects/?partner={orgs['org_b'].pk}")) == set()


@pytest.mark.parametrize("role", ROLES)
def test_detail_and_children(world, role):
    users, projects, _ = world
    client = api_client(role, users)
    for visibility, project in projects.items():
        allowed = role in SEES[visibility]
        expected = 200 if allowed else 404
        for suffix in ("", "updates/", "indicators/", "milestones/", "story/", "report.pdf"):
            response = client.get(f"/api/projects/{project.pk}/{suffix}")
            finish(response)  # a streamed PDF is read to its end, which closes it
            assert response.status_code == expected, (visibility, suffix)
        indicator = project.indicators.get()
        response = client.get(f"/api/projects/{project.pk}/indicators/{indicator.pk}/")
        assert response.status_code == expected
        if allowed:
            assert response.json()["history"][0]["value"] == 10


@pytest.mark.parametrize("role", ROLES)
def test_exports(world, role):
    users, projects, _ = world
    client = api_client(role, users)
    expected = expected_ids(role, projects)
    # docs/open-data.md: a JSON array of objects; CSV without a byte-order mark (i20).
    payload = json.loads(b"".join(client.get("/api/projects/export.json").streaming_content))
    assert {row["id"] for row in payload} == expected
    csv_text = b"".join(client.get("/api/projects/export.csv").streaming_content).decode()
    response = client.get("/api/projects/indicators/export.csv")
    indicators = b"".join(response.streaming_content if response.streaming else [response.content])
    indicators = indicators.decode("utf-8-sig")
    for visibility, project in projects.items():
        assert (f"Projet {visibility} zorglub" in csv_text) == (role in SEES[visibility])
        assert (f"\n{project.pk}," in csv_text) == (project.pk in expected)
        assert (f"Projet {visibility} zorglub" in indicators) == (role in SEES[visibility])


@pytest.mark.parametrize("role", ROLES)
def test_stories(world, role):
    users, projects, _ = world
    client = api_client(role, users)
    response = client.get("/api/stories/")
    assert {row["project"] for row in response.json()["results"]} == expected_ids(role, projects)
    page = page_client(role, users).get("/stories/").content.decode()
    for visibility in projects:
        assert (f"Projet {visibility} zorglub" in page) == (role in SEES[visibility])
    for visibility, project in projects.items():
        status = page_client(role, users).get(f"/stories/{project.pk}/").status_code
        assert status == (200 if role in SEES[visibility] else 404)


@pytest.mark.parametrize("role", ROLES)
def test_pages(world, role):
    users, projects, _ = world
    client = page_client(role, users)
    directory = client.get("/projects/?q=zorglub").content.decode()
    for visibility, project in projects.items():
        allowed = role in SEES[visibility]
        assert (f"Projet {visibility} zorglub" in directory) == allowed
        assert (f"Région-{visibility}" in directory) == allowed  # the region choices too
        assert client.get(f"/projects/{project.pk}/").status_code == (200 if allowed else 404)
    # The partner choices list only partners of visible projects: org B partners nothing.
    assert "Ville B" not in directory
    if role in ("anonymous", "participant"):
        assert client.get("/partners/").status_code == 302
        return
    dashboard = client.get("/partners/").content.decode()
    # The dashboard lists the visible projects one is related to (team, organisation,
    # partner organisation, followed); organizers see all.
    mine = {
        "expert": set(),
        "partner_b": set(),
        "plain_member_of_partner_org": {"public"},
        "partner_a": {"public", "partners"},
    }.get(role, {"public", "partners", "private"})
    for visibility in projects:
        assert (f"Projet {visibility} zorglub" in dashboard) == (visibility in mine), visibility


def test_partner_b_sees_a_partners_project_once_shared(world):
    users, projects, orgs = world
    client = token_client(users["partner_b"])
    project = projects["partners"]
    assert client.get(f"/api/projects/{project.pk}/").status_code == 404
    services.project_update(
        actor=users["organizer"], project=project, partners=[orgs["org_a"], orgs["org_b"]]
    )
    assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    # Making it private takes it away from both partners again.
    services.project_update(actor=users["organizer"], project=project, visibility="private")
    assert client.get(f"/api/projects/{project.pk}/").status_code == 404
    assert token_client(users["partner_a"]).get(f"/api/projects/{project.pk}/").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "participant", "expert", "partner_b", "partner_a"])
def test_hidden_project_children_cannot_be_written_or_followed(world, role):
    users, projects, _ = world
    client = api_client(role, users)
    project = projects["private"]
    for path, body in [
        (f"/api/projects/{project.pk}/updates/", {"text": "x"}),
        (f"/api/projects/{project.pk}/milestones/", {"title": "x", "due_on": "2030-01-01"}),
        (f"/api/projects/{project.pk}/transition/", {"phase": "co_creation"}),
        (f"/api/projects/{project.pk}/follow/", {}),
    ]:
        response = client.post(path, body, format="json")
        assert response.status_code in (401, 403, 404), (path, response.status_code)
    assert not project.updates.filter(text="x").exists()
    assert not project.milestones.filter(title="x").exists()
