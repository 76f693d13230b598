"""The projects API: contract fields, transitions, bad input → 4xx, constant query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from projets import services
from tests import factories
from tests.helpers import assert_queries, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def orga_client(organizer):
    return token_client(organizer)


@pytest.fixture
def project(organizer, org, partner):
    return factories.make_project(
        actor=organizer,
        organizations=[org],
        partners=[partner.organizations.get()],
        visibility="partners",
    )


def test_create_follows_the_contract(orga_client, org, partner, event):
    partner_org = partner.organizations.get()
    response = orga_client.post(
        "/api/projects/",
        {
            "title_fr": "Littératie numérique",
            "title_en": "Digital literacy",
            "summary_en": "Training",
            "visibility": "partners",
            "partners": [partner_org.pk],
            "organizations": [org.pk],
            "event": event.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["phase"] == "exploration"
    assert body["partners"] == [partner_org.pk]
    assert body["organizations"] == [org.pk]
    assert body["event"] == event.pk
    assert body["title"] == "Littératie numérique"
    assert body["summary"] == "Training"  # falls back to the other language
    english = orga_client.get(f"/api/projects/{body['id']}/?lang=en").json()
    assert english["title"] == "Digital literacy"
    assert [t["to_phase"] for t in english["transitions"]] == ["exploration"]


def test_transition_endpoint(orga_client, project):
    url = f"/api/projects/{project.pk}/transition/"
    response = orga_client.post(url, {"phase": "co_creation", "note": "Go"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["phase"] == "co_creation"
    last = body["transitions"][-1]
    assert (last["from_phase"], last["to_phase"], last["note"]) == (
        "exploration",
        "co_creation",
        "Go",
    )
    assert last["date"]
    back = orga_client.post(url, {"phase": "exploration", "note": "Retour"}, format="json")
    assert back.status_code == 200 and back.json()["phase"] == "exploration"
    skip = orga_client.post(url, {"phase": "deployment"}, format="json")
    assert skip.status_code == 409 and "detail" in skip.json()
    same = orga_client.post(url, {"phase": "exploration"}, format="json")
    assert same.status_code == 409


def test_partner_reads_but_cannot_write(project, partner):
    client = token_client(partner)
    assert client.get(f"/api/projects/{project.pk}/").status_code == 200
    for path, body in [
        ("transition/", {"phase": "co_creation"}),
        ("updates/", {"text": "x"}),
        ("milestones/", {"title": "x", "due_on": "2030-01-01"}),
        ("indicators/", {"name": "x", "target": 5}),
    ]:
        assert client.post(f"/api/projects/{project.pk}/{path}", body).status_code == 403
    assert client.patch(f"/api/projects/{project.pk}/", {"title_fr": "x"}).status_code == 403
    assert client.delete(f"/api/projects/{project.pk}/").status_code == 403


def test_team_member_writes_the_journal(project, organizer, expert):
    services.project_member_add(actor=organizer, project=project, user=expert, role="member")
    client = token_client(expert)
    response = client.post(f"/api/projects/{project.pk}/updates/", {"text": "Atelier fait"})
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Expertise"
    assert "username" not in response.json()["author"]
    assert "email" not in response.json()["author"]
    response = client.post(
        f"/api/projects/{project.pk}/milestones/", {"title": "Pilote", "due_on": "2020-01-01"}
    )
    assert response.status_code == 201 and response.json()["late"] is True
    response = client.post(
        f"/api/projects/{project.pk}/indicators/",
        {"name": "Personnes formées", "unit": "personnes", "target": 50000, "current": 60000},
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["target"], body["current"], body["progress"], body["reached"]) == (
        50000,
        60000,
        120,
        True,
    )
    response = client.post(
        f"/api/projects/{project.pk}/indicators/{body['id']}/values/",
        {"value": 100, "measured_on": str(timezone.localdate() - timedelta(days=3))},
    )
    assert response.status_code == 201
    assert [h["value"] for h in response.json()["history"]] == [100, 60000]


def test_follow_and_unfollow(project, partner):
    client = token_client(partner)
    assert client.post(f"/api/projects/{project.pk}/follow/").json() == {"following": True}
    assert project.follows.filter(user=partner).exists()
    assert client.delete(f"/api/projects/{project.pk}/follow/").json() == {"following": False}
    assert token_client(None).post(f"/api/projects/{project.pk}/follow/").status_code == 401


BAD_REQUESTS = [
    ("post", "/api/projects/", {"summary_fr": "no title"}),
    ("post", "/api/projects/", {"title_fr": "x", "visibility": "secret"}),
    ("post", "/api/projects/", {"title_fr": "x", "partners": [999999]}),
    ("post", "/api/projects/", {"title_fr": "x", "partners": "abc"}),
    ("post", "/api/projects/", {"title_fr": "x" * 500}),
    ("post", "/api/projects/", {"title_fr": "x", "event": "not-an-id"}),
    ("post", "/api/projects/", {"title_fr": "x", "theme": 424242}),
    ("get", "/api/projects/?theme=abc", None),
    ("post", "/api/projects/{p}/transition/", {"phase": "launch"}),
    ("post", "/api/projects/{p}/transition/", {}),
    ("post", "/api/projects/{p}/transition/", {"phase": ["co_creation"]}),
    ("post", "/api/projects/{p}/transition/", {"phase": "co_creation", "note": "x" * 6000}),
    ("post", "/api/projects/{p}/milestones/", {"title": "x", "due_on": "tomorrow"}),
    ("post", "/api/projects/{p}/milestones/", {"due_on": "2030-01-01"}),
    ("post", "/api/projects/{p}/updates/", {"text": ""}),
    ("post", "/api/projects/{p}/updates/", {"text": "x" * 6000}),
    ("post", "/api/projects/{p}/indicators/", {"name": "x", "target": "lots"}),
    ("post", "/api/projects/{p}/indicators/", {"name": "x", "target": 1e20}),
    ("post", "/api/projects/{p}/indicators/", {"name": "x", "target": 5, "baseline": 5}),
    ("post", "/api/projects/{p}/indicators/{i}/values/", {"value": "x"}),
    ("post", "/api/projects/{p}/indicators/{i}/values/", {"value": 1, "measured_on": "2999-01-01"}),
    ("put", "/api/projects/{p}/story/", {"narrative_fr": ""}),
    ("get", "/api/projects/?phase=launch", None),
    ("get", "/api/projects/?partner=abc", None),
    ("get", "/api/projects/?event=-1", None),
    ("get", "/api/projects/?page=999", None),
    ("get", "/api/projects/export.csv?phase=nope", None),
]


@pytest.mark.parametrize(("method", "path", "body"), BAD_REQUESTS)
def test_bad_input_gets_a_4xx(orga_client, project, organizer, method, path, body):
    indicator = services.indicator_create(actor=organizer, project=project, name="i", target=5)
    url = path.format(p=project.pk, i=indicator.pk)
    response = getattr(orga_client, method)(url, body, format="json")
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])


@pytest.mark.parametrize(
    "path", ["/api/projects/abc/", "/api/projects/0/updates/", "/api/projects/99999/indicators/"]
)
def test_unknown_project_is_404(orga_client, path):
    assert orga_client.get(path).status_code == 404


def _grow(organizer, org, partner_org, n):
    for i in range(n):
        project = factories.make_project(
            actor=organizer,
            organizations=[org],
            partners=[partner_org],
            visibility="public" if i % 2 == 0 else "partners",
            team=[(factories.make_user(), "lead")],
        )
        services.milestone_create(
            actor=organizer, project=project, title=f"m{i}", due_on="2020-01-01"
        )
        services.project_post_update(actor=organizer, project=project, text="x")
    return project


@pytest.mark.parametrize("who", ["organizer", "partner", "anonymous"])
def test_list_query_count_is_constant(who, organizer, org, partner):
    partner_org = partner.organizations.get()
    client = token_client({"organizer": organizer, "partner": partner}.get(who))
    _grow(organizer, org, partner_org, 1)
    with assert_queries(f"project-list as {who}"):
        assert client.get("/api/projects/").status_code == 200
    _grow(organizer, org, partner_org, 12)
    with assert_queries(f"project-list as {who}"):
        response = client.get("/api/projects/")
    assert response.status_code == 200
    assert len(response.json()["results"]) >= 7


def test_child_lists_and_exports_query_counts_are_constant(organizer, org, partner):
    client = token_client(partner)
    partner_org = partner.organizations.get()
    project = _grow(organizer, org, partner_org, 1)
    ind = services.indicator_create(actor=organizer, project=project, name="i", target=5)
    services.indicator_record_value(actor=organizer, indicator=ind, value=1)

    def counts():
        for name, path in (
            ("project-milestone-list", f"/api/projects/{project.pk}/milestones/"),
            ("project-update-list", f"/api/projects/{project.pk}/updates/"),
            ("project-indicator-list", f"/api/projects/{project.pk}/indicators/"),
            ("project export.csv", "/api/projects/export.csv"),
            ("project export.json", "/api/projects/export.json"),
        ):
            with assert_queries(f"{name} as a partner"):
                assert client.get(path).status_code == 200

    counts()
    _grow(organizer, org, partner_org, 5)
    for i in range(8):
        services.milestone_create(
            actor=organizer, project=project, title=f"x{i}", due_on="2030-01-01"
        )
        services.project_post_update(actor=organizer, project=project, text=f"u{i}")
        other = services.indicator_create(actor=organizer, project=project, name=f"i{i}", target=9)
        services.indicator_record_value(actor=organizer, indicator=other, value=i)
    counts()  # more projects and children: the same counts


def test_team_is_managed_by_the_lead_and_organizers(project, organizer, expert, member, partner):
    url = f"/api/projects/{project.pk}/team/"
    response = token_client(organizer).post(url, {"user": expert.pk, "role": "lead"})
    assert response.status_code == 201
    assert [(m["user"]["name"], m["role"]) for m in response.json()] == [("Expertise", "lead")]
    lead = token_client(expert)
    assert lead.post(url, {"user": member.pk}).status_code == 201
    assert token_client(member).post(url, {"user": partner.pk}).status_code == 403  # not lead
    assert lead.post(url, {"user": member.pk}).status_code == 409  # already on the team
    assert lead.post(url, {"user": 999999}).status_code == 404
    assert lead.post(url, {"user": "x", "role": "boss"}).status_code == 400
    assert token_client(partner).get(url).status_code == 200  # partners see the team
    assert token_client(None).post(url, {"user": member.pk}).status_code == 401


def test_theme_must_belong_to_the_event(orga_client, event, organizer):
    other = factories.make_event()
    theme = other.themes.create(name_fr="Ailleurs")
    response = orga_client.post(
        "/api/projects/", {"title_fr": "x", "event": event.pk, "theme": theme.pk}, format="json"
    )
    assert response.status_code == 400 and "theme" in response.json()
    response = orga_client.post("/api/projects/", {"title_fr": "x", "theme": theme.pk})
    assert response.status_code == 201
    assert (response.json()["theme"], response.json()["event"]) == (theme.pk, other.pk)
    listed = orga_client.get(f"/api/projects/?theme={theme.pk}").json()
    assert [p["id"] for p in listed["results"]] == [response.json()["id"]]
