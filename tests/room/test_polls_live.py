"""Thirty guests answer a poll at once against a real daphne: exact counts, over HTTP and
in the ``poll.updated`` that reaches an open board socket."""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from websockets.asyncio.client import connect

from demo.seed import DEMO_ORGANIZER
from tests.helpers import live_json as http
from tests.live import DaphneServer

pytestmark = pytest.mark.slow

GUESTS = 30


@pytest.fixture(scope="module")
def server():
    daphne = DaphneServer(env={"THROTTLE_JOIN": "1000/min"}).migrate(seed=True).start()
    yield daphne
    daphne.stop()


async def _listen_until(server, event_id, token, predicate, ready, timeout=20):
    """Read the board socket until a ``poll.updated`` matches; ``ready`` is set once the
    listener said hello, so the answers start after it listens."""
    async with connect(
        f"{server.ws_url}/ws/events/{event_id}/board/", origin=server.url, max_size=2**22
    ) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token}))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        ready.set()
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), deadline - loop.time()))
            if message["type"] == "poll.updated" and predicate(message["poll"]):
                return message


async def test_thirty_guests_answer_at_once_and_counts_are_exact(server):
    status, body = http(
        server,
        "POST",
        "/api/auth/token/",
        {"username": DEMO_ORGANIZER[0], "password": DEMO_ORGANIZER[1]},
    )
    assert status == 200
    orga = (body["token"], "Token")
    status, joined = http(server, "POST", "/api/join/", {"code": "TECHWK", "display_name": "G0"})
    event_id = joined["event"]["id"]
    status, poll = http(
        server,
        "POST",
        f"/api/events/{event_id}/polls/",
        {
            "question_fr": "Par où commencer ?",
            "kind": "single",
            "choices": [{"label_fr": "Site web"}, {"label_fr": "Dons"}, {"label_fr": "Bénévoles"}],
        },
        *orga,
    )
    assert status == 201, poll
    choices = [c["id"] for c in poll["choices"]]
    assert http(server, "PATCH", f"/api/polls/{poll['id']}/", {"status": "open"}, *orga)[0] == 200
    tokens = []
    for n in range(GUESTS):
        status, guest = http(
            server, "POST", "/api/join/", {"code": "TECHWK", "display_name": f"G{n}"}
        )
        assert status == 201
        tokens.append(guest["token"])
    # guest i first picks choice i % 3; the first ten change their mind to choice 2
    first = {i: choices[i % 3] for i in range(GUESTS)}
    final = {**first, **dict.fromkeys(range(10), choices[2])}

    def answer(i: int, choice: int):
        return http(
            server,
            "POST",
            f"/api/polls/{poll['id']}/answer/",
            {"choices": [choice]},
            tokens[i],
        )

    async def run():
        ready = asyncio.Event()
        listener = asyncio.ensure_future(
            _listen_until(
                server,
                event_id,
                joined["token"],
                lambda p: p["results"]["answers"] == GUESTS,
                ready,
            )
        )
        await ready.wait()
        await asyncio.sleep(0.3)
        loop = asyncio.get_running_loop()
        with ThreadPoolExecutor(max_workers=GUESTS) as pool:
            firsts = await asyncio.gather(
                *(loop.run_in_executor(pool, answer, i, first[i]) for i in range(GUESTS))
            )
            seconds = await asyncio.gather(
                *(loop.run_in_executor(pool, answer, i, final[i]) for i in range(10))
            )
        return firsts, seconds, await listener

    firsts, seconds, pushed = await run()
    assert sorted(status for status, _ in firsts) == [201] * GUESTS, firsts
    assert [status for status, _ in seconds] == [200] * 10, seconds
    expected = {c: sum(1 for v in final.values() if v == c) for c in choices}
    status, results = http(server, "GET", f"/api/polls/{poll['id']}/results/")
    assert results["answers"] == GUESTS
    assert {c["id"]: c["count"] for c in results["choices"]} == expected
    # the live push converges on the same counts (coalesced: a later one may follow)
    assert pushed["poll"]["results"]["answers"] == GUESTS
    status, closed = http(server, "PATCH", f"/api/polls/{poll['id']}/", {"status": "closed"}, *orga)
    assert closed["results"]["choices"] == results["choices"]
    assert answer(0, choices[0])[0] == 409
