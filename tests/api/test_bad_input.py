"""Bad input on every write endpoint gets a clear 4xx JSON answer, never a 5xx.

A small fuzzer: for each endpoint, a fixed set of malformed bodies (bad JSON, a list or a
scalar instead of an object, nulls, wrong types, 100 kB strings, unknown and negative ids,
bad dates) plus, for every field the endpoint knows, each bad value in turn.
"""

from __future__ import annotations

import json

import pytest
from rest_framework.throttling import ScopedRateThrottle

from ateliers.models import Registration, User
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

HUGE = "x" * 100_000
BAD_VALUES = [
    None,
    "",
    HUGE,
    {"nested": {"deep": [1, 2]}},
    [1, "two", None],
    [HUGE],
    -1,
    0,
    999_999_999,
    2**70,
    1e308,
    True,
    "9999-99-99T99:99",
    "<script>alert(1)</script>",
    "\x00\ud800",
]

# (method, path template, fields the endpoint reads)
ENDPOINTS = [
    ("POST", "/api/auth/token/", ["username", "password"]),
    ("POST", "/api/auth/register/", ["username", "password", "email", "display_name", "language"]),
    ("PATCH", "/api/me/", ["display_name", "language", "email", "email_notifications"]),
    ("POST", "/api/users/", ["username", "password", "email", "display_name", "roles"]),
    ("POST", "/api/skills/", ["slug", "name_fr", "name_en"]),
    ("PATCH", "/api/skills/{skill}/", ["slug", "name_fr", "name_en"]),
    ("POST", "/api/organizations/", ["name", "description", "languages", "website", "region"]),
    ("PATCH", "/api/organizations/{org}/", ["name", "languages", "website"]),
    ("POST", "/api/organizations/{org}/members/", ["user", "role"]),
    ("POST", "/api/experts/", ["skills", "languages", "bio", "availability", "organization"]),
    ("PATCH", "/api/experts/{expert}/", ["skills", "languages", "bio", "organization"]),
    (
        "POST",
        "/api/events/",
        [
            "title_fr",
            "title_en",
            "description_fr",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "region",
            "languages",
            "capacity",
            "status",
        ],
    ),
    (
        "PATCH",
        "/api/events/{event}/",
        ["title_fr", "starts_at", "capacity", "status", "board_locked"],
    ),
    ("POST", "/api/events/{event}/themes/", ["name_fr", "name_en", "description", "position"]),
    ("PATCH", "/api/events/{event}/themes/{theme}/", ["name_fr", "position"]),
    (
        "POST",
        "/api/events/{event}/slots/",
        ["title_fr", "kind", "starts_at", "ends_at", "room", "theme"],
    ),
    ("PATCH", "/api/events/{event}/slots/{slot}/", ["starts_at", "ends_at", "theme"]),
    ("POST", "/api/events/{event}/registrations/", ["role", "organization", "available"]),
    ("PATCH", "/api/events/{event}/registrations/{reg}/", ["available"]),
    ("POST", "/api/events/{event}/registrations/{reg}/check-in/", []),
]

UNKNOWN_IDS = [
    ("PATCH", "/api/events/999999/", {"venue": "x"}),
    ("PATCH", "/api/events/{event}/themes/999999/", {"name_fr": "x"}),
    ("POST", "/api/events/999999/themes/", {"name_fr": "x"}),
    ("POST", "/api/events/999999/registrations/", {"role": "participant"}),
    ("POST", "/api/organizations/999999/members/", {"user": 1}),
    ("POST", "/api/organizations/{org}/members/", {"user": 999999}),
    ("POST", "/api/events/{event}/slots/", {"title_fr": "x", "theme": 999999}),
    ("POST", "/api/experts/", {"languages": ["fr"], "organization": 999999}),
    ("POST", "/api/events/{event}/registrations/", {"role": "organization", "organization": 9999}),
    ("POST", "/api/events/{event}/registrations/999999/check-in/", None),
    ("DELETE", "/api/skills/999999/", None),
]


@pytest.fixture
def world(monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {"login": "100000/min", "signup": "100000/min", "join": "100000/min"},
    )
    admin = User.objects.create_superuser("root", "root@example.org", "a-long-pass-phrase-9")
    event = factories.make_event()
    org = factories.make_org(members=[admin])
    expert = factories.make_expert("fuzzexpert")
    ids = {
        "event": event.pk,
        "org": org.pk,
        "skill": factories.make_skill("wordpress").pk,
        "expert": expert.expert_profile.pk,
        "theme": event.themes.create(name_fr="T").pk,
        "slot": event.slots.create(
            title_fr="S", starts_at=event.starts_at, ends_at=event.ends_at
        ).pk,
        "reg": Registration.objects.create(event=event, role="participant", user=admin).pk,
    }
    return token_client(admin), ids


def _bodies(fields):
    """Raw request bodies (bytes): malformed documents, then one bad value per field."""
    yield b"{not json"
    yield b'{"a": '
    yield b"\xff\xfe\x00garbage"
    yield json.dumps([{"name": "x"}]).encode()
    yield b'"just a string"'
    yield b"42"
    yield b"null"
    yield b"{}"
    yield json.dumps(dict.fromkeys(fields)).encode()
    yield json.dumps(dict.fromkeys(fields, HUGE)).encode()
    yield json.dumps({"x" * 1000: HUGE}).encode()
    yield ("[" * 5000 + "]" * 5000).encode()
    for field in fields:
        for value in BAD_VALUES:
            try:
                yield json.dumps({field: value}).encode()
            except (ValueError, UnicodeEncodeError):
                continue
        yield json.dumps({field: "a", f"{field}__bogus": 1}).encode()


def _check(response, method, path, body):
    status = response.status_code
    assert status < 500, f"{method} {path} {body[:120]!r} -> {status}"
    if status >= 400:
        assert response["Content-Type"].startswith("application/json"), (method, path, status)
        json.loads(response.content)


@pytest.mark.parametrize(
    ("method", "path", "fields"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS]
)
def test_bad_bodies_never_give_a_5xx(world, method, path, fields):
    client, ids = world
    url = path.format(**ids)
    seen_4xx = 0
    for body in _bodies(fields):
        response = client.generic(method, url, body, content_type="application/json")
        _check(response, method, url, body)
        seen_4xx += response.status_code >= 400
    assert seen_4xx or not fields  # endpoints that read a body refuse malformed ones


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "multipart/form-data"])
def test_unsupported_content_types_are_4xx(world, content_type):
    client, _ids = world
    response = client.generic("POST", "/api/events/", b"<a/>", content_type=content_type)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "path", "body"), UNKNOWN_IDS)
def test_unknown_ids_are_4xx(world, method, path, body):
    client, ids = world
    url = path.format(**ids)
    response = client.generic(
        method, url, json.dumps(body) if body is not None else "", content_type="application/json"
    )
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content[:200])
    json.loads(response.content)


def test_anonymous_bad_input_is_4xx_too(api):
    for path in ["/api/events/", "/api/organizations/", "/api/auth/token/"]:
        response = api.generic("POST", path, b"{oops", content_type="application/json")
        assert 400 <= response.status_code < 500
        assert "detail" in response.json()
