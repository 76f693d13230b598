"""The common cast (anonymous, expert, member, partner, organizer) and helpers."""

from __future__ import annotations

import os

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from . import factories

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + ORM


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
