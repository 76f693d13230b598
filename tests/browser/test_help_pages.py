"""Help-request pages: axe-clean in French and English, claimable by keyboard without JS."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from ateliers.models import Event, HelpRequest
from demo.seed import DEMO_PASSWORD, seed_demo
from tests.helpers import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def call(server, path, body=None, token=None):
    """A JSON request to the live server (``body``: POST), the answer's JSON."""
    import json
    import urllib.request

    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{server.url}{path}", data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@contextmanager
def live_page(browser, tmp_path, username: str):
    """A real daphne with the demo data, and a logged-in page on it; page errors kept."""
    from tests.live import DaphneServer

    # DEBUG=1: static files straight from the app directories (no collectstatic)
    server = DaphneServer(workdir=tmp_path, env={"DEBUG": "1"}).migrate(seed=True)
    server.start()
    context = browser.new_context(locale="en-CA")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.errors = []
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))
    try:
        page.goto(f"{server.url}/accounts/login/?lang=en")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        yield server, page
    finally:
        context.close()
        server.stop()


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
        ("membre2", "/notifications/"),
        ("amelie", "/expert/"),
        ("amelie", "/help/{open}/"),
        ("jean", "/help/{claimed}/"),
        ("organisatrice", "/organize/events/{event}/help/"),
    ],
)
def test_help_pages_are_accessible(live_server, page, audit, demo, username, path, lang):
    ids = {
        "open": _open_request().pk,
        "claimed": HelpRequest.objects.get(status="claimed").pk,
        "event": Event.objects.order_by("pk").first().pk,
    }
    login(page, live_server, username, DEMO_PASSWORD)
    page.goto(f"{live_server.url}{path.format(**ids)}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator("h1").count() == 1
    audit(page)
    assert not page.js_errors


def test_expert_claims_with_the_keyboard(live_server, page, audit, demo):
    """The claim is a plain form POST (the page's only script, the live notifications,
    is not needed for it): Tab to it, press Enter."""
    login(page, live_server, "amelie", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/expert/?lang=en")
    assert page.locator("form[method=post] button", has_text="Claim").count() >= 1
    page.locator("form button", has_text="Claim").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0].endswith("/expert/")
    assert "You claimed this request." in page.content()
    assert HelpRequest.objects.filter(claimed_by__username="amelie").count() == 1
    audit(page)


def test_notifications_arrive_live_in_the_page(browser, tmp_path):
    """Real daphne, real WebSocket: a claim made elsewhere appears without a reload."""
    import json
    import urllib.request

    with live_page(browser, tmp_path, "membre2") as (server, page):
        page.goto(f"{server.url}/notifications/?lang=en")
        assert page.locator("[data-unread-count]").inner_text() == "0"
        page.wait_for_timeout(500)  # let the socket say hello

        def api(path, body, token=None):
            return call(server, path, body, token)

        token = api("/api/auth/token/", {"username": "amelie", "password": DEMO_PASSWORD})
        listing = urllib.request.Request(
            f"{server.url}/api/help-requests/?status=open&skill=accessibility&language=fr",
            headers={"Authorization": f"Token {token['token']}"},
        )
        with urllib.request.urlopen(listing, timeout=10) as response:
            target = next(
                r
                for r in json.loads(response.read())["results"]
                if r["organization_name"] == "Centre des femmes de Verdun"
            )
        api(f"/api/help-requests/{target['id']}/claim/", {}, token["token"])
        page.locator("[data-notification-list] li", has_text=target["title"]).wait_for()
        assert page.locator("[data-unread-count]").inner_text() == "1"
        assert not page.errors


def test_the_expert_dashboard_and_the_header_badge_are_live(browser, tmp_path):
    """Real daphne, real WebSocket: a request that asks for this expert appears on the
    dashboard, and the header's unread badge counts it, without a reload."""
    with live_page(browser, tmp_path, "amelie") as (server, page):
        page.goto(f"{server.url}/expert/?lang=en")
        page.wait_for_timeout(500)  # let the socket say hello

        token = call(server, "/api/auth/token/", {"username": "membre2", "password": DEMO_PASSWORD})
        org = call(server, "/api/me/", token=token["token"])["organizations"][0]["id"]
        amelie = call(server, "/api/auth/token/", {"username": "amelie", "password": DEMO_PASSWORD})
        amelie_id = call(server, "/api/me/", token=amelie["token"])["id"]
        start = call(server, "/api/notifications/unread-count/", token=amelie["token"])
        start = start.get("unread", start.get("count"))
        created = call(
            server,
            "/api/help-requests/",
            {
                "organization": org,
                "title": "Encore vous, s'il vous plaît",
                "skills": ["accessibility"],
                "language": "fr",
                "expert": amelie_id,
            },
            token["token"],
        )
        assert created["offered_to"] == amelie_id
        page.locator("[data-live-request-list] li", has_text="Encore vous").wait_for()
        page.locator("[data-unread-badge]").wait_for(state="visible")
        assert page.locator("[data-unread-number]").inner_text() == str(start + 1)
        assert not page.errors
