"""Help-request pages: axe-clean in French and English, claimable by keyboard without JS."""

from __future__ import annotations

import pytest

from ateliers.demo import DEMO_PASSWORD, seed_demo
from ateliers.models import HelpRequest

from .conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    return seed_demo()


def _open_request():
    return HelpRequest.objects.filter(
        organization__name="Centre des femmes de Verdun", status="open"
    ).first()


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("username", "path"),
    [
        ("membre2", "/help/"),
        ("membre2", "/help/new/"),
        ("membre2", "/help/{open}/"),
        ("membre2", "/help/{open}/edit/"),
        ("membre2", "/notifications/"),
        ("amelie", "/expert/"),
        ("amelie", "/help/{open}/"),
        ("jean", "/help/{claimed}/"),
    ],
)
def test_help_pages_are_accessible(live_server, page, audit, demo, username, path, lang):
    ids = {
        "open": _open_request().pk,
        "claimed": HelpRequest.objects.get(status="claimed").pk,
    }
    login(page, live_server, username, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{path.format(**ids)}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    audit(page)
    assert not page.js_errors


def test_expert_claims_with_the_keyboard(live_server, page, audit, demo):
    """The claim is a plain form POST (no script on these pages): Tab to it, press Enter."""
    login(page, live_server, "amelie", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/expert/?lang=en")
    assert page.locator("script").count() == 0
    page.locator("form button", has_text="Claim").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0].endswith("/expert/")
    assert "You claimed this request." in page.content()
    assert HelpRequest.objects.filter(claimed_by__username="amelie").count() == 1
    audit(page)
