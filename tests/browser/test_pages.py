"""Every page of the foundation: axe-clean in French and English, usable by keyboard."""

from __future__ import annotations

import pytest

from demo.seed import DEMO_ORGANIZER, seed_demo
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/events/",
    "/events/{event}/",
    "/join/",
    "/accounts/login/",
    "/accounts/signup/",
    "/privacy/",
    "/does-not-exist/",
]
ORGANIZER_PAGES = ["/organize/", "/me/", "/me/delete/"]


@pytest.fixture
def demo(db):
    return seed_demo()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_accessible(live_server, page, audit, demo, path, lang):
    page.goto(f"{live_server.url}{path.format(event=demo.pk)}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    audit(page)
    assert not page.js_errors


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path", ORGANIZER_PAGES)
def test_organizer_pages_are_accessible(live_server, page, audit, demo, path, lang):
    login(page, live_server, *DEMO_ORGANIZER)
    page.goto(f"{live_server.url}{path}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    audit(page)


def test_event_page_shows_both_languages(live_server, page, demo):
    page.goto(f"{live_server.url}/events/{demo.pk}/?lang=en")
    assert "technology for community organisations" in page.locator("h1").inner_text()
    page.goto(f"{live_server.url}/events/{demo.pk}/?lang=fr")
    assert "le numérique au service du communautaire" in page.locator("h1").inner_text()


def test_skip_link_and_keyboard_language_switch(live_server, page, demo):
    page.goto(f"{live_server.url}/?lang=fr")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Reach the language switch with Tab alone and press it.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('name')") == "language":
            break
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_api_docs_render_from_local_assets(live_server, page, demo):
    """The interactive docs load with the CSP on and without any other host."""
    foreign = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else foreign.append(r.url)
    )
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=45_000)  # a 1 MB bundle, busy CI
    # Swagger UI draws only the operations near the screen (a virtualised list): scroll
    # through the page and gather every operation it draws.
    seen: set[str] = set()
    for _ in range(200):
        seen.update(page.locator(".opblock-summary-path").all_inner_texts())
        if page.locator(".opblock-tag", has_text="webhooks").count():
            break
        page.mouse.wheel(0, 600)
        page.wait_for_timeout(50)
    seen.update(page.locator(".opblock-summary-path").all_inner_texts())
    assert len(seen) > 40, sorted(seen)
    assert page.locator(".opblock-tag", has_text="webhooks").count() == 1  # the last tag
    assert foreign == []
    assert not page.js_errors
