"""CONTRACT.md walked as a client program would: real HTTP against a seeded daphne.

One server for the module; the tests run in file order and share what they create
(``STATE``), like one client session going through the contract.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid

import pytest

from tests.helpers import IDEA_FIELDS
from tests.live import DaphneServer

pytestmark = [
    pytest.mark.slow,
    # The live server runs on its own SQLite file either way; the PostgreSQL pass of
    # `make test` (LIVINGLAB_EXPECT_BACKEND set) would repeat the same run.
    pytest.mark.skipif(
        bool(os.environ.get("LIVINGLAB_EXPECT_BACKEND")), reason="same run as the SQLite pass"
    ),
]
STATE: dict = {}


class Http:
    def __init__(self, base: str) -> None:
        self.base = base

    def call(self, method, path, body=None, *, auth=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth:
            request.add_header("Authorization", auth)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def json(self, method, path, body=None, *, expect, **kwargs):
        status, headers, raw = self.call(method, path, body, **kwargs)
        assert status == expect, (method, path, status, raw[:400])
        if not raw:
            return None
        assert headers.get_content_type() == "application/json", (path, headers)
        return json.loads(raw)


@pytest.fixture(scope="module")
def http(tmp_path_factory):
    env = {
        "DATABASE_URL": "",
        "REDIS_URL": "",
        "THROTTLE_WRITES": "off",
        "THROTTLE_JOIN": "off",
        "THROTTLE_SIGNUP": "off",
    }
    server = DaphneServer(workdir=tmp_path_factory.mktemp("contract"), env=env)
    server.migrate(seed=True).start()
    yield Http(server.url)
    server.stop()


def test_health_token_register_me_users(http):
    body = http.json("GET", "/healthz", expect=200)
    assert body["status"] == "ok"
    token = http.json(
        "POST",
        "/api/auth/token/",
        {"username": "organisatrice", "password": "techworks-2026"},
        expect=200,
    )["token"]
    org = STATE["org"] = f"Token {token}"
    assert "organizer" in http.json("GET", "/api/me/", auth=org, expect=200)["roles"]
    created = http.json(
        "POST",
        "/api/auth/register/",
        {
            "username": "contract-member",
            "password": "a-long-pass-phrase-42",
            "email": "cm@example.org",
            "display_name": "Contrat",
        },
        expect=201,
    )
    assert created["token"] and created["user"]["id"]
    STATE["member"] = f"Token {created['token']}"
    expert = http.json(
        "POST",
        "/api/users/",
        {
            "username": "contract-expert",
            "password": "another-pass-phrase-42",
            "email": "ce@example.org",
            "display_name": "Experte",
            "roles": ["expert"],
        },
        auth=org,
        expect=201,
    )
    assert expert["id"]
    token = http.json(
        "POST",
        "/api/auth/token/",
        {"username": "contract-expert", "password": "another-pass-phrase-42"},
        expect=200,
    )["token"]
    STATE["expert"] = f"Token {token}"
    assert http.json("GET", "/api/me/", auth=STATE["expert"], expect=200)["roles"] == ["expert"]
    assert http.json("POST", "/api/auth/token/", {"username": "x", "password": "y"}, expect=400)


def test_skills_organisations_experts(http):
    org, member, expert = STATE["org"], STATE["member"], STATE["expert"]
    skill = http.json(
        "POST",
        "/api/skills/",
        {"slug": "contract-skill", "name_fr": "Contrat", "name_en": "Contract"},
        auth=org,
        expect=201,
    )
    assert {"slug", "name"} <= set(skill)
    skills = http.json("GET", "/api/skills/", expect=200)
    assert {"count", "next", "previous", "results"} <= set(skills)
    created = http.json(
        "POST",
        "/api/organizations/",
        {"name": "Organisme contrat", "description": "x", "languages": ["fr", "en"]},
        auth=member,
        expect=201,
    )
    STATE["organization"] = created["id"]
    members = http.json(
        "GET", f"/api/organizations/{created['id']}/members/", auth=member, expect=200
    )
    assert len(members) == 1 if isinstance(members, list) else members["count"] == 1
    profile = http.json(
        "POST",
        "/api/experts/",
        {"skills": ["contract-skill"], "languages": ["fr"], "bio": "Bio"},
        auth=expert,
        expect=201,
    )
    assert profile["id"]
    found = http.json("GET", "/api/experts/?skill=contract-skill", auth=member, expect=200)
    assert found["count"] == 1
    unknown = http.json("GET", "/api/experts/?skill=no-such-skill", auth=member, expect=200)
    assert unknown["count"] == 0


def test_events_themes_registrations_calendar(http):
    org, member = STATE["org"], STATE["member"]
    event = http.json(
        "POST",
        "/api/events/",
        {
            "title_fr": "Atelier contrat",
            "title_en": "Contract workshop",
            "description_fr": "x",
            "starts_at": "2030-03-01T14:00:00Z",
            "ends_at": "2030-03-01T20:00:00Z",
            "venue": "Ici",
            "languages": ["fr", "en"],
            "status": "published",
        },
        auth=org,
        expect=201,
    )
    assert {"join_code", "board_locked", "status"} <= set(event)
    assert event["join_code"].isalnum() and not set(event["join_code"]) & set("01OIL")
    STATE["event"], STATE["code"] = event["id"], event["join_code"]
    path = f"/api/events/{event['id']}/"
    en = http.json("GET", path, headers={"Accept-Language": "en"}, expect=200)
    assert en["title"] == "Contract workshop"
    assert http.json("GET", path + "?lang=fr", expect=200)["title"] == "Atelier contrat"
    theme = http.json("POST", path + "themes/", {"name_fr": "Thème contrat"}, auth=org, expect=201)
    STATE["theme"] = theme["id"]
    assert http.json("GET", path + "themes/", expect=200)["count"] == 1
    reg = http.json(
        "POST",
        path + "registrations/",
        {"role": "organization", "organization": STATE["organization"]},
        auth=member,
        expect=201,
    )
    assert reg["id"]
    http.json("POST", path + "registrations/", {"role": "expert"}, auth=STATE["expert"], expect=201)
    for ics in ("/api/events/calendar.ics", f"/api/events/{event['id']}/calendar.ics"):
        status, headers, raw = http.call("GET", ics)
        assert status == 200 and raw.startswith(b"BEGIN:VCALENDAR"), ics
        assert headers.get_content_type() == "text/calendar"


def test_join_ideas_votes_moderation_board(http):
    org, event = STATE["org"], STATE["event"]
    joined = http.json(
        "POST", "/api/join/", {"code": STATE["code"], "display_name": "Léa"}, expect=201
    )
    assert {"token", "participant", "event"} <= set(joined)
    guest = STATE["guest"] = f"Bearer {joined['token']}"
    body = http.json("POST", "/api/join/", {"code": "ZZZZZZ", "display_name": "x"}, expect=404)
    assert body["detail"]
    client_id = str(uuid.uuid4())
    idea_body = {"text": "Une idée contrat", "theme": STATE["theme"], "client_id": client_id}
    idea = http.json("POST", f"/api/events/{event}/ideas/", idea_body, auth=guest, expect=201)
    assert set(idea) >= IDEA_FIELDS
    again = http.json("POST", f"/api/events/{event}/ideas/", idea_body, auth=guest, expect=200)
    assert again["id"] == idea["id"]
    assert http.json("POST", f"/api/ideas/{idea['id']}/vote/", auth=guest, expect=200)["votes"] == 1
    assert http.json("POST", f"/api/ideas/{idea['id']}/vote/", auth=guest, expect=200)["votes"] == 1
    assert (
        http.json("DELETE", f"/api/ideas/{idea['id']}/vote/", auth=guest, expect=200)["votes"] == 0
    )
    http.json("POST", f"/api/ideas/{idea['id']}/comments/", {"text": "Oui"}, auth=guest, expect=201)
    pinned = http.json(
        "POST", f"/api/ideas/{idea['id']}/moderate/", {"action": "pin"}, auth=org, expect=200
    )
    assert pinned["pinned"] is True
    http.json(
        "POST", f"/api/ideas/{idea['id']}/moderate/", {"action": "pin"}, auth=guest, expect=403
    )
    board = http.json("GET", f"/api/events/{event}/board/?since=0", auth=guest, expect=200)
    assert {"seq", "events"} <= set(board) and board["seq"] >= 3
    assert all({"type", "seq"} <= set(e) for e in board["events"])
    STATE["idea"] = idea["id"]
    http.json("PATCH", f"/api/events/{event}/", {"status": "closed"}, auth=org, expect=200)
    http.json("POST", "/api/join/", {"code": STATE["code"], "display_name": "x"}, expect=409)
    http.json("PATCH", f"/api/events/{event}/", {"status": "published"}, auth=org, expect=200)


def test_help_requests_claims_suggestions(http):
    member, expert, org = STATE["member"], STATE["expert"], STATE["org"]
    created = http.json(
        "POST",
        "/api/help-requests/",
        {
            "organization": STATE["organization"],
            "title": "Site accessible",
            "description": "x",
            "skills": ["contract-skill"],
            "language": "fr",
            "urgency": "high",
            "format": "remote",
            "event": STATE["event"],
        },
        auth=member,
        expect=201,
    )
    assert created["status"] == "open"
    base = f"/api/help-requests/{created['id']}/"
    suggestions = http.json("GET", base + "suggestions/", auth=org, expect=200)
    assert suggestions["results"] and {"score", "reasons"} <= set(suggestions["results"][0])
    claimed = http.json("POST", base + "claim/", auth=expert, expect=200)
    assert claimed["status"] == "claimed" and claimed["claimed_by"]
    user = {"username": "second-expert", "password": "pass-phrase-second-42"}
    http.json(
        "POST",
        "/api/users/",
        user | {"email": "se@example.org", "display_name": "Deux", "roles": ["expert"]},
        auth=org,
        expect=201,
    )
    other = http.json("POST", "/api/auth/token/", user, expect=200)
    http.json("POST", base + "claim/", auth=f"Token {other['token']}", expect=409)
    assert http.json("POST", base + "start/", auth=expert, expect=200)["status"] == "in_progress"
    assert http.json("POST", base + "release/", auth=expert, expect=200)["status"] == "open"
    http.json("POST", base + "claim/", auth=expert, expect=200)
    assert http.json("POST", base + "resolve/", auth=expert, expect=200)["status"] == "resolved"


def test_schedule_and_agenda(http):
    org, event = STATE["org"], STATE["event"]
    body = {
        "rounds": [
            {"starts_at": "2030-03-01T15:00:00Z", "ends_at": "2030-03-01T15:30:00Z"},
            {"starts_at": "2030-03-01T15:30:00Z", "ends_at": "2030-03-01T16:00:00Z"},
        ],
        "tables": 2,
    }
    demo = 1  # the seeded Tech Works event has registrations and open requests
    http.json(
        "POST",
        f"/api/events/{demo}/schedule/",
        body
        | {
            "rounds": [
                {"starts_at": "2026-12-07T15:00:00Z", "ends_at": "2026-12-07T15:30:00Z"},
                {"starts_at": "2026-12-07T15:30:00Z", "ends_at": "2026-12-07T16:00:00Z"},
            ]
        },
        auth=org,
        expect=201,
    )
    schedule = http.json("GET", f"/api/events/{demo}/schedule/", auth=org, expect=200)
    assert {"meetings", "stats"} <= set(schedule)
    assert {"objective", "fit", "organizations_served", "upper_bound"} <= set(schedule["stats"])
    assert schedule["meetings"], schedule
    meeting = schedule["meetings"][0]
    assert {"organization", "expert", "round", "table", "fit", "reasons"} <= set(meeting)
    assert min(m["round"] for m in schedule["meetings"]) == 1
    assert min(m["table"] for m in schedule["meetings"]) == 1
    assert event


def test_projects_pdfs_exports_schema(http):
    org = STATE["org"]
    project = http.json(
        "POST",
        "/api/projects/",
        {
            "title_fr": "Projet contrat",
            "summary_fr": "x",
            "visibility": "public",
            "organizations": [STATE["organization"]],
            "partners": [],
            "source_ideas": [STATE["idea"]],
        },
        auth=org,
        expect=201,
    )
    assert project["phase"] == "exploration"
    base = f"/api/projects/{project['id']}/"
    moved = http.json(
        "POST", base + "transition/", {"phase": "co_creation", "note": "Go"}, auth=org, expect=200
    )
    assert moved["phase"] == "co_creation"
    milestone = http.json(
        "POST",
        base + "milestones/",
        {"title": "Pilote", "due_on": "2030-01-01"},
        auth=org,
        expect=201,
    )
    assert {"title", "due_on", "done_on"} <= set(milestone)
    update = http.json("POST", base + "updates/", {"text": "Nouvelles"}, auth=org, expect=201)
    assert {"text", "created_at", "author"} <= set(update)
    indicator = http.json(
        "POST",
        base + "indicators/",
        {"name": "Personnes", "unit": "pers.", "target": 50},
        auth=org,
        expect=201,
    )
    assert {"name", "unit", "target", "current"} <= set(indicator)
    for path in (f"/api/events/{STATE['event']}/report.pdf", base + "report.pdf"):
        status, headers, raw = http.call("GET", path, auth=org)
        assert status == 200 and raw[:4] == b"%PDF", path
    for path in ("/api/projects/export", f"/api/events/{STATE['event']}/ideas/export"):
        status, headers, raw = http.call("GET", path + ".csv")
        assert status == 200 and headers.get_content_type() == "text/csv", path
        status, headers, raw = http.call("GET", path + ".json")
        assert status == 200 and headers.get_content_type() == "application/json", path
        json.loads(raw)
    status, _, raw = http.call("GET", "/api/schema/")
    assert status == 200 and b"openapi" in raw
    status, _, raw = http.call("GET", "/api/docs/", headers={"Accept": "text/html"})
    assert status == 200
