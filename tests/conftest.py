"""The common cast (anonymous, expert, member, partner, organizer): fixtures only (the
helpers tests import are in tests/helpers.py)."""

from __future__ import annotations

import os

import pytest
from rest_framework.test import APIClient

from . import factories
from .helpers import token_client

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + ORM


@pytest.fixture(scope="session", autouse=True)
def _expected_backend(django_db_blocker):
    """`make pytest-scaleout` must really run on PostgreSQL and Redis, not fall back."""
    expected = os.environ.get("LIVINGLAB_EXPECT_BACKEND")
    if expected:
        from django.conf import settings
        from django.db import connection

        assert connection.vendor == expected, connection.vendor
        assert "redis" in settings.CHANNEL_LAYERS["default"]["BACKEND"]


@pytest.fixture(scope="session", autouse=True)
def _close_stray_connections(django_db_setup, django_db_blocker):
    """Async tests run database work in asgiref's worker threads, each with its own
    connection; on PostgreSQL those would keep the test database from being dropped at
    the end of the session. End them before pytest-django's teardown."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session", autouse=True)
def _close_async_thread_connections(django_db_setup):
    """Async tests run their ORM calls on asgiref's one sync thread, whose connection
    outlives the test; on PostgreSQL it kept the test database "accessed by other users"
    and its teardown failed. Close it before the test database is dropped."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Each test starts with an empty cache (throttle counters live there), with no
    memo of the board's cache generations (it mirrors the cache for a second, and ids
    come back after a rollback, so another test's event could lend its generation), no
    encoded board heads nor replayed board reads (keyed by event, seq and generation:
    the same ids again), and the anonymous read pace at rest. And in the site's
    language: a request served in another through an ASGI app in a test leaves its
    language active in the test's context (asgiref copies the context back)."""
    from django.core.cache import cache
    from django.utils import translation

    from api import board_read
    from ateliers.selectors import board

    cache.clear()
    board._generations.clear()
    board._head_texts.clear()
    board_read.pace.__init__()
    board_read._memo.clear()
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def organizer(db):
    return factories.make_organizer("orga")


@pytest.fixture
def expert(db):
    return factories.make_expert("expertise", skills=["accessibility", "wordpress"])


@pytest.fixture
def org(db):
    return factories.make_org("Centre communautaire")


@pytest.fixture
def member(org):
    return factories.make_member(org, "membre")


@pytest.fixture
def partner(db):
    return factories.make_partner(factories.make_org("Fondation"), "partenaire")


@pytest.fixture
def event(db, organizer):
    return factories.make_event(created_by=organizer)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def as_user():
    return token_client


# What the PostgreSQL + Redis pass (`make pytest-scaleout`, `-m backends`) runs: the API
# suite, the domain and its services (locks, concurrency, claims, migrations, backup, the
# e-mail queue), the sockets over the Redis layer, the rooms, the attacks, projects (their
# visibility querysets), webhooks, the contract, and every slow/postgres/redis/fuzz test
# wherever it is. The SQLite pass runs everything. Left to SQLite alone: server-rendered
# pages (tests/frontend: their permission rules are the predicates the API suite checks on
# PostgreSQL), report rendering (PDF, CSV, iCalendar: tests/reports), the catalogues
# (tests/test_translations.py) and the pure schedule solver (no database at all).
BACKEND_PASS = (
    "tests/api/",
    "tests/ateliers/",
    "tests/projets/",
    "tests/room/",
    "tests/scaleout/",
    "tests/security/",
    "tests/ws/",
    "tests/test_contract.py",
    "tests/test_webhooks.py",
)
SQLITE_ONLY = ("tests/ateliers/test_schedule_solver.py",)
BACKEND_MARKERS = ("slow", "postgres", "redis", "fuzz")


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ is a browser test (deselected by -m "not browser");
    what the PostgreSQL + Redis pass runs gets the ``backends`` marker."""
    root = str(config.rootpath)
    for item in items:
        path = str(item.fspath).removeprefix(root).lstrip("/")
        if path.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
        elif (path.startswith(BACKEND_PASS) and not path.startswith(SQLITE_ONLY)) or any(
            item.get_closest_marker(name) for name in BACKEND_MARKERS
        ):
            item.add_marker(pytest.mark.backends)
