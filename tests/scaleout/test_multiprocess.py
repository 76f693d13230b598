"""Two daphne processes on one PostgreSQL and one Redis: delivery across processes, claims,
idempotent retries, ``kill -9`` mid-burst, and a Redis outage.

Runs in the PostgreSQL + Redis pass (``make pytest-scaleout``); skipped on SQLite. Each
module gets a fresh database on the session's PostgreSQL server and its own redis-server.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest
from websockets.exceptions import ConnectionClosed

from tests.live_claims import final_state, race, seed
from tests.scaleout.cluster import BoardClient, Cluster, board_log, http, join, postgres_url

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(postgres_url() is None, reason="needs DATABASE_URL=postgres://…"),
]


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster(processes=2).start()
    yield cluster
    cluster.stop()


def consecutive(seqs: list[int], first: int, last: int) -> bool:
    return seqs == list(range(first, last + 1))


async def test_ideas_posted_on_either_process_reach_both_in_seq_order(cluster):
    one, two = cluster.servers
    token_a, event_id = join(one, "Ana")
    token_b, _ = join(two, "Bao")
    a = BoardClient(one, event_id, token_a)
    b = BoardClient(two, event_id, token_b)
    start = (await a.open())["seq"]
    await b.open(since=start)

    async def burst(client, tag):
        return [await client.post(f"{tag} {i}") for i in range(8)]

    acks_a, acks_b = await asyncio.gather(burst(a, "un"), burst(b, "deux"))
    acks = acks_a + acks_b
    assert all(ack["type"] == "ack" and ack["created"] for ack in acks), acks
    last = max(ack["seq"] for ack in acks)
    assert sorted(ack["seq"] for ack in acks) == list(range(start + 1, last + 1))
    for client in (a, b):
        await client.pump(lambda c: c.events and c.last_seq >= last)
        assert consecutive(client.seqs, start + 1, last), client.seqs
        ideas = {e["idea"]["id"] for e in client.events if e["type"] == "idea.created"}
        assert ideas == {ack["idea"]["id"] for ack in acks}
    await a.close()
    await b.close()


def test_claims_on_both_processes_give_exactly_one_winner(cluster):
    one, two = cluster.servers
    request_id, tokens = seed(one, experts=24, tag="multi")
    result = race([one.url, two.url], request_id, tokens)
    assert result.statuses == {200: 1, 409: 23}, result.statuses
    state = final_state(two.url, request_id, tokens[0])
    assert state["status"] == "claimed"
    assert state["claims"] == 1


async def test_same_client_id_retried_concurrently_on_both_processes_makes_one_idea(cluster):
    one, two = cluster.servers
    token, event_id = join(one, "Retry")
    client_id = str(uuid.uuid4())
    clients = [BoardClient(server, event_id, token) for server in (one, two) * 6]
    await asyncio.gather(*(client.open() for client in clients))
    http_posts = [
        asyncio.to_thread(
            http,
            server,
            "POST",
            f"/api/events/{event_id}/ideas/",
            {"text": "une seule fois", "client_id": client_id},
            token,
        )
        for server in (one, two) * 3
    ]
    results = await asyncio.gather(
        *(client.post("une seule fois", client_id) for client in clients), *http_posts
    )
    ws_acks, http_answers = results[: len(clients)], results[len(clients) :]
    assert all(ack["type"] == "ack" for ack in ws_acks), ws_acks
    assert all(status in (200, 201) for status, _ in http_answers), http_answers
    ids = {ack["idea"]["id"] for ack in ws_acks} | {body["id"] for _, body in http_answers}
    assert len(ids) == 1
    created = sum(ack["created"] for ack in ws_acks) + sum(s == 201 for s, _ in http_answers)
    assert created == 1
    assert len({ack["seq"] for ack in ws_acks}) == 1
    logged = [
        e
        for e in board_log(two, event_id, ws_acks[0]["seq"] - 1)
        if e["type"] == "idea.created" and e["idea"]["id"] in ids
    ]
    assert len(logged) == 1
    for client in clients:
        await client.close()


async def test_redis_outage_degrades_and_recovers_without_losing_a_write(cluster):
    one, two = cluster.servers
    token_a, event_id = join(one, "Avant")
    token_b, _ = join(two, "Pendant")
    a = BoardClient(one, event_id, token_a)  # live on process one before the outage
    start = (await a.open())["seq"]

    cluster.redis.stop()
    try:
        # A WebSocket write and an HTTP write (throttled: the cache is down) still land.
        ack = await a.post("pendant la panne (ws)")
        assert ack["type"] == "ack" and ack["created"], ack
        status, body = await asyncio.to_thread(
            http, two, "POST", f"/api/events/{event_id}/ideas/", {"text": "panne http"}, token_b
        )
        assert status == 201, (status, body)
        joined_status, _ = await asyncio.to_thread(
            http, two, "POST", "/api/join/", {"code": "TECHWK", "display_name": "Neuve"}
        )
        assert joined_status == 201
        # A socket opened during the outage works, says it is degraded, reads the log.
        b = BoardClient(two, event_id, token_b)
        welcome = await b.open(since=start)
        assert welcome["type"] == "welcome"
        await b.pump(lambda c: any(e["code"] == "live_unavailable" for e in c.errors))
        after_outage = await b.post("écrite en mode dégradé")
        assert after_outage["type"] == "ack"
        await b.pump(lambda c: c.events and c.last_seq >= after_outage["seq"])
        assert consecutive(b.seqs, start + 1, after_outage["seq"])
        assert one.proc.poll() is None and two.proc.poll() is None  # nothing crashed
    finally:
        cluster.redis.start()

    # Recovery: the next push reaches both; each fills what it missed from the log.
    await asyncio.sleep(2.5)  # the degraded socket rejoins its room, pub/sub resubscribes
    back = await a.post("Redis est revenu")
    assert back["type"] == "ack"
    for client in (a, b):
        await client.pump(lambda c: c.events and c.last_seq >= back["seq"], timeout=20)
        assert consecutive(client.seqs, start + 1, back["seq"]), client.seqs
    log = (one.log.read_text(), two.log.read_text())
    assert "board push failed" in log[0] + log[1]  # the lost broadcast is logged
    a_ids = {e["idea"]["id"] for e in board_log(one, event_id, start)}
    assert ack["idea"]["id"] in a_ids and body["id"] in a_ids
    await a.close()
    await b.close()


async def test_one_redis_subscription_per_room_and_process_not_per_socket(cluster):
    """Issue 14: 2,000 guests meant 2,000 SUBSCRIBEs and as many task wake-ups per push;
    now each process subscribes once per room and fans out in process."""
    import redis

    one, two = cluster.servers
    token, event_id = join(one, "Nombreux")
    clients = [
        BoardClient(server, event_id, token if i == 1 else None)
        for i, server in enumerate([one, two] * 15)
    ]
    for client in clients:
        try:
            await client.open()
        except ConnectionClosed:
            raise AssertionError(client.errors) from None
    channels = redis.Redis.from_url(cluster.redis.url).pubsub_channels()
    assert len(channels) <= 6, channels  # per process: the room and its one channel
    ack = await clients[1].post("à tous, une fois")
    for client in clients:
        await client.pump(lambda c: c.events and c.last_seq >= ack["seq"])
        assert client.seqs[-1] == ack["seq"]
    for client in clients:
        await client.close()


async def test_kill_9_mid_burst_loses_no_ack_and_clients_catch_up_on_the_other(cluster):
    victim, survivor = cluster.servers
    event_id = join(survivor, "Témoin")[1]
    writers = [BoardClient(s, event_id, join(s, f"W{i}")[0]) for i, s in enumerate(cluster.servers)]
    readers = [BoardClient(victim, event_id, join(victim, f"R{i}")[0]) for i in range(3)]
    watcher = BoardClient(survivor, event_id, join(survivor, "Veille")[0])
    start = (await watcher.open())["seq"]
    for client in writers + readers:
        await client.open(since=start)

    acked: list[dict] = []
    unanswered: list[str] = []
    killed = asyncio.Event()

    async def burst(writer: BoardClient, n: int) -> None:
        for i in range(n):
            client_id = str(uuid.uuid4())
            try:
                ack = await writer.post(f"{writer.server.port} rafale {i}", client_id)
            except (ConnectionClosed, TimeoutError):
                unanswered.append(client_id)
                return
            assert ack["type"] == "ack", ack
            acked.append(ack)
            if writer.server is victim and i == 9:
                await asyncio.to_thread(victim.kill9)
                killed.set()

    await asyncio.gather(burst(writers[0], 30), burst(writers[1], 20))
    assert killed.is_set() and len(acked) >= 10 + 20

    # Every acknowledged write is in the database (read through the survivor).
    log = board_log(survivor, event_id, start)
    logged = {e["idea"]["id"]: e["seq"] for e in log if e["type"] == "idea.created"}
    assert {a["idea"]["id"]: a["seq"] for a in acked}.items() <= logged.items()
    assert consecutive([e["seq"] for e in log], start + 1, start + len(log))

    # The writer of the dead process retries its unanswered write on the survivor: once.
    writer = writers[0]
    for client_id in unanswered:
        await writer.open(survivor, since=writer.last_seq)
        retry = await writer.post("retry", client_id)
        assert retry["type"] == "ack"

    # Readers of the dead process reconnect to the survivor with since: no gap, no dup.
    final = board_log(survivor, event_id, start)[-1]["seq"]
    for reader in readers:
        await reader.read_until_closed()  # what the dead process had sent still counts
        seen_before = list(reader.seqs)
        welcome = await reader.open(survivor, since=reader.last_seq)
        assert welcome["snapshot"] is None
        await reader.pump(lambda c: c.events and c.last_seq >= final)
        assert consecutive(reader.seqs, start + 1, final), (seen_before, reader.seqs)
    await watcher.pump(lambda c: c.events and c.last_seq >= final)
    assert consecutive(watcher.seqs, start + 1, final)
    for client in [*writers, *readers, watcher]:
        await client.close()
    # Last test of the module: the cluster stays one process short.
