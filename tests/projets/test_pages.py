"""Project pages rendered by the server: content, forms that call services, query counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from demo.seed import DEMO_ORGANIZER, seed_demo
from projets import services
from projets.models import Project
from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    return seed_demo()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_demo_has_three_projects_in_different_phases_and_a_story(demo):
    projects = Project.objects.filter(event=demo)
    assert projects.count() == 3
    assert len(set(projects.values_list("phase", flat=True))) == 3
    assert projects.filter(story__published_at__isnull=False).count() == 1
    for project in projects:  # each came from ideas of the demo board
        assert project.source_ideas.count() == 2
    trained = projects.get(indicators__name="Personnes formées").indicators.get(
        name="Personnes formées"
    )
    assert trained.target == 50000 and trained.values.count() >= 3
    seed_demo()  # idempotent
    assert Project.objects.count() == 3


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_demo_pages_render_for_everyone(demo, lang):
    organizer = Client()
    assert organizer.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    for client in (organizer, Client()):
        for path in ("/projects/", "/stories/"):
            assert client.get(f"{path}?lang={lang}").status_code == 200
    for project in Project.objects.all():
        assert organizer.get(f"/projects/{project.pk}/?lang={lang}").status_code == 200
        assert organizer.get(f"/projects/{project.pk}/edit/?lang={lang}").status_code == 200
        assert organizer.get(f"/projects/{project.pk}/story/edit/").status_code == 200
    assert organizer.get(f"/partners/?lang={lang}").status_code == 200
    assert organizer.get("/projects/new/").status_code == 200


def test_project_page_shows_timeline_chart_and_its_table(demo):
    project = Project.objects.get(indicators__name="Personnes formées")
    html = Client().get(f"/projects/{project.pk}/?lang=en").content.decode()
    assert 'aria-current="step"' in html
    assert html.count('class="step step-done"') == 2  # exploration, co-creation
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert svg.count('class="chart-bar"') == 5
    assert 'class="chart-target"' in svg
    assert "<script" not in html.split("</footer>")[0]
    assert "Values of “Personnes formées”" in html  # the chart's data table
    assert "21,750" in html
    assert '<progress max="100" value="44"' in html  # 21 750 / 50 000 = 43.5 %
    assert "(over target)" in html  # 4 libraries of 3
    assert "Late" in html


def test_directory_filters(demo):
    client = Client()
    html = client.get("/projects/?phase=deployment&lang=en").content.decode()
    assert "accessible website" in html and "Digital literacy" not in html
    theme = demo.themes.get(name_en="Data and privacy")
    organizer = Client()
    organizer.login(username=DEMO_ORGANIZER[0], password=DEMO_ORGANIZER[1])
    html = organizer.get(f"/projects/?theme={theme.pk}&lang=en").content.decode()
    assert "food banks" in html and "Digital literacy" not in html
    # The theme of the partners-only project is not even offered to a visitor.
    assert ">Data and privacy</option>" not in client.get("/projects/?lang=en").content.decode()
    assert ">Data and privacy</option>" in html
    html = client.get("/projects/?q=litt%C3%A9ratie&lang=en").content.decode()
    assert "Digital literacy" in html and "accessible website" not in html
    # The partners-only CRM project is not in the anonymous directory, nor its partner.
    assert "food banks" not in client.get("/projects/?lang=en").content.decode()
    assert client.get("/projects/?partner=abc&phase=nope&page=zz").status_code == 200


def _count(client, path) -> None:
    with assert_queries(f"page {path} as a partner"):
        assert client.get(path).status_code == 200


def _add_projects(organizer, org, partner_org, n):
    for _ in range(n):
        project = factories.make_project(
            actor=organizer,
            visibility="partners",
            organizations=[org],
            partners=[partner_org],
            region="Laval",
            team=[(factories.make_user(), "lead")],
        )
        services.milestone_create(actor=organizer, project=project, title="m", due_on="2020-01-01")
        services.project_post_update(actor=organizer, project=project, text="news")
        for name in ("a", "b"):
            ind = services.indicator_create(actor=organizer, project=project, name=name, target=10)
            services.indicator_record_value(actor=organizer, indicator=ind, value=3)


@pytest.mark.parametrize("path", ["/projects/", "/partners/"])
def test_directory_and_dashboard_query_counts_are_constant(organizer, org, partner, path):
    partner_org = partner.organizations.get()
    client = logged_in(partner)
    _add_projects(organizer, org, partner_org, 1)
    _count(client, path)
    _add_projects(organizer, org, partner_org, 15)
    _count(client, path)  # 15 projects more: the same count
    html = client.get(path).content.decode()
    assert html.count("Projet ") >= 16


def test_team_edits_through_the_forms(organizer, org, expert, partner):
    project = factories.make_project(actor=organizer, organizations=[org])
    services.project_member_add(actor=organizer, project=project, user=expert, role="member")
    client = logged_in(expert)
    url = f"/projects/{project.pk}/edit/"
    response = client.post(
        url, {"form": "transition", "transition-phase": "co_creation", "transition-note": "Go"}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.phase == "co_creation"
    response = client.post(url, {"form": "transition", "transition-phase": "deployment"})
    assert response.status_code == 400  # not offered from co-creation: a form error
    assert client.post(url, {"form": "update", "update-text": "Du nouveau"}).status_code == 302
    assert project.updates.get().text == "Du nouveau"
    assert (
        client.post(
            url, {"form": "milestone", "milestone-title": "Pilote", "milestone-due_on": "bad"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            url,
            {"form": "indicator", "indicator-name": "Personnes", "indicator-target": "50000"},
        ).status_code
        == 302
    )
    ind = project.indicators.get()
    response = client.post(url, {"form": "value", "value-indicator": ind.pk, "value-value": "120"})
    assert response.status_code == 302
    ind.refresh_from_db()
    assert ind.current == 120
    # Not the lead: no visibility field, and the member form is refused by the service.
    client.post(
        url, {"form": "project", "project-title_fr": "Nouveau", "project-visibility": "private"}
    )
    project.refresh_from_db()
    assert (project.title_fr, project.visibility) == ("Nouveau", "public")
    assert (
        client.post(
            url, {"form": "member", "member-username": "x", "member-role": "lead"}
        ).status_code
        == 400
    )
    assert client.post(url, {"form": "nope"}).status_code == 400
    response = client.post(
        f"/projects/{project.pk}/story/edit/",
        {"narrative_fr": "Il était une fois", "lessons_en": "Lessons", "publish": "on"},
    )
    assert response.status_code == 302
    assert Client().get(f"/stories/{project.pk}/").status_code == 200
    # Outsiders: a partner cannot open the team page; a visitor is sent to log in.
    assert logged_in(partner).get(url).status_code == 403
    assert Client().get(url).status_code == 302


def test_follow_from_the_page(organizer, partner):
    project = factories.make_project(actor=organizer)
    client = logged_in(partner)
    assert client.post(f"/projects/{project.pk}/follow/", {"follow": "1"}).status_code == 302
    assert project.follows.filter(user=partner).exists()
    assert "Projet" in client.get("/partners/").content.decode()
    client.post(f"/projects/{project.pk}/follow/", {"follow": "0"})
    assert not project.follows.exists()
    assert Client().post(f"/projects/{project.pk}/follow/").status_code == 302  # to login


def test_only_organizers_open_projects(organizer, partner):
    assert logged_in(partner).get("/projects/new/").status_code == 403
    response = logged_in(organizer).post(
        "/projects/new/", {"title_en": "New one", "visibility": "private"}
    )
    assert response.status_code == 302
    assert Project.objects.get().visibility == "private"
    assert logged_in(organizer).post("/projects/new/", {"visibility": "x"}).status_code == 200


HUGE = "99999999999999999999"  # beyond SQLite's INTEGER: must be a 404, not a 500


@pytest.mark.parametrize(
    "path",
    [
        f"/projects/{HUGE}/",
        f"/projects/{HUGE}/edit/",
        f"/projects/{HUGE}/story/edit/",
        f"/stories/{HUGE}/",
        f"/api/projects/{HUGE}/",
        f"/api/projects/{HUGE}/updates/",
        f"/api/projects/{HUGE}/indicators/",
        f"/api/projects/{HUGE}/milestones/",
        f"/api/stories/{HUGE}/",
    ],
)
def test_out_of_range_ids_are_404(organizer, path):
    client = Client(raise_request_exception=False)
    client.force_login(organizer)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "query", [f"event={HUGE}", f"partner={HUGE}", f"idea={HUGE}", f"help_request={HUGE}"]
)
def test_out_of_range_filters_are_4xx_or_empty(organizer, query):
    client = Client(raise_request_exception=False)
    client.force_login(organizer)
    assert client.get(f"/api/projects/?{query}").status_code in (200, 400)
    assert client.get(f"/projects/?{query}").status_code == 200
    assert client.get(f"/api/projects/export.csv?{query}").status_code in (200, 400)


def test_out_of_range_ids_in_forms_are_form_errors(organizer):
    project = factories.make_project(actor=organizer)
    client = Client(raise_request_exception=False)
    client.force_login(organizer)
    url = f"/projects/{project.pk}/edit/"
    for data in (
        {"form": "value", "value-indicator": HUGE, "value-value": "1"},
        {"form": "done", "done-milestone": HUGE, "done-done": "on"},
        {
            "form": "project",
            "project-title_fr": "x",
            "project-visibility": "public",
            "project-partners": [HUGE],
        },
        {"form": "value", "value-indicator": "1", "value-value": "1e400"},
    ):
        assert client.post(url, data).status_code == 400, data
    response = client.post(
        "/projects/new/", {"title_fr": "x", "visibility": "public", "source_ideas": [HUGE]}
    )
    assert response.status_code == 200 and not Project.objects.filter(title_fr="x").exists()


def test_the_lead_removes_a_milestone_and_a_team_member(organizer, org, expert):
    project = factories.make_project(actor=organizer, organizations=[org])
    member = services.project_member_add(actor=organizer, project=project, user=expert)
    milestone = services.milestone_create(
        actor=organizer, project=project, title="Pilote", due_on="2027-03-01"
    )
    other = factories.make_project(actor=organizer)
    foreign = services.milestone_create(
        actor=organizer, project=other, title="Ailleurs", due_on="2027-03-01"
    )
    client = logged_in(organizer)
    url = f"/projects/{project.pk}/edit/"
    page = client.get(url).content.decode()
    assert "milestone_remove-milestone" in page and "member_remove-member" in page
    # Another project's milestone is not a valid choice here.
    response = client.post(
        url, {"form": "milestone_remove", "milestone_remove-milestone": foreign.pk}
    )
    assert response.status_code == 400
    assert other.milestones.filter(pk=foreign.pk).exists()
    response = client.post(
        url, {"form": "milestone_remove", "milestone_remove-milestone": milestone.pk}
    )
    assert response.status_code == 302
    assert not project.milestones.exists()
    response = client.post(url, {"form": "member_remove", "member_remove-member": member.pk})
    assert response.status_code == 302
    assert not project.members.filter(user=expert).exists()
    # A plain team member cannot remove people: the form is not even offered.
    services.project_member_add(actor=organizer, project=project, user=expert)
    assert "member_remove-member" not in logged_in(expert).get(url).content.decode()
