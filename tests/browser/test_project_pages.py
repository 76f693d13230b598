"""Project pages: axe-clean in French and English, usable with the keyboard alone."""

from __future__ import annotations

import pytest

from demo.seed import DEMO_ORGANIZER, DEMO_PASSWORD, seed_demo
from projets.models import Project
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    event = seed_demo()
    projects = {p.phase: p for p in Project.objects.all()}
    return event, projects


def _paths(projects) -> list[str]:
    story = next(p for p in projects.values() if hasattr(p, "story"))
    paths = ["/projects/", "/projects/?phase=experimentation&q=num", "/stories/"]
    paths += [f"/projects/{p.pk}/" for p in projects.values()]
    paths += [f"/stories/{story.pk}/"]
    return paths


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_public_project_pages_are_accessible(live_server, page, audit, demo, lang):
    _event, projects = demo
    for path in _paths(projects):
        sep = "&" if "?" in path else "?"
        page.goto(f"{live_server.url}{path}{sep}lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        audit(page)
    assert not page.js_errors


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_team_and_organizer_pages_are_accessible(live_server, page, audit, demo, lang):
    event, projects = demo
    login(page, live_server, *DEMO_ORGANIZER)
    project = projects["experimentation"]
    for path in (
        f"/events/{event.pk}/moderate/",  # with "open a project from this idea"
        "/partners/",
        "/projects/new/",
        f"/projects/{project.pk}/",
        f"/projects/{project.pk}/edit/",
        f"/projects/{project.pk}/story/edit/",
    ):
        page.goto(f"{live_server.url}{path}?lang={lang}")
        audit(page)
    # A form with errors is accessible too.
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/?lang={lang}")
    page.fill("#id_milestone-title", "Bilan")
    with page.expect_navigation():
        page.click("form[aria-labelledby=milestone-heading] button[type=submit]")
    assert page.locator("#id_milestone-due_on_error").count() == 1
    audit(page)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_partner_dashboard_is_accessible(live_server, page, audit, demo, lang):
    login(page, live_server, "partenaire", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/?lang={lang}")
    assert page.locator("svg.chart[role=img]").count() == 1
    assert page.locator("table.dashboard tbody tr").count() == 2  # public + partners-only
    audit(page)


def test_follow_and_move_a_project_with_the_keyboard(live_server, page, demo):
    _event, projects = demo
    project = projects["co_creation"]
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}/projects/{project.pk}/?lang=en")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Follow this project":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("input[name=follow][value='0']").count() == 1  # now "stop following"
    assert project.follows.count() == 1
    page.goto(f"{live_server.url}/projects/{project.pk}/edit/?lang=en")
    page.focus("#id_transition-phase")
    page.select_option("#id_transition-phase", "experimentation")
    page.keyboard.press("Tab")
    page.keyboard.type("Pilot starts")
    for _ in range(10):  # past the "confirm going back" box (not needed going forward)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "submit":
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    project.refresh_from_db()
    assert project.phase == "experimentation"
    assert project.transitions.last().note == "Pilot starts"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_issue_20_pages_are_accessible(live_server, page, audit, demo, lang):
    """The analytics page, the warning before a second project from one idea, the phase
    form with entry criteria, the filtered portfolio and the event page with its trail."""
    from projets.models import PhaseCriterion

    event, projects = demo
    PhaseCriterion.objects.create(phase="evaluation", text_fr="Bilan écrit", text_en="Report")
    idea = projects["experimentation"].source_ideas.first()
    login(page, live_server, *DEMO_ORGANIZER)
    for path in (
        f"/organize/events/{event.pk}/analytics/",
        f"/projects/new/?idea={idea.pk}",
        f"/projects/{projects['experimentation'].pk}/edit/",
        f"/partners/?event={event.pk}",
        f"/events/{event.pk}/",
    ):
        sep = "&" if "?" in path else "?"
        page.goto(f"{live_server.url}{path}{sep}lang={lang}")
        audit(page)
    page.goto(f"{live_server.url}/organize/events/{event.pk}/analytics/?lang={lang}")
    assert page.locator("svg.chart[role=img]").count() >= 4
    assert not page.js_errors


def test_the_portfolio_table_does_not_scroll_the_page_on_a_phone(live_server, page, demo):
    login(page, live_server, "partenaire", DEMO_PASSWORD)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/partners/?lang=fr")
    assert page.locator(".table-scroll table.dashboard").count() == 1
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, overflow
