"""The no-JavaScript board pages: axe-clean in both languages, usable with the keyboard."""

from __future__ import annotations

import pytest

from ateliers.demo import DEMO_JOIN_CODE, seed_demo
from ateliers.models import Idea

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    return seed_demo()


def join(page, live_server, lang="fr"):
    page.goto(f"{live_server.url}/join/?code={DEMO_JOIN_CODE}&lang={lang}")
    page.fill("#id_display_name", "Clavier")
    page.press("#id_display_name", "Enter")
    page.wait_for_url("**/board/")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_board_page_is_accessible_for_visitors_and_guests(live_server, page, audit, demo, lang):
    page.goto(f"{live_server.url}/events/{demo.pk}/board/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    audit(page)
    join(page, live_server, lang)
    page.goto(f"{live_server.url}/events/{demo.pk}/board/?lang={lang}")
    audit(page)
    assert not page.js_errors


def test_keyboard_only_posting_shows_script_as_text(live_server, page, demo):
    join(page, live_server)
    page.focus("#id_text")
    page.keyboard.type("<script>window.pwned = 1</script> au clavier")
    page.keyboard.press("Tab")  # theme
    page.keyboard.press("Tab")  # submit
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Idea.objects.filter(text__contains="au clavier").count() == 1
    assert page.evaluate("window.pwned === undefined")
    shown = page.locator(".board-ideas li > p").filter(has_text="au clavier")
    assert shown.count() == 1
    assert shown.inner_text() == "<script>window.pwned = 1</script> au clavier"
