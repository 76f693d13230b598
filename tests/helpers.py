"""Helpers the tests import (fixtures live in the conftest.py files, helpers here).

``assert_queries(name)`` is the one way to pin a number of queries: the figure lives in
``tests/api/query_counts.json`` under ``name``; a different count fails with the SQL of
every query (as NetBox's ``assertNumQueries`` output does), and
``LIVINGLAB_UPDATE_QUERY_COUNTS=1 pytest …`` rewrites the figures instead of failing, for a
change that is meant (review the diff of the JSON file). Calling it twice with the same
name in one test (1 row, then 30 rows) also checks the count stays constant as rows grow.
``assert_queries(name, at_most=True)`` pins a ceiling instead (the row's ``at_most``): for
a read whose count may be lower on a warm cache; the update mode only ever raises it.
``capture_queries()`` captures without checking, for ``check_queries`` later. Nothing else
in ``tests/`` counts queries (``tests/test_query_count_rule.py``).
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

QUERY_COUNTS = Path(__file__).parent / "api" / "query_counts.json"
UPDATE_QUERY_COUNTS = os.environ.get("LIVINGLAB_UPDATE_QUERY_COUNTS", "") not in ("", "0")

# The fields an idea carries in the API (CONTRACT.md), as the tests check them.
IDEA_FIELDS = {
    "id",
    "text",
    "theme",
    "author_name",
    "votes",
    "comment_count",
    "status",
    "pinned",
    "merged_into",
    "created_at",
}

# (test id, name) -> the count seen first in that test: the same name twice must agree.
_seen: dict[tuple[str, str], int] = {}


def token_client(user=None) -> APIClient:
    """An API client, signed in with the user's token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def finish(response) -> None:
    """Read a streamed response to its end, so its file closes the way Django's test
    client closes it. (``response.close()`` would send ``request_finished`` with the
    connection-closing handler attached: on PostgreSQL that closes the test's own
    connection inside its transaction.)"""
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass


def live_json(server, method, path, body=None, token=None, scheme="Bearer", *, timeout=30):
    """A JSON request to a live server (``server.url``: daphne in a test) and its
    ``(status, decoded body)``; an HTTP error gives its status and its body (JSON, else
    text) instead of raising."""
    request = urllib.request.Request(
        server.url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"{scheme} {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        text = exc.read().decode(errors="replace")
        try:
            return exc.code, json.loads(text or "null")
        except ValueError:
            return exc.code, text


async def board_hello(event_id: int, token=None, since=None):
    """A socket on the event's board in this process (no server), after its hello:
    ``(communicator, the first message back)``."""
    from channels.routing import URLRouter
    from channels.testing import WebsocketCommunicator

    from ateliers.routing import websocket_urlpatterns

    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/events/{event_id}/board/"
    )
    connected, _ = await communicator.connect()
    assert connected
    message = {"type": "hello", "token": token}
    if since is not None:
        message["since"] = since
    await communicator.send_json_to(message)
    return communicator, await communicator.receive_json_from(timeout=5)


def throttle_rates(monkeypatch) -> dict:
    """The API's throttle rates, a copy this test may change (the throttle classes read
    them once, at import)."""
    from rest_framework.throttling import SimpleRateThrottle

    current = dict(SimpleRateThrottle.THROTTLE_RATES)
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", current)
    return current


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login page in a Playwright page (browser tests)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def query_counts() -> dict:
    return json.loads(QUERY_COUNTS.read_text())


def _store(name: str, count: int, *, at_most: bool = False) -> None:
    table = query_counts()
    row = table.setdefault(name, {})
    key = "at_most" if at_most else "queries"
    if at_most and row.get(key) is not None and count <= row[key]:
        return  # a ceiling is only raised by the update mode
    if row.get(key) != count:
        row[key] = count
        QUERY_COUNTS.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n")


def _sql(captured: list[dict]) -> str:
    return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(captured, 1))


@contextlib.contextmanager
def capture_queries(*, using: str = "default"):
    """Capture the block's queries, unchecked: ``ctx.captured_queries`` (``len(ctx)``)."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[using]) as ctx:
        yield ctx


@contextlib.contextmanager
def assert_queries(name: str, *, at_most: bool = False, using: str = "default"):
    """Count the queries of the block and compare with the figure pinned under ``name``
    (exactly, or as a ceiling with ``at_most``)."""
    with capture_queries(using=using) as ctx:
        yield ctx
    check_queries(name, ctx.captured_queries, at_most=at_most)


def check_queries(name: str, captured: list[dict], *, at_most: bool = False) -> None:
    """The check behind ``assert_queries``, for queries captured elsewhere (e.g. once per
    module for many rows)."""
    count = len(captured)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    first = _seen.setdefault((test, name), count)
    if first != count and not at_most:
        pytest.fail(
            f"{name}: {first} queries the first time, {count} now (not constant as rows "
            f"grow):\n{_sql(captured)}",
            pytrace=False,
        )
    if UPDATE_QUERY_COUNTS:
        _store(name, count, at_most=at_most)
        return
    key = "at_most" if at_most else "queries"
    pinned = query_counts().get(name, {}).get(key)
    if pinned is None:
        pytest.fail(
            f"no pinned {key!r} for {name!r} in {QUERY_COUNTS.name} ({count} queries now): "
            "run with LIVINGLAB_UPDATE_QUERY_COUNTS=1 to add it",
            pytrace=False,
        )
    if count > pinned if at_most else count != pinned:
        limit = f"at most {pinned}" if at_most else str(pinned)
        pytest.fail(
            f"{name}: {count} queries, {limit} pinned in {QUERY_COUNTS.name} "
            "(LIVINGLAB_UPDATE_QUERY_COUNTS=1 rewrites the figure if the change is meant):\n"
            f"{_sql(captured)}",
            pytrace=False,
        )


SAFE_EXTRA = {"HEAD", "OPTIONS", "TRACE"}


def api_routes():
    """(url name, method) for every route under /api/, from ``api.urls`` and the router."""
    from django.urls import URLPattern, URLResolver

    from api import urls as api_urls

    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
                continue
            assert isinstance(pattern, URLPattern)
            if "format" in pattern.pattern.regex.groupindex:
                continue  # the router's `.json` suffix twins answer like their originals
            callback = pattern.callback
            actions = getattr(callback, "actions", None)
            if actions:
                allowed = callback.cls.http_method_names
                methods = {method.upper() for method in actions if method in allowed}
            else:
                view_class = callback.view_class
                methods = {
                    m.upper() for m in view_class.http_method_names if hasattr(view_class, m)
                }
            for method in methods - SAFE_EXTRA:
                found.add((pattern.name, method))

    walk(api_urls.urlpatterns)
    return found
