"""The board against a real daphne with real sockets (what the communicator cannot show):
origin checks, reconnects, hostile frames, several clients, ``kill -9``."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.helpers import live_json as http
from tests.live import DaphneServer

pytestmark = pytest.mark.slow

DEMO_CODE = "TECHWK"


def join(server, code=DEMO_CODE, name="Invitée"):
    status, body = http(server, "POST", "/api/join/", {"code": code, "display_name": name})
    assert status == 201
    return body["token"], body["event"]["id"]


@pytest.fixture(scope="module")
def server():
    daphne = DaphneServer(env={"THROTTLE_JOIN": "1000/min"}).migrate(seed=True).start()
    yield daphne
    daphne.stop()


class Client:
    """A board client: hello, then read messages, skipping presence."""

    def __init__(self, server, event_id):
        self.server = server
        self.event_id = event_id
        self.ws = None

    async def open(self, token=None, since=None, origin=None):
        self.ws = await connect(
            f"{self.server.ws_url}/ws/events/{self.event_id}/board/",
            origin=origin or self.server.url,
            max_size=2**22,
        )
        hello = {"type": "hello", "token": token}
        if since is not None:
            hello["since"] = since
        await self.ws.send(json.dumps(hello))
        return await self.next()

    async def next(self, timeout=10):
        while True:
            message = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if message["type"] != "presence":
                return message

    async def until(self, kind, timeout=10):
        while True:
            message = await self.next(timeout)
            if message["type"] == kind:
                return message

    async def send(self, message):
        await self.ws.send(json.dumps(message) if isinstance(message, dict) else message)

    async def post(self, text):
        client_id = str(uuid.uuid4())
        await self.send({"type": "idea.create", "client_id": client_id, "text": text})
        while True:
            message = await self.next()
            if message["type"] in {"ack", "error"} and message.get("client_id") == client_id:
                return message

    async def close(self):
        await self.ws.close()


async def test_reconnect_with_since_gets_exactly_the_missed_events_in_order(server):
    token, event_id = join(server, name="Lectrice")
    writer_token, _ = join(server, name="Autrice")
    reader, writer = Client(server, event_id), Client(server, event_id)
    welcome = await reader.open(token)
    assert welcome["type"] == "welcome" and welcome["snapshot"]["ideas"]
    seen = welcome["seq"]
    await writer.open(writer_token, since=seen)
    first = await writer.post("avant la coupure")
    assert first["type"] == "ack"
    live = await reader.until("idea.created")
    assert live["seq"] == first["seq"] == seen + 1
    await reader.close()
    acks = [await writer.post(f"pendant la coupure {i}") for i in range(3)]
    assert [a["seq"] for a in acks] == [seen + 2, seen + 3, seen + 4]
    welcome = await reader.open(token, since=live["seq"])
    assert welcome["snapshot"] is None and welcome["seq"] == seen + 4
    replay = [await reader.next() for _ in range(3)]
    assert [(m["type"], m["seq"]) for m in replay] == [
        ("idea.created", seen + 2),
        ("idea.created", seen + 3),
        ("idea.created", seen + 4),
    ]
    assert [m["idea"]["text"] for m in replay] == [f"pendant la coupure {i}" for i in range(3)]
    after = await writer.post("après")
    assert (await reader.until("idea.created"))["seq"] == after["seq"] == seen + 5
    await reader.close()
    await writer.close()


async def test_token_for_event_a_cannot_join_event_b(server):
    status, body = http(
        server,
        "POST",
        "/api/auth/token/",
        {"username": "organisatrice", "password": "techworks-2026"},
        token=None,
    )
    organizer_token = body["token"]
    status, other = http(
        server,
        "POST",
        "/api/events/",
        {
            "title_fr": "Autre",
            "starts_at": "2030-01-01T10:00:00Z",
            "ends_at": "2030-01-01T12:00:00Z",
            "languages": ["fr"],
            "status": "published",
        },
        token=organizer_token,
        scheme="Token",
    )
    assert status == 201
    token_b, event_b = join(server, code=other["join_code"])
    _token_a, event_a = join(server)
    assert event_a != event_b
    client = Client(server, event_a)
    error = await client.open(token_b)
    assert error == {
        "type": "error",
        "code": "wrong_event",
        "detail": "This token is for another event.",
    }
    with pytest.raises(ConnectionClosed) as info:
        await client.next()
    assert info.value.rcvd.code == 4403


async def test_foreign_origin_is_refused(server):
    _token, event_id = join(server)
    with pytest.raises(InvalidStatus) as info:
        await Client(server, event_id).open(origin="https://evil.example")
    assert info.value.response.status_code == 403


async def test_hostile_frames_get_errors_and_the_server_keeps_serving(server):
    token, event_id = join(server, name="Hostile")
    bystander_token, _ = join(server, name="Témoin")
    hostile, bystander = Client(server, event_id), Client(server, event_id)
    await hostile.open(token)
    await bystander.open(bystander_token)
    await hostile.send("{not json")
    assert (await hostile.next())["code"] == "bad_json"
    await hostile.send({"type": "explode"})
    assert (await hostile.next())["code"] == "unknown_type"
    one_mb = json.dumps({"type": "idea.create", "text": "x"})[:-2] + "x" * 1_000_000 + '"}'
    assert len(one_mb) > 1_000_000
    await hostile.send(one_mb)
    assert (await hostile.next())["code"] == "too_large"
    await hostile.send(b"\xff\xfe binary")
    assert (await hostile.next())["code"] in {"bad_json", "too_large"}
    ack = await bystander.post("le serveur tient")
    assert ack["type"] == "ack"
    assert (await hostile.until("idea.created"))["seq"] == ack["seq"]
    await hostile.send({"type": "ping"})
    assert (await hostile.next())["type"] == "pong"
    await hostile.close()
    # Past daphne's own 1 MiB frame limit the socket is dropped (close 1009 or a reset):
    # that one client goes, the server and everyone else stay.
    huge = Client(server, event_id)
    await huge.open(token)
    with pytest.raises(ConnectionClosed):
        await huge.send("x" * (3 * 1024 * 1024))
        await huge.next()
    assert (await bystander.post("toujours là"))["type"] == "ack"
    await bystander.close()


async def test_script_text_travels_as_text(server):
    token, event_id = join(server)
    client = Client(server, event_id)
    await client.open(token)
    ack = await client.post("<script>alert('x')</script>")
    assert ack["idea"]["text"] == "<script>alert('x')</script>"
    status, body = http(server, "GET", f"/api/ideas/{ack['idea']['id']}/")
    assert status == 200
    assert body["text"] == "<script>alert('x')</script>"
    await client.close()


async def test_kill_9_after_acks_loses_no_idea(tmp_path):
    daphne = DaphneServer(workdir=tmp_path, env={"THROTTLE_JOIN": "1000/min"})
    daphne.migrate(seed=True).start()
    try:
        token, event_id = join(daphne)
        client = Client(daphne, event_id)
        await client.open(token)
        acks = [await client.post(f"idée {i} avant le crash") for i in range(20)]
        assert all(a["type"] == "ack" for a in acks)
        daphne.kill9()
        daphne.start()
        ids = {a["idea"]["id"] for a in acks}
        _status, body = http(daphne, "GET", f"/api/events/{event_id}/ideas/?page_size=200")
        assert ids <= {idea["id"] for idea in body["results"]}
        _status, board = http(daphne, "GET", f"/api/events/{event_id}/board/?since=0")
        logged = {e["idea"]["id"] for e in board["events"] if e["type"] == "idea.created"}
        assert ids <= logged
    finally:
        daphne.stop()
