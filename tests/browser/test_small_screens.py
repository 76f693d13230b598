"""WCAG 1.4.10 (reflow): no page scrolls sideways on a 320 px wide screen, in French and
English, for each role. The pages are the ones the other browser tests audit with axe
(their lists are reused), plus the board's own."""

from __future__ import annotations

import pytest

from ateliers.models import Event, HelpRequest, Meeting, Organization
from demo.seed import DEMO_ORGANIZER, DEMO_PASSWORD, seed_demo
from projets.models import Project
from tests.helpers import login

from .test_organizer_pages import ORGANIZER_PAGES
from .test_pages import PUBLIC_PAGES
from .test_project_pages import _paths as project_paths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDEST = """() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > window.innerWidth + 1) {
      out.push([Math.round(box.right), el.tagName.toLowerCase() +
        (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined
          ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '')]);
    }
  }
  return out.slice(0, 4);
}"""


@pytest.fixture
def demo(db):
    event = seed_demo()
    projects = {p.phase: p for p in Project.objects.all()}
    project = projects["experimentation"]
    return {
        "event": event.pk,
        "theme": event.themes.first().pk,
        "slot": event.slots.first().pk,
        "org": Organization.objects.get(name="Centre des femmes de Verdun").pk,
        "meeting_org": Meeting.objects.filter(schedule__event=event).first().organization_id,
        "open": HelpRequest.objects.filter(
            organization__name="Centre des femmes de Verdun", status="open"
        )
        .first()
        .pk,
        "claimed": HelpRequest.objects.get(status="claimed").pk,
        "project": project.pk,
        "project_paths": project_paths(projects),
    }


def _roles(demo) -> dict[str | None, list[str]]:
    board = [
        "/events/{event}/board/",
        "/events/{event}/projector/",
        "/api/docs/",
        *demo["project_paths"],
    ]
    return {
        None: [*PUBLIC_PAGES, *board],
        "guest": ["/join/?code=" + Event.objects.get(pk=demo["event"]).join_code, *board],
        DEMO_ORGANIZER[0]: [
            *ORGANIZER_PAGES,
            "/events/{event}/moderate/",
            "/partners/",
            "/projects/new/",
            "/projects/{project}/edit/",
            "/projects/{project}/story/edit/",
            "/organize/events/{event}/schedule/",
            "/organize/events/{event}/schedule/?view=person",
            "/organize/events/{event}/schedule/rounds/1/sign-in/",
            "/events/{event}/agenda/?organization={meeting_org}",
        ],
        "membre2": ["/help/", "/help/new/", "/help/{open}/", "/notifications/", "/me/"],
        "amelie": ["/expert/", "/help/{open}/", "/events/{event}/agenda/"],
        "jean": ["/help/{claimed}/"],
        "partenaire": ["/partners/", "/projects/"],
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_page_scrolls_sideways_at_320_px(live_server, browser, demo, lang):
    too_wide = {}
    for role, paths in _roles(demo).items():
        context = browser.new_context(locale="fr-CA", viewport={"width": 320, "height": 640})
        page = context.new_page()
        if role == "guest":
            page.goto(f"{live_server.url}{paths[0]}&lang={lang}")
            page.fill("#id_display_name", "Petit écran")
            page.click("main form button[type=submit]")
            page.locator("[data-post-form]").wait_for()
        elif role:
            password = DEMO_ORGANIZER[1] if role == DEMO_ORGANIZER[0] else DEMO_PASSWORD
            login(page, live_server, role, password)
        for path in paths:
            url = path.format(**demo)
            full = f"{live_server.url}{url}{'&' if '?' in url else '?'}lang={lang}"
            if "/api/docs/" in url:  # 1.5 MB of Swagger UI from the test server
                page.goto(full, wait_until="domcontentloaded", timeout=60_000)
                page.wait_for_selector(".swagger-ui .opblock", timeout=60_000)
            else:
                page.goto(full)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 320:
                too_wide[f"{role or 'visitor'} {url}"] = (width, page.evaluate(WIDEST))
        context.close()
    assert not too_wide, "\n".join(f"{k}: {v}" for k, v in too_wide.items())
