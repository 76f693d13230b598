"""Item 1: per-address throttles trusted X-Forwarded-For; varying it on each request
bypassed the login, join and HTML login limits. The header now counts only when the
direct peer is a trusted proxy (TRUSTED_PROXIES), and then only the hops proxies added."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from rest_framework.test import APIClient

from livinglab.addresses import client_address_from, scope_client_address
from tests.live import DaphneServer

pytestmark = pytest.mark.django_db


def _spoofed(i: int) -> dict:
    return {"HTTP_X_FORWARDED_FOR": f"198.51.100.{i % 250}, 203.0.113.{i % 250}"}


def test_varying_x_forwarded_for_does_not_bypass_the_api_login_limit():
    client = APIClient()
    statuses = [
        client.post(
            "/api/auth/token/", {"username": f"u{i}", "password": "x"}, **_spoofed(i)
        ).status_code
        for i in range(31)
    ]
    assert statuses == [400] * 30 + [429]


def test_varying_x_forwarded_for_does_not_bypass_the_join_limit(rates):
    rates["join"] = "10/min"
    client = APIClient()
    statuses = [
        client.post("/api/join/", {"code": f"ZZZZ{i:02d}"}, **_spoofed(i)).status_code
        for i in range(11)
    ]
    assert statuses == [404] * 10 + [429]


def test_varying_x_forwarded_for_does_not_bypass_the_html_login_limit(client):
    statuses = [
        client.post(
            "/accounts/login/", {"username": f"u{i}", "password": "x"}, secure=True, **_spoofed(i)
        ).status_code
        for i in range(31)
    ]
    assert statuses == [200] * 30 + [429]


def test_varying_x_forwarded_for_does_not_bypass_the_signup_limit():
    client = APIClient()
    statuses = [
        client.post("/api/auth/register/", {"username": ""}, **_spoofed(i)).status_code
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]


def test_behind_a_trusted_proxy_the_address_the_proxy_saw_counts(settings):
    """nginx appends the peer it saw; what the client wrote itself stays on the left."""
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    client = APIClient()
    # The attacker varies its own part of the header; nginx adds its real address.
    attacker = [
        client.post(
            "/api/auth/token/",
            {"username": f"u{i}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.9, 10.1.2.3",
        ).status_code
        for i in range(31)
    ]
    assert attacker == [400] * 30 + [429]
    # Someone else behind the same proxy is not held up.
    other = client.post(
        "/api/auth/token/",
        {"username": "x", "password": "x"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    )
    assert other.status_code == 400


@pytest.mark.parametrize(
    ("trusted", "peer", "header", "expected"),
    [
        ([], "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # nothing trusted: the peer
        (["127.0.0.1"], "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # untrusted peer
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.0.0.7", "203.0.113.5"),
        (["127.0.0.1"], "127.0.0.1", "", "127.0.0.1"),  # no header: the proxy itself
        (["127.0.0.1"], "127.0.0.1", "not-an-address", "127.0.0.1"),
        (["::1"], "::1", "[2001:db8::1]:443", "2001:db8::1"),
        (["127.0.0.1"], "127.0.0.1", "203.0.113.5:5123", "203.0.113.5"),
    ],
)
def test_client_address_from(settings, trusted, peer, header, expected):
    settings.TRUSTED_PROXIES = trusted
    assert client_address_from(peer, header) == expected


def test_a_websocket_scope_gets_the_same_answer(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    scope = {
        "client": ["127.0.0.1", 5000],
        "headers": [(b"x-forwarded-for", b"6.6.6.6, 192.0.2.8")],
    }
    assert scope_client_address(scope) == "192.0.2.8"
    settings.TRUSTED_PROXIES = []
    assert scope_client_address(scope) == "127.0.0.1"


def _post_login(server: DaphneServer, forwarded_for: str) -> int:
    request = urllib.request.Request(
        f"{server.url}/api/auth/token/",
        data=json.dumps({"username": "nobody", "password": "x"}).encode(),
        headers={
            "Content-Type": "application/json",
            "X-Forwarded-For": forwarded_for,
            "X-Forwarded-Proto": "https",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_a_production_daphne_ignores_a_spoofed_header(production_daphne):
    statuses = [_post_login(production_daphne, f"198.51.100.{i}") for i in range(6)]
    assert statuses == [400] * 5 + [429]


def test_the_join_page_shares_the_join_counter(rates, client):
    """The HTML join form was no way around the API's limit (it had none)."""
    rates["join"] = "6/min"
    api = APIClient()
    assert [api.post("/api/join/", {"code": f"ZZZZ{i}"}).status_code for i in range(3)] == [404] * 3
    pages = [
        client.post("/join/", {"code": f"YYYY{i}", "display_name": "X"}, **_spoofed(i)).status_code
        for i in range(4)
    ]
    assert pages == [400, 400, 400, 429]
    assert api.post("/api/join/", {"code": "ZZZZ9"}).status_code == 429
