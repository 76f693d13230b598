"""The board as people use it, against a real daphne: live updates, keyboard, no-JS, axe."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.live import DaphneServer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    server = DaphneServer().migrate(seed=True).start()
    yield server
    server.stop()


def join(page, server, name="Zoé", lang="fr"):
    page.goto(f"{server.url}/join/?code=TECHWK&lang={lang}")
    page.fill("#id_display_name", name)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/board/")
    expect(page.locator("[data-conn]")).to_have_text("En direct" if lang == "fr" else "Live")


def board_events(server, since=0):
    with urllib.request.urlopen(f"{server.url}/api/events/1/board/?since={since}") as response:
        return json.load(response)


def test_an_idea_appears_live_on_another_phone_and_the_projector(server, browser):
    alice = browser.new_context(locale="fr-CA").new_page()
    bob = browser.new_context(locale="fr-CA").new_page()
    projector = browser.new_context(locale="fr-CA").new_page()
    join(alice, server, "Alice")
    join(bob, server, "Bob")
    projector.goto(f"{server.url}/events/1/projector/")
    expect(projector.locator("[data-conn]")).to_have_text("En direct")
    # The QR code people scan from the big screen is a real, rendered image.
    assert projector.locator("img.join-qr").evaluate("img => img.naturalWidth") > 0

    alice.fill("#id_text", "Un atelier <script>alert(1)</script> de réparation")
    alice.click("[data-post-form] button[type=submit]")
    expect(alice.locator("[data-post-feedback]")).to_have_text("Votre idée est sur le tableau.")
    # Bob sees it without reloading; the markup is text, not a script.
    item = bob.locator(".idea-text", has_text="Un atelier <script>alert(1)</script>")
    item.wait_for()
    assert bob.locator(".idea-text script").count() == 0
    # Screen readers hear it politely.
    expect(bob.locator("[data-announce]")).to_contain_text("Nouvelle idée")
    projector.locator(".idea-text", has_text="de réparation").wait_for()
    alice.context.close()
    bob.context.close()
    projector.context.close()


def test_vote_counts_reach_everyone(server, browser):
    alice = browser.new_context().new_page()
    bob = browser.new_context().new_page()
    join(alice, server, "Alice2")
    join(bob, server, "Bob2")
    alice.fill("#id_text", "Idée à soutenir")
    alice.click("[data-post-form] button[type=submit]")
    card = bob.locator("li.idea", has_text="Idée à soutenir")
    card.wait_for()
    card.locator(".vote-button").click()
    assert card.locator(".vote-button").get_attribute("aria-pressed") == "true"
    alice.locator("li.idea", has_text="Idée à soutenir").locator(
        "[data-field=votes]", has_text="1"
    ).wait_for()
    alice.context.close()
    bob.context.close()


def test_a_draft_survives_a_dropped_connection_and_is_sent_once(server, browser):
    """The server goes away mid-event: the idea typed meanwhile is kept, then sent once."""
    context = browser.new_context()
    page = context.new_page()
    join(page, server, "Hors-ligne")
    before = board_events(server)["seq"]
    server.stop()
    expect(page.locator("[data-conn]")).to_contain_text("reconnexion", timeout=15_000)
    page.fill("#id_text", "Idée écrite pendant la coupure")
    page.click("[data-post-form] button[type=submit]")
    expect(page.locator("[data-post-feedback]")).to_contain_text("gardée")
    # Even a reload keeps it: the draft lives in localStorage with its client_id.
    server.start()
    expect(page.locator("[data-post-feedback]")).to_have_text(
        "Votre idée est sur le tableau.", timeout=30_000
    )
    page.reload()
    expect(page.locator("[data-conn]")).to_have_text("En direct")
    created = [e for e in board_events(server, before)["events"] if e["type"] == "idea.created"]
    texts = [e["idea"]["text"] for e in created]
    assert texts.count("Idée écrite pendant la coupure") == 1
    assert page.locator("#id_text").input_value() == ""
    context.close()


def test_keyboard_only_posting(server, browser):
    page = browser.new_context().new_page()
    page.goto(f"{server.url}/join/?code=TECHWK&lang=fr")
    page.focus("#id_display_name")
    page.keyboard.type("Clavier")
    page.keyboard.press("Enter")
    page.wait_for_url("**/board/")
    expect(page.locator("[data-conn]")).to_have_text("En direct")
    page.focus("#id_text")
    page.keyboard.type("Proposée au clavier seulement")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("[data-post-feedback]")).to_have_text("Votre idée est sur le tableau.")
    page.locator(".idea-text", has_text="Proposée au clavier seulement").wait_for()
    page.context.close()


def test_the_board_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    join_nojs = page.goto(f"{server.url}/join/?code=TECHWK")
    assert join_nojs.ok
    page.fill("#id_display_name", "Sans JS")
    page.click("main form button[type=submit]")
    page.locator("[data-post-form]").wait_for()  # the join POST answers with the board
    page.fill("#id_text", "Idée sans JavaScript")
    page.click("[data-post-form] button[type=submit]")
    page.wait_for_load_state()
    card = page.locator("li.idea", has_text="Idée sans JavaScript")
    assert card.count() == 1
    card.locator(".vote-button").click()
    page.wait_for_load_state()
    card = page.locator("li.idea", has_text="Idée sans JavaScript")
    assert card.locator("[data-field=votes]").text_content() == "1"
    assert card.locator(".vote-button").get_attribute("aria-pressed") == "true"
    context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_board_pages_are_accessible(server, browser, audit, lang):
    context = browser.new_context()
    page = context.new_page()
    join(page, server, "Axe", lang=lang)
    page.goto(f"{server.url}/events/1/board/?lang={lang}")
    expect(page.locator("[data-conn]")).not_to_be_empty()
    page.locator("details.comments").first.evaluate("d => d.open = true")
    audit(page)
    page.goto(f"{server.url}/events/1/projector/?lang={lang}")
    audit(page)
    page.goto(f"{server.url}/accounts/login/?lang={lang}")
    page.fill("#id_username", "organisatrice")
    page.fill("#id_password", "techworks-2026")
    page.click("main form button[type=submit]")
    page.goto(f"{server.url}/events/1/moderate/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    audit(page)
    context.close()
