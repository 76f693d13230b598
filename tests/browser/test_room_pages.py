"""The room's new pages in a real browser against daphne: live polls (answer with JS, the
projector updates), and axe on every new or changed page in both languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.seed import DEMO_ORGANIZER
from tests.helpers import live_json
from tests.live import DaphneServer

pytestmark = pytest.mark.browser


def api(server, method, path, body=None, token=None):
    status, answer = live_json(server, method, path, body, token, "Token")
    assert status < 400, answer
    return answer


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


def two_pages(browser) -> tuple:
    """Two pages, each in its own French context (two people), and the list their
    script errors go to."""
    errors: list[str] = []
    pages = [browser.new_context(locale="fr-CA").new_page() for _ in range(2)]
    for page in pages:
        page.on("pageerror", lambda exc: errors.append(str(exc)))
    return *pages, errors


def moderation_desk(page, server) -> None:
    """The organizer's moderation page, connected."""
    login(page, server, "fr")
    page.goto(f"{server.url}/events/1/moderate/")
    expect(page.locator("[data-conn]")).to_have_text("En direct")


def test_a_guest_answers_live_and_the_projector_follows(server, browser):
    phone, screen, errors = two_pages(browser)
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


def test_pre_moderation_queue_is_live_and_keyboard_driven(server, browser, audit):
    """Issue 18: under pre-moderation the phone is told the truth, the moderator's queue
    grows without a reload, A approves the focused idea, and the phone then shows it."""
    token = server.polls["token"]
    api(server, "PATCH", "/api/events/1/", {"moderation": "pre"}, token)
    try:
        phone, desk, errors = two_pages(browser)
        moderation_desk(desk, server)
        join(phone, server, "Prudence")
        text = "Une idée relue avant publication"
        phone.fill("#id_text", text)
        phone.click("[data-post-form] button[type=submit]")
        expect(phone.locator("[data-post-feedback]")).to_contain_text("Merci : votre idée paraîtra")
        expect(phone.locator(".idea", has_text=text)).to_have_count(0)

        item = desk.locator("[data-pending]", has_text=text)
        expect(item).to_be_visible()  # drawn live, no reload
        audit(desk)
        item.focus()
        desk.keyboard.press("a")
        expect(desk.locator("[data-pending]", has_text=text)).to_have_count(0)
        expect(phone.locator(".idea", has_text=text)).to_be_visible()
        assert errors == []
        phone.context.close()
        desk.context.close()
    finally:
        api(server, "PATCH", "/api/events/1/", {"moderation": "post"}, token)


def test_likely_duplicates_are_redrawn_live_on_the_moderation_page(server, browser):
    """Two ideas saying the same thing, posted from a phone, appear as a pair in the
    moderation page's "likely duplicates" without a reload (duplicates.js with
    fragment.js), and the page's other scripts keep working."""
    phone, desk, errors = two_pages(browser)
    moderation_desk(desk, server)
    desk.evaluate(
        "() => { window.stayed = 1; document.querySelector('[data-duplicates]').dataset.old = 1; }"
    )
    join(phone, server, "Doublon")
    texts = (
        "Installer un composteur collectif dans la cour du centre communautaire",
        "Un composteur collectif installé dans la cour du centre communautaire",
    )
    for text in texts:
        phone.fill("#id_text", text)
        phone.click("[data-post-form] button[type=submit]")
        expect(phone.locator(".idea", has_text=text)).to_be_visible()
    section = desk.locator("[data-duplicates]")
    for text in texts:
        expect(section.locator("blockquote", has_text=text)).to_be_visible()
    # swapped in place, not a reload: the page's mark stays, the old section's is gone
    assert desk.evaluate("() => window.stayed") == 1
    assert desk.evaluate("() => document.querySelector('[data-duplicates]').dataset.old") is None
    expect(section.get_by_role("button", name=re.compile("^Fusionner n° ")).first).to_be_visible()
    assert errors == []
    phone.context.close()
    desk.context.close()


def test_a_pin_reorders_phones_and_the_projector_live(server, browser):
    """Issue 18: pins first, then the chosen sort, applied live on every screen."""
    token = server.polls["token"]
    phone, screen, _errors = two_pages(browser)
    join(phone, server, "Ordre")
    screen.goto(f"{server.url}/events/1/projector/")
    expect(screen.locator("[data-conn]")).to_have_text("En direct")
    column = phone.locator("[data-ideas]").first
    last = column.locator("li.idea").last.get_attribute("data-idea")
    assert column.locator("li.idea").first.get_attribute("data-idea") != last
    api(server, "POST", f"/api/ideas/{last}/moderate/", {"action": "pin"}, token)
    try:
        first = "li.idea >> nth=0"
        expect(column.locator(first)).to_have_attribute("data-idea", last)
        projector_first = screen.locator(f"[data-ideas]:has(#idea-{last}) li.idea >> nth=0")
        expect(projector_first).to_have_attribute("data-idea", last)
        # The phone's own choice of order (newest first) keeps the pin on top.
        phone.select_option("#id_sort", "new")
        expect(column.locator(first)).to_have_attribute("data-idea", last)
        ids = [
            int(i)
            for i in column.locator("li.idea:not(.is-pinned)").evaluate_all(
                "els => els.map(e => e.getAttribute('data-idea'))"
            )
        ]
        assert ids == sorted(ids, reverse=True)
        assert "sort=new" in phone.url
        # Opened again without the address's choice, the board keeps it.
        phone.goto(f"{server.url}/events/1/board/")
        expect(phone.locator("#id_sort")).to_have_value("new")
        phone.select_option("#id_sort", "top")
    finally:
        api(server, "POST", f"/api/ideas/{last}/moderate/", {"action": "unpin"}, token)
    phone.context.close()
    screen.context.close()


