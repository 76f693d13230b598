"""The room's new pages in a real browser against daphne: live polls (answer with JS, the
projector updates), and axe on every new or changed page in both languages."""

from __future__ import annotations

import json
import urllib.request

import pytest
from playwright.sync_api import expect

from ateliers.demo import DEMO_ORGANIZER
from tests.live import DaphneServer

pytestmark = pytest.mark.browser


def api(server, method, path, body=None, token=None):
    request = urllib.request.Request(
        server.url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Token {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="module")
def server():
    server = DaphneServer().migrate(seed=True).start()
    token = api(
        server,
        "POST",
        "/api/auth/token/",
        {"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]},
    )["token"]
    single = api(
        server,
        "POST",
        "/api/events/1/polls/",
        {
            "question_fr": "Par où commencer ?",
            "question_en": "Where to start?",
            "kind": "single",
            "choices": [
                {"label_fr": "Site web", "label_en": "Website"},
                {"label_fr": "Dons", "label_en": "Donations"},
            ],
        },
        token,
    )
    words = api(
        server,
        "POST",
        "/api/events/1/polls/",
        {"question_fr": "Un mot ?", "question_en": "One word?", "kind": "words"},
        token,
    )
    for poll in (single, words):
        api(server, "PATCH", f"/api/polls/{poll['id']}/", {"status": "open"}, token)
    server.polls = {"single": single, "words": words, "token": token}
    yield server
    server.stop()


def join(page, server, name, lang="fr"):
    page.goto(f"{server.url}/join/?code=TECHWK&lang={lang}")
    page.fill("#id_display_name", name)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/board/")
    expect(page.locator("[data-conn]")).to_have_text("En direct" if lang == "fr" else "Live")


def login(page, server, lang):
    page.goto(f"{server.url}/accounts/login/?lang={lang}")
    page.fill("#id_username", DEMO_ORGANIZER[0])
    page.fill("#id_password", DEMO_ORGANIZER[1])
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_a_guest_answers_live_and_the_projector_follows(server, browser):
    phone = browser.new_context(locale="fr-CA").new_page()
    screen = browser.new_context(locale="fr-CA").new_page()
    errors: list[str] = []
    for page in (phone, screen):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    join(phone, server, "Nadia")
    screen.goto(f"{server.url}/events/1/projector/")
    expect(screen.locator("[data-conn]")).to_have_text("En direct")
    words = server.polls["words"]["id"]
    card = phone.locator(f"#poll-{words}")
    card.locator("input[name=text]").fill("Bénévoles")
    card.locator("button[type=submit]").click()
    expect(card.locator("[data-poll-feedback]")).to_contain_text("Votre réponse est enregistrée")
    assert phone.url.endswith("/board/")  # no reload: the script sent it
    expect(screen.locator(f"#poll-{words} .word-cloud")).to_contain_text("bénévoles (1)")
    # closing is pushed: the phone's form goes, the projector says "closed"
    api(server, "PATCH", f"/api/polls/{words}/", {"status": "closed"}, server.polls["token"])
    expect(card.locator("[data-poll-form]")).to_have_count(0)
    expect(screen.locator(f"#poll-{words} [data-poll-state]")).to_have_text(
        "Fermé : résultats définitifs."
    )
    # reopening brings the form back live, built by the script
    api(server, "PATCH", f"/api/polls/{words}/", {"status": "open"}, server.polls["token"])
    expect(card.locator("input[name=text]")).to_be_visible()
    assert errors == []
    phone.context.close()
    screen.context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_room_pages_are_accessible(server, browser, audit, lang):
    context = browser.new_context()
    page = context.new_page()
    join(page, server, "Axe", lang=lang)
    page.goto(f"{server.url}/events/1/board/?lang={lang}")
    expect(page.locator("[data-polls]")).to_be_visible()
    audit(page)
    page.goto(f"{server.url}/events/1/projector/?lang={lang}")
    audit(page)
    login(page, server, lang)
    for path in (
        "/events/1/moderate/",
        "/events/1/polls/",
        "/organize/events/1/moderators/",
    ):
        page.goto(f"{server.url}{path}?lang={lang}")
        assert page.locator("html").get_attribute("lang") == lang
        page.locator("details.poll-create").evaluate_all("ds => ds.forEach(d => d.open = true)")
        audit(page)
    context.close()
