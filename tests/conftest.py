"""The common cast (anonymous, expert, member, partner, organizer) and helpers."""

from __future__ import annotations

import os

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from . import factories

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
    """Each test starts with an empty cache (throttle counters live there)."""
    from django.core.cache import cache

    cache.clear()


def token_client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


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


def pytest_collection_modifyitems(config, items):
    """Everything under tests/browser/ is a browser test (deselected by -m "not browser")."""
    for item in items:
        if "/tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def finish(response) -> None:
    """Read a streamed response to its end, so its file closes the way Django's test
    client closes it. (``response.close()`` would send ``request_finished`` with the
    connection-closing handler attached: on PostgreSQL that closes the test's own
    connection inside its transaction.)"""
    if getattr(response, "streaming", False):
        for _chunk in response.streaming_content:
            pass