BIG_BOARD = """
import uuid
from datetime import timedelta
from django.utils import timezone
from ateliers.models import User
from ateliers.services import board, events
boss = User.objects.get(username="organisatrice")
start = timezone.now() + timedelta(hours=1)
event = events.event_create(actor=boss, title_fr="Grande salle", starts_at=start,
    ends_at=start + timedelta(hours=8), languages=["fr", "en"], status="published")
themes = [events.theme_create(actor=boss, event=event, name_fr=f"Thème {n}") for n in range(5)]
guests = [board.participant_join(code=event.join_code, display_name=f"P{n}") for n in range(20)]
for n in range(200):
    text = f"Idée {n} " + "pour un quartier plus accessible et plus vert " * (1 + n % 6)
    idea, _ = board.idea_post(
        participant=guests[n % 20], theme=themes[n % 5], client_id=uuid.uuid4(), text=text
    )
board.vote_set(participant=guests[1], idea=idea, value=1)
print(event.pk, idea.pk)
"""


@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1920, 1080)])
def test_the_projector_fits_the_screen_with_200_ideas(server, browser, width, height):
    """Issue 18: the projector ran off a 1920×1080 screen and said "1 votes"."""
    if not hasattr(server, "big_board"):
        out = server.manage("shell", "-c", BIG_BOARD).stdout.split()
        server.big_board = (int(out[-2]), int(out[-1]))
    event_id, voted = server.big_board
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-CA")
    page = context.new_page()
    page.goto(f"{server.url}/events/{event_id}/projector/")
    expect(page.locator("[data-conn]")).to_have_text("En direct")
    page.wait_for_timeout(300)  # the fit runs on the next frame
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.scrollHeight,"
        " innerWidth, innerHeight]"
    )
    assert sizes[0] <= sizes[2] and sizes[1] <= sizes[3], sizes
    shown = page.locator(".board-column:not([hidden]) li.idea:not([hidden])")
    assert shown.count() >= 3  # something to read in every visible column
    for box in shown.evaluate_all("els => els.map(e => e.getBoundingClientRect().bottom)"):
        assert box <= height
    # Five themes do not fit across: the page says which ones it shows, and pages on.
    expect(page.locator("[data-projector-pages]")).to_contain_text("Thèmes 1 à")
    expect(page.locator(f"#idea-{voted} .idea-votes")).to_have_text("1 vote")
    context.close()


def test_closing_the_event_locks_open_phones_and_reopening_unlocks_them(server, browser):
    """Issue 18: closing or reopening the event was not pushed, so open phones kept an
    active "Post" button. Each phone is told in the language of its own page."""
    token = server.polls["token"]
    english = browser.new_context(locale="en-CA").new_page()
    french = browser.new_context(locale="fr-CA").new_page()
    join(english, server, "Closing", lang="en")
    join(french, server, "Fermeture", lang="fr")
    phones = {
        english: ("The board is locked.", "The board is open."),
        french: ("Le tableau est verrouillé.", "Le tableau est ouvert."),
    }
    for phone in phones:
        expect(phone.locator("[data-post-form] button[type=submit]")).to_be_enabled()
        expect(phone.locator("[data-locked-note]")).to_be_hidden()
    api(server, "PATCH", "/api/events/1/", {"status": "closed"}, token)
    try:
        for phone, (locked, _) in phones.items():
            expect(phone.locator("[data-post-form] button[type=submit]")).to_be_disabled()
            expect(phone.locator("[data-locked-note]")).to_be_visible()
            expect(phone.locator("[data-announce]")).to_have_text(locked)
            # Reading goes on: the order of the ideas can still be chosen.
            expect(phone.locator("[data-sort-form] button")).to_be_enabled()
        # A reload still shows the board closed.
        english.reload()
        expect(english.locator("[data-post-form] button[type=submit]")).to_be_disabled()
    finally:
        api(server, "PATCH", "/api/events/1/", {"status": "published"}, token)
    for phone, (_, unlocked) in phones.items():
        expect(phone.locator("[data-post-form] button[type=submit]")).to_be_enabled()
        expect(phone.locator("[data-locked-note]")).to_be_hidden()
        expect(phone.locator("[data-announce]")).to_have_text(unlocked)
    english.fill("[data-post-form] textarea", "Reopened: posting works again")
    english.click("[data-post-form] button[type=submit]")
    expect(french.locator("li.idea", has_text="Reopened: posting works again")).to_be_visible()
    english.context.close()
    french.context.close()
