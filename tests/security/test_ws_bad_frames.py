"""Issue 16, item 7: bad frames must not kill the board socket. Deeply nested JSON raised
``RecursionError`` and a lone surrogate in ``type`` or ``client_id`` raised
``UnicodeEncodeError`` when echoed back: both closed the socket with 1011 and a traceback.
Each must get an ``error`` and the socket stays usable. Against a real daphne."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
from websockets.asyncio.client import connect

from tests.live import DaphneServer, run


@pytest.fixture(scope="module")
def server():
    daphne = DaphneServer().migrate(seed=True).start()
    yield daphne
    daphne.stop()


def join(server) -> tuple[str, int]:
    request = urllib.request.Request(
        server.url + "/api/join/",
        data=json.dumps({"code": "TECHWK", "display_name": "Attaquante"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        body = json.loads(response.read())
    return body["token"], body["event"]["id"]


async def next_message(ws, timeout=10) -> dict:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] != "presence":
            return message


BAD_FRAMES = [
    ("nested_list", "[" * 8000 + "]" * 8000, "bad_json"),
    ("nested_object", '{"a":' * 2500 + "1" + "}" * 2500, "bad_json"),
    ("nested_in_field", '{"type":"ping","x":' + "[" * 7000 + "]" * 7000 + "}", "bad_json"),
    ("surrogate_type", '{"type":"\\ud800"}', "bad_message"),
    (
        "surrogate_client_id",
        '{"type":"idea.create","client_id":"\\udfff","text":"x"}',
        "bad_message",
    ),
    ("surrogate_text", '{"type":"idea.create","client_id":"%s","text":"a\\ud83d"}', "bad_message"),
]


@pytest.mark.parametrize(("name", "frame", "code"), BAD_FRAMES, ids=[f[0] for f in BAD_FRAMES])
def test_bad_frame_gets_an_error_and_the_socket_stays_usable(server, name, frame, code):
    token, event_id = join(server)
    if "%s" in frame:
        frame = frame % "7c1b6f9e-2c1e-4a5e-9a57-2f0f5d0b9a11"

    async def scenario():
        async with connect(f"{server.ws_url}/ws/events/{event_id}/board/", origin=server.url) as ws:
            await ws.send(json.dumps({"type": "hello", "token": token}))
            assert (await next_message(ws))["type"] == "welcome"
            await ws.send(frame)
            error = await next_message(ws)
            assert error["type"] == "error" and error["code"] == code, error
            await ws.send(json.dumps({"type": "ping"}))
            assert (await next_message(ws))["type"] == "pong"  # still open, still usable

    run(scenario())
    assert "Traceback" not in server.log.read_text()


def test_oversize_frames_get_an_error_or_the_documented_close_code(server):
    """Over 16 KiB: an ``error`` (``too_large``) and the socket stays; over daphne's 1 MiB
    frame: daphne (autobahn, ``failByDrop``) drops the connection, which the client sees as
    close code 1006 (docs/protocol.md), never a silent drop of the message."""
    from websockets.exceptions import ConnectionClosed

    token, event_id = join(server)

    async def scenario():
        async with connect(
            f"{server.ws_url}/ws/events/{event_id}/board/", origin=server.url, max_size=None
        ) as ws:
            await ws.send(json.dumps({"type": "hello", "token": token}))
            assert (await next_message(ws))["type"] == "welcome"
            await ws.send(json.dumps({"type": "ping", "pad": "x" * 100_000}))
            assert (await next_message(ws))["code"] == "too_large"
            await ws.send(json.dumps({"type": "ping"}))
            assert (await next_message(ws))["type"] == "pong"
            await ws.send("x" * (1024 * 1024 + 10))
            with pytest.raises(ConnectionClosed):
                await next_message(ws)
            assert ws.close_code == 1006

    run(scenario())
