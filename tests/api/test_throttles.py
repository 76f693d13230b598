"""Throttles fire: login brute force (per IP and per username+IP), join-code enumeration,
sign-up, and board writes per guest token (not per IP: a room shares one NAT address)."""

from __future__ import annotations

import pytest
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests import factories
from tests.helpers import throttle_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    """Throttle rates for this test (the classes read them once, at import)."""
    return throttle_rates(monkeypatch)


def test_default_rates_are_generous_for_a_room_and_strict_for_guessing():
    rates = api_settings.DEFAULT_THROTTLE_RATES
    assert rates["login_pair"] == "10/min"
    assert "login_username" not in rates  # anyone could lock a named user out
    assert rates["login"] == "30/min"
    assert rates["join"] == "120/min"
    assert rates["signup"] == "10/min"
    assert rates["writes"] == "120/min"


def test_bad_logins_on_one_username_from_one_address_get_429(rates):
    factories.make_user("alice")
    client = APIClient()
    body = {"username": "alice", "password": "wrong"}
    statuses = [
        client.post("/api/auth/token/", body, format="json", REMOTE_ADDR="10.0.0.1").status_code
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    # the right password from that address waits too: the guesser learns nothing
    right = {"username": "ALICE", "password": factories.PASSWORD}
    response = client.post("/api/auth/token/", right, format="json", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    # the real user, elsewhere, logs in (tests/security/test_login_lockout.py)
    right["username"] = "alice"
    response = client.post("/api/auth/token/", right, format="json", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200


def test_bad_logins_from_one_address_get_429(rates):
    client = APIClient()
    statuses = [
        client.post(
            "/api/auth/token/", {"username": f"user{i}", "password": "x"}, format="json"
        ).status_code
        for i in range(31)
    ]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429


def test_join_code_enumeration_is_throttled(rates):
    rates["join"] = "5/min"
    client = APIClient()
    statuses = [
        client.post("/api/join/", {"code": f"ZZZZZ{i}"}, format="json").status_code
        for i in range(6)
    ]
    assert statuses == [404] * 5 + [429]


def test_signup_is_throttled(rates):
    client = APIClient()
    statuses = [
        client.post("/api/auth/register/", {"username": ""}, format="json").status_code
        for _ in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_board_writes_are_throttled_per_guest_token_not_per_address(rates):
    rates["writes"] = "3/min"
    event = factories.make_event()
    clients = []
    for name in ("A", "B"):
        client = APIClient()  # same REMOTE_ADDR (127.0.0.1) for both: one NAT
        token = client.post(
            "/api/join/", {"code": event.join_code, "display_name": name}, format="json"
        ).json()["token"]
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        clients.append(client)
    first, second = clients
    url = f"/api/events/{event.pk}/ideas/"
    statuses = [first.post(url, {"text": f"Idée {i}"}, format="json").status_code for i in range(4)]
    assert statuses == [201, 201, 201, 429]
    # reads are not writes
    assert first.get(url).status_code == 200
    # the neighbour behind the same address still posts
    assert second.post(url, {"text": "La mienne"}, format="json").status_code == 201


def test_account_writes_are_throttled(rates, organizer):
    from tests.helpers import token_client

    rates["writes"] = "2/min"
    client = token_client(organizer)
    statuses = [
        client.post("/api/skills/", {"slug": f"s{i}", "name_fr": f"S{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [201, 201, 429]


def test_the_login_page_shares_the_login_throttle(client):
    factories.make_user("bob", password="right-password-123")
    statuses = [
        client.post(
            "/accounts/login/",
            {"username": "bob", "password": "wrong"},
            secure=True,
        ).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10  # the form again, with its error
    assert statuses[10] == 429
    # The page says why, in the reader's language (French by default).
    assert "Trop de tentatives" in (
        client.post(
            "/accounts/login/", {"username": "bob", "password": "right-password-123"}, secure=True
        ).content.decode()
    )
