"""Helpers the tests import (fixtures live in the conftest.py files, helpers here).

``assert_queries(name)`` is the one way to pin a number of queries: the figure lives in
``tests/api/query_counts.json`` under ``name``; a different count fails with the SQL of
every query (as NetBox's ``assertNumQueries`` output does), and
``LIVINGLAB_UPDATE_QUERY_COUNTS=1 pytest …`` rewrites the figures instead of failing, for a
change that is meant (review the diff of the JSON file). Calling it twice with the same
name in one test (1 row, then 30 rows) also checks the count stays constant as rows grow.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

QUERY_COUNTS = Path(__file__).parent / "api" / "query_counts.json"
UPDATE_QUERY_COUNTS = os.environ.get("LIVINGLAB_UPDATE_QUERY_COUNTS", "") not in ("", "0")

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


def login(page, live_server, username: str, password: str) -> None:
    """Sign in through the login page in a Playwright page (browser tests)."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def query_counts() -> dict:
    return json.loads(QUERY_COUNTS.read_text())


def _store(name: str, count: int) -> None:
    table = query_counts()
    row = table.setdefault(name, {})
    if row.get("queries") != count:
        row["queries"] = count
        QUERY_COUNTS.write_text(json.dumps(table, indent=2, ensure_ascii=False) + "\n")


def _sql(captured: list[dict]) -> str:
    return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(captured, 1))


@contextlib.contextmanager
def assert_queries(name: str, *, using: str = "default"):
    """Count the queries of the block and compare with the figure pinned under ``name``."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections[using]) as ctx:
        yield ctx
    check_queries(name, ctx.captured_queries)


def check_queries(name: str, captured: list[dict]) -> None:
    """The check behind ``assert_queries``, for queries captured elsewhere (e.g. once per
    module for many rows)."""
    count = len(captured)
    test = os.environ.get("PYTEST_CURRENT_TEST", "").rsplit(" ", 1)[0]
    first = _seen.setdefault((test, name), count)
    if first != count:
        pytest.fail(
            f"{name}: {first} queries the first time, {count} now (not constant as rows "
            f"grow):\n{_sql(captured)}",
            pytrace=False,
        )
    if UPDATE_QUERY_COUNTS:
        _store(name, count)
        return
    pinned = query_counts().get(name, {}).get("queries")
    if pinned is None:
        pytest.fail(
            f"no pinned count for {name!r} in {QUERY_COUNTS.name} ({count} queries now): "
            "run with LIVINGLAB_UPDATE_QUERY_COUNTS=1 to add it",
            pytrace=False,
        )
    if count != pinned:
        pytest.fail(
            f"{name}: {count} queries, {pinned} pinned in {QUERY_COUNTS.name} "
            "(LIVINGLAB_UPDATE_QUERY_COUNTS=1 rewrites the figure if the change is meant):\n"
            f"{_sql(captured)}",
            pytrace=False,
        )
