"""An old phone on a slow link: an early tap never reloads the board, the page tells the
truth while the socket opens, and a guest can stay anonymous."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.live import DaphneServer

pytestmark = pytest.mark.browser

SLOW = {"offline": False, "latency": 1500, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


@pytest.fixture(scope="module")
def server():
    server = DaphneServer().migrate(seed=True).start()
    yield server
    server.stop()


def test_an_early_tap_is_queued_and_posted_without_a_reload(server, browser):
    """Tap "post" the moment the board shows, before its script or socket are ready:
    the idea is sent once, acknowledged on the same page (no full reload), and the
    connection line never says "offline" meanwhile."""
    context = browser.new_context(locale="fr-CA", viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.set_default_timeout(30_000)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.goto(f"{server.url}/join/?code=TECHWK&lang=fr")
    page.fill("#id_display_name", "Pressée")
    page.click("main form button[type=submit]", no_wait_after=True)
    page.locator("[data-post-form]").wait_for(state="attached")
    page.evaluate("window.sameDocument = true")
    texts = []
    page.expose_function("seen", lambda text: texts.append(text))
    page.evaluate(
        """() => new MutationObserver(() => {
            document.querySelectorAll('[data-conn], [data-post-feedback]').forEach(
                el => window.seen(el.textContent));
        }).observe(document.body, {subtree: true, childList: true, characterData: true})"""
    )
    page.fill("[data-post-form] textarea[name=text]", "Tapée trop tôt")
    page.click("[data-post-form] button[type=submit]", no_wait_after=True)
    expect(page.locator("[data-post-feedback]")).to_have_text(
        "Votre idée est sur le tableau.", timeout=30_000
    )
    assert page.evaluate("window.sameDocument") is True  # not a reload
    assert not [url for url in navigations if "/post/" in url]
    assert page.url.endswith("/events/1/board/")  # a refresh reloads the board
    assert page.locator(".idea-text", has_text="Tapée trop tôt").count() == 1
    assert not [t for t in texts if "Hors ligne" in t or "Pas de réseau" in t], texts
    # Once live, the board still has it exactly once.
    expect(page.locator("[data-conn]")).to_have_text("En direct")
    assert page.locator(".idea-text", has_text="Tapée trop tôt").count() == 1
    context.close()


def test_the_connection_line_says_connecting_not_offline(server, browser):
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    page.goto(f"{server.url}/join/?code=TECHWK&lang=en")
    page.fill("#id_display_name", "Patient")
    page.click("main form button[type=submit]")
    page.locator("[data-post-form]").wait_for()
    # Slow the link down only now: the socket is still opening when we read the line.
    cdp.send("Network.emulateNetworkConditions", {**SLOW, "latency": 4000})
    page.reload()
    expect(page.locator("[data-conn]")).to_have_text("Connecting to the live board…")
    expect(page.locator("[data-conn]")).to_have_text("Live", timeout=30_000)
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_guest_stays_anonymous_with_javascript_on(server, browser, audit, lang):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/join/?code=TECHWK&lang={lang}")
    audit(page)
    page.check("#id_anonymous")
    page.fill("#id_text", f"Idée sans nom ({lang})")
    page.click("main form button[type=submit]")
    card = page.locator("li.idea", has_text=f"Idée sans nom ({lang})")
    card.wait_for()
    signed = "Anonyme" if lang == "fr" else "Anonymous"
    expect(card.locator("[data-field=author_name]")).to_have_text(signed)
    expect(page.locator("[data-conn]")).to_have_text("En direct" if lang == "fr" else "Live")
    audit(page)
    context.close()
