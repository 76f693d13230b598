"""Board fan-out: N real WebSocket guests on one daphne, one poster; and a raw baseline.

    /work/main/.venv/bin/python bench/board_fanout.py [--sizes 100,300,1000] [--posts 20]

For each N it starts (once) daphne on a fresh demo database, connects N guests (signed
tokens made beforehand), lets one of them post ideas at a steady pace, and prints per
broadcast the time until *every* client had it (p50/p95/max), the per-delivery latency,
lost and duplicated messages, connect time and the server's RSS. The same harness then
runs a minimal raw ``websockets`` broadcast server (no Django, no database) and prints
the ratio. Finally a burst: 300 guests each post one idea within 2 s; all must be
acknowledged and delivered to everyone exactly once.

All clients live in this one asyncio process; server and clients share the machine.

    /work/main/.venv/bin/python bench/board_fanout.py --full-room

The full room (issue 14), default throttles: 1,000 joins from one address; a board of
5,000 ideas and 20,000 comments (time to ``welcome`` for a new guest, the largest
WebSocket message and HTTP body, following ``next``); the ack latency of a guest's posts
idle and while 100 anonymous clients read the board over HTTP in a loop.

    /work/main/.venv/bin/python bench/board_fanout.py --processes 2 [--clients 2000]

Scale-out: starts a throw-away PostgreSQL + Redis through ``.ci/services.sh`` (own ports
and directory), then in the same run one daphne with ``--baseline`` (1,000) clients and
``--processes`` daphnes with ``--clients`` split across them (round robin), all on the
pub/sub Redis layer; the poster sits on the first process, so every other process gets
each idea through Redis. Prints the same figures and the ratio to the single process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from websockets.asyncio.client import connect  # noqa: E402
from websockets.exceptions import InvalidHandshake  # noqa: E402

from tests.live import DaphneServer, free_port  # noqa: E402

RAW_SERVER = r"""
import asyncio, json, sys
from websockets.asyncio.server import serve, broadcast

clients = set()
seq = 0

async def handler(ws):
    global seq
    clients.add(ws)
    try:
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "hello":
                await ws.send(json.dumps({"type": "welcome", "seq": seq}))
            elif message["type"] == "idea.create":
                seq += 1
                text = json.dumps({"type": "idea.created", "seq": seq,
                                   "idea": {"id": seq, "text": message["text"]}})
                broadcast(clients, text)
                await ws.send(json.dumps({"type": "ack", "seq": seq,
                                          "client_id": message["client_id"]}))
    finally:
        clients.discard(ws)

async def main():
    async with serve(handler, "127.0.0.1", int(sys.argv[1]), max_size=2**20):
        await asyncio.Future()

asyncio.run(main())
"""


LOST_AFTER = 30.0  # seconds past the late cut-off before a delivery counts as lost


def pct(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(q / 100 * (len(values) - 1)))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (``/proc``), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class Guest:
    def __init__(self, index: int, url: str, origin: str, token: str | None):
        self.index = index
        self.url = url
        self.origin = origin
        self.token = token
        self.ws = None
        self.received: dict[str, float] = {}  # idea text → arrival time
        self.dupes = 0
        self.seqs: list[int] = []
        self.acks: dict[str, float] = {}
        self.task = None
        self.loaded = asyncio.Event()  # the whole board state is in (the last part)

    async def open(self):
        self.ws = await connect(self.url, origin=self.origin, max_size=2**22, open_timeout=60)
        await self.ws.send(json.dumps({"type": "hello", "token": self.token}))
        while True:
            message = json.loads(await self.ws.recv())
            if message["type"] == "welcome":
                self.last_seq = message["seq"]
                if (message.get("snapshot") or {}).get("complete", True):
                    self.loaded.set()
                break
        self.task = asyncio.ensure_future(self.read())

    async def read(self):
        try:
            async for raw in self.ws:
                now = time.perf_counter()
                message = json.loads(raw)
                kind = message["type"]
                if kind == "idea.created":
                    text = message["idea"]["text"]
                    if text in self.received:
                        self.dupes += 1
                    else:
                        self.received[text] = now
                    self.seqs.append(message["seq"])
                elif kind == "ack":
                    self.acks[message["client_id"]] = now
                elif kind == "snapshot.part" and message.get("last"):
                    self.loaded.set()
        except Exception:
            pass

    async def post(self, text: str) -> str:
        client_id = str(uuid.uuid4())
        await self.ws.send(
            json.dumps({"type": "idea.create", "client_id": client_id, "text": text})
        )
        return client_id

    async def close(self):
        await self.ws.close()
        if self.task:
            await asyncio.wait([self.task], timeout=5)


async def connect_all(guests, concurrency=20):
    semaphore = asyncio.Semaphore(concurrency)

    async def one(guest):
        async with semaphore:
            for attempt in range(5):
                try:
                    await guest.open()
                    return
                except (OSError, InvalidHandshake, TimeoutError):
                    await asyncio.sleep(0.2 * (attempt + 1))
            await guest.open()

    start = time.perf_counter()
    await asyncio.gather(*(one(g) for g in guests))
    return time.perf_counter() - start


async def run_room(url, origin, tokens, posts, pace, pid, tag, settle=3.0):
    """``url``/``origin``/``pid`` may be lists (several processes): guests take them in turn."""
    urls = url if isinstance(url, list) else [url]
    origins = origin if isinstance(origin, list) else [origin]
    pids = pid if isinstance(pid, list) else [pid]
    guests = [
        Guest(i, urls[i % len(urls)], origins[i % len(origins)], tok)
        for i, tok in enumerate(tokens)
    ]
    cpu_before = sum(cpu_seconds(p) for p in pids)
    connect_time = await connect_all(guests)
    connect_cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
    await asyncio.sleep(1.5)  # presence broadcasts settle
    rss = sum(rss_mb(p) for p in pids)
    poster = guests[0]
    sent: dict[str, float] = {}
    run = uuid.uuid4().hex[:6]
    for k in range(posts):
        text = f"bench {run} #{k}"
        sent[text] = time.perf_counter()
        await poster.post(text)
        await asyncio.sleep(1 / pace)
    # Late is not lost: whatever has not arrived LATE_AFTER seconds after the last post
    # is counted as late, then the bench waits up to LOST_AFTER seconds more; only what
    # never came is lost. Latencies are of what arrived by the first cut-off.
    last_post = time.perf_counter()
    cutoff = last_post + settle + 10
    while time.perf_counter() < cutoff + LOST_AFTER:
        if all(len(g.received) >= posts for g in guests):
            break
        await asyncio.sleep(0.1)
    per_broadcast, per_delivery = [], []
    lost = late = 0
    for text, t0 in sent.items():
        arrivals = [g.received.get(text) for g in guests]
        got = [a for a in arrivals if a is not None and a <= cutoff]
        late += sum(1 for a in arrivals if a is not None and a > cutoff)
        lost += sum(1 for a in arrivals if a is None)
        per_delivery += [(a - t0) * 1000 for a in got]
        if got:
            per_broadcast.append((max(got) - t0) * 1000)
    dupes = sum(g.dupes for g in guests)
    in_order = all(g.seqs == sorted(g.seqs) for g in guests)
    rss_after = sum(rss_mb(p) for p in pids)
    await asyncio.gather(*(g.close() for g in guests), return_exceptions=True)
    return {
        "tag": tag,
        "n": len(guests),
        "connect_s": connect_time,
        "connect_cpu_ms": connect_cpu * 1000 / len(guests),
        "p50": pct(per_broadcast, 50),
        "p95": pct(per_broadcast, 95),
        "max": max(per_broadcast) if per_broadcast else float("nan"),
        "d50": pct(per_delivery, 50),
        "d95": pct(per_delivery, 95),
        "lost": lost,
        "late": late,
        "late_after_s": settle + 10,
        "dupes": dupes,
        "in_order": in_order,
        "rss": max(rss, rss_after),
    }


async def run_burst(url, origin, tokens, window=2.0):
    guests = [Guest(i, url, origin, tok) for i, tok in enumerate(tokens)]
    await connect_all(guests)
    await asyncio.sleep(1.5)
    run = uuid.uuid4().hex[:6]
    client_ids = {}
    start = time.perf_counter()

    async def post(guest):
        await asyncio.sleep(random.uniform(0, window))
        client_ids[guest.index] = await guest.post(f"burst {run} from {guest.index}")

    await asyncio.gather(*(post(g) for g in guests))
    posted = time.perf_counter() - start
    expected = {f"burst {run} from {g.index}" for g in guests}
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        acked = sum(1 for g in guests if client_ids[g.index] in g.acks)
        delivered = all(expected <= set(g.received) for g in guests)
        if acked == len(guests) and delivered:
            break
        await asyncio.sleep(0.1)
    acked = sum(1 for g in guests if client_ids[g.index] in g.acks)
    last_ack = max((g.acks.get(client_ids[g.index], 0) for g in guests), default=0) - start
    last_delivery = max((max(g.received.values()) for g in guests if g.received), default=0)
    missing = sum(len(expected - set(g.received)) for g in guests)
    dupes = sum(g.dupes for g in guests)
    await asyncio.gather(*(g.close() for g in guests), return_exceptions=True)
    return {
        "n": len(guests),
        "posted_s": posted,
        "acked": acked,
        "last_ack_s": last_ack,
        "all_delivered_s": last_delivery - start,
        "missing": missing,
        "dupes": dupes,
    }


def make_tokens(server: DaphneServer, count: int) -> list[str]:
    script = (
        "import json\n"
        "from django.db import transaction\n"
        "from demo.seed import DEMO_JOIN_CODE\n"
        "from ateliers.services.board import participant_join, participant_token\n"
        "with transaction.atomic():\n"
        f"    ps = [participant_join(code=DEMO_JOIN_CODE, display_name=f'Bench {{i}}')"
        f" for i in range({count})]\n"
        "print(json.dumps([participant_token(p) for p in ps]))\n"
    )
    out = server.manage("shell", "-c", script).stdout
    return json.loads(out.strip().splitlines()[-1])


def line(result):
    return (
        f"{result['tag']:>7} N={result['n']:>5}  connect {result['connect_s']:6.2f}s "
        f"(server CPU {result['connect_cpu_ms']:.2f} ms each)  "
        f"all-clients p50 {result['p50']:7.1f} p95 {result['p95']:7.1f} "
        f"max {result['max']:7.1f} ms  per-delivery p50 {result['d50']:6.1f} "
        f"p95 {result['d95']:6.1f} ms  late {result['late']} (after "
        f"{result['late_after_s']:.0f} s)  lost {result['lost']}  dup {result['dupes']}  "
        f"ordered {result['in_order']}  RSS {result['rss']:6.1f} MB"
    )


async def main_async(args):
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="board-bench-"))
    server = DaphneServer(
        workdir=workdir,
        env={"LOG_LEVEL": "ERROR", "THROTTLE_JOIN": "100000/min"},
    )
    print(f"daphne on a fresh demo database in {workdir} …", flush=True)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    server.migrate(seed=True).start()
    # daphne logs every connection; keep its log out of the measurement.
    try:
        event_id = json.loads(
            server.manage(
                "shell",
                "-c",
                "from ateliers.models import Event;print(Event.objects.get(join_code='TECHWK').pk)",
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        tokens = make_tokens(server, max(max(sizes), args.burst))
        url = f"{server.ws_url}/ws/events/{event_id}/board/"
        results = []
        for n in sizes:
            result = await run_room(
                url, server.url, tokens[:n], args.posts, args.pace, server.proc.pid, "daphne"
            )
            print(line(result), flush=True)
            results.append(result)
        burst = await run_burst(url, server.url, tokens[: args.burst]) if args.burst else None
    finally:
        server.stop()

    port = free_port()
    raw = subprocess.Popen([sys.executable, "-c", RAW_SERVER, str(port)])
    try:
        time.sleep(1.0)
        raw_results = []
        for n in sizes:
            result = await run_room(
                f"ws://127.0.0.1:{port}/",
                f"http://127.0.0.1:{port}",
                [None] * n,
                args.posts,
                args.pace,
                raw.pid,
                "raw",
            )
            print(line(result), flush=True)
            raw_results.append(result)
    finally:
        raw.terminate()
        raw.wait(timeout=10)

    print(f"\nratio daphne/raw (all-clients latency; connect); load {os.getloadavg()}:")
    for ours, base in zip(results, raw_results, strict=True):
        print(
            f"  N={ours['n']:>5}: p50 ×{ours['p50'] / base['p50']:.2f}  "
            f"p95 ×{ours['p95'] / base['p95']:.2f}  max ×{ours['max'] / base['max']:.2f}  "
            f"connect ×{ours['connect_s'] / base['connect_s']:.2f}"
        )
    if burst:
        print(
            f"\nburst: {burst['n']} guests posted one idea each within {burst['posted_s']:.2f}s;"
            f" acked {burst['acked']}/{burst['n']} (last ack at {burst['last_ack_s']:.2f}s);"
            f" every client had all of them at {burst['all_delivered_s']:.2f}s;"
            f" missing {burst['missing']}, duplicates {burst['dupes']}"
        )


def start_services() -> tuple[dict, dict]:
    """A private PostgreSQL + Redis via .ci/services.sh; returns (their env, stop env)."""
    env = {
        **os.environ,
        "LIVINGLAB_SERVICES_DIR": tempfile.mkdtemp(prefix="board-bench-services-"),
        "LIVINGLAB_PG_PORT": str(free_port()),
        "LIVINGLAB_REDIS_PORT": str(free_port()),
    }
    out = subprocess.run(
        ["bash", str(ROOT / ".ci/services.sh"), "start"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    exported = {}
    for row in out.splitlines():
        if row.startswith("export "):
            key, _, value = row[len("export ") :].partition("=")
            exported[key] = value
    return exported, env


async def main_processes(args):
    services, services_env = start_services()
    print(f"PostgreSQL + Redis: {services}", flush=True)
    print(f"load average at start: {os.getloadavg()}", flush=True)
    env = {"LOG_LEVEL": "ERROR", "THROTTLE_JOIN": "100000/min", **services}
    servers = [
        DaphneServer(workdir=Path(tempfile.mkdtemp(prefix="board-bench-")), env=env)
        for _ in range(args.processes)
    ]
    try:
        servers[0].migrate(seed=True)
        for server in servers:
            server.start()
        event_id = json.loads(
            servers[0]
            .manage(
                "shell",
                "-c",
                "from ateliers.models import Event;print(Event.objects.get(join_code='TECHWK').pk)",
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        tokens = make_tokens(servers[0], max(args.clients, args.baseline))
        path = f"/ws/events/{event_id}/board/"
        one = await run_room(
            servers[0].ws_url + path,
            servers[0].url,
            tokens[: args.baseline],
            args.posts,
            args.pace,
            servers[0].proc.pid,
            "1 proc",
        )
        print(line(one), flush=True)
        many = await run_room(
            [s.ws_url + path for s in servers],
            [s.url for s in servers],
            tokens[: args.clients],
            args.posts,
            args.pace,
            [s.proc.pid for s in servers],
            f"{args.processes} proc",
        )
        print(line(many), flush=True)
    finally:
        for server in servers:
            server.stop()
        subprocess.run(
            ["bash", str(ROOT / ".ci/services.sh"), "stop"], env=services_env, check=False
        )
    print(
        f"\nratio {args.processes} processes × {args.clients} clients / 1 process × "
        f"{args.baseline} clients (all-clients latency): p50 ×{many['p50'] / one['p50']:.2f}  "
        f"p95 ×{many['p95'] / one['p95']:.2f}  max ×{many['max'] / one['max']:.2f}; "
        f"lost {many['lost']} vs {one['lost']}, late {many['late']} vs {one['late']}, "
        f"duplicates {many['dupes']} vs {one['dupes']}; connect {many['connect_s']:.1f} s "
        f"vs {one['connect_s']:.1f} s; load at end {os.getloadavg()}"
    )


# --- the full room (issue 14): join surge, big board, heavy reads during writes --------

BIG_BOARD = """
import random, uuid
from demo.seed import DEMO_JOIN_CODE
from ateliers.models import Comment, Event, Idea
from ateliers.services.board import participant_join
event = Event.objects.get(join_code=DEMO_JOIN_CODE)
themes = list(event.themes.all()) + [None]
people = [participant_join(code=DEMO_JOIN_CODE, display_name=f"Auteur {i}") for i in range(50)]
rng = random.Random(14)
Idea.objects.bulk_create(
    Idea(event=event, author=rng.choice(people), theme=rng.choice(themes),
         text=f"Idée {i} " + "é" * rng.randrange(40, 990), votes=rng.randrange(30),
         votes_logged=0, client_id=uuid.uuid4())
    for i in range(IDEAS)
)
Idea.objects.filter(event=event).update(votes_logged=models.F("votes"))
pks = list(Idea.objects.filter(event=event).values_list("pk", flat=True))
Comment.objects.bulk_create(
    Comment(idea_id=rng.choice(pks), participant=rng.choice(people),
            text="Commentaire " + "c" * rng.randrange(20, 300), client_id=uuid.uuid4())
    for i in range(COMMENTS)
)
print(event.pk)
"""


def http_get(url: str) -> tuple[int, bytes, float]:
    import urllib.error
    import urllib.request

    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read(), time.perf_counter() - start
    except urllib.error.HTTPError as exc:
        return exc.code, b"", time.perf_counter() - start


def http_join(url: str, code: str, name: str) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url + "/api/join/",
        data=json.dumps({"code": code, "display_name": name}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


async def join_surge(server: DaphneServer, count: int) -> None:
    """``count`` joins from one address (127.0.0.1), 20 at a time, default throttles."""
    semaphore = asyncio.Semaphore(20)

    async def one(i):
        async with semaphore:
            return await asyncio.to_thread(http_join, server.url, "TECHWK", f"Téléphone {i}")

    start = time.perf_counter()
    statuses = await asyncio.gather(*(one(i) for i in range(count)))
    took = time.perf_counter() - start
    refused = sum(1 for s in statuses if s == 429)
    print(
        f"join surge: {count} joins from one address in {took:.1f} s: "
        f"{statuses.count(201)} joined, {refused} refused (429), "
        f"{count - statuses.count(201) - refused} other",
        flush=True,
    )


async def welcome_of(server: DaphneServer, event_id: int, token: str | None) -> dict:
    url = f"{server.ws_url}/ws/events/{event_id}/board/"
    start = time.perf_counter()
    sizes, ideas = [], []
    async with connect(url, origin=server.url, max_size=2**22, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "hello", "token": token}))
        welcome_at = None
        while True:
            raw = await ws.recv()
            message = json.loads(raw)
            if message["type"] == "presence":
                continue
            sizes.append(len(raw.encode()))
            if message["type"] == "welcome":
                welcome_at = time.perf_counter() - start
                ideas += [i["id"] for i in message["snapshot"]["ideas"]]
                if message["snapshot"].get("complete", True):
                    break
            elif message["type"] == "snapshot.part":
                ideas += [i["id"] for i in message["ideas"]]
                if message["last"]:
                    break
    return {
        "welcome_s": welcome_at,
        "all_s": time.perf_counter() - start,
        "largest": max(sizes),
        "messages": len(sizes),
        "ideas": len(ideas),
        "unique": len(set(ideas)),
    }


async def follow_http(server: DaphneServer, event_id: int) -> dict:
    url = f"{server.url}/api/events/{event_id}/board/"
    start = time.perf_counter()
    sizes, ideas, first = [], [], None
    while url:
        status, body, took = await asyncio.to_thread(http_get, url)
        assert status == 200, status
        first = first if first is not None else took
        sizes.append(len(body))
        data = json.loads(body)
        ideas += [i["id"] for i in data["snapshot"]["ideas"]]
        url = data["next"]
    return {
        "first_s": first,
        "all_s": time.perf_counter() - start,
        "largest": max(sizes),
        "bodies": len(sizes),
        "ideas": len(ideas),
        "unique": len(set(ideas)),
    }


def _read_in_a_loop(url: str, readers: int, stop, count) -> None:
    """``readers`` anonymous clients, one thread each, reading ``url`` until ``stop``
    (run in a process of its own: the poster's timings are not those of a client
    process starved by 100 reader threads)."""
    from concurrent.futures import ThreadPoolExecutor

    def reader():
        while not stop.is_set():
            http_get(url)
            with count.get_lock():
                count.value += 1

    with ThreadPoolExecutor(max_workers=readers) as pool:
        for _ in range(readers):
            pool.submit(reader)


async def acks_while(server, event_id, token, posts, readers: int) -> list[float]:
    """Ack latencies of ``posts`` ideas posted at 2/s while ``readers`` anonymous clients
    read the board over HTTP in a loop, all at once (``readers`` threads in another
    process)."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    stop, count = context.Event(), context.Value("l", 0)
    process = None
    if readers:
        url = f"{server.url}/api/events/{event_id}/board/"
        process = context.Process(target=_read_in_a_loop, args=(url, readers, stop, count))
        process.start()
        while count.value < readers:  # every reader has had a first answer
            await asyncio.sleep(0.1)
    guest = Guest(0, f"{server.ws_url}/ws/events/{event_id}/board/", server.url, token)
    await guest.open()
    # A phone posts once its board is there: the rest of a big state comes in parts on
    # the same socket and thread, and a post in the middle would wait for them.
    await asyncio.wait_for(guest.loaded.wait(), 120)
    start_count = count.value
    latencies = []
    for i in range(posts):
        sent = time.perf_counter()
        client_id = await guest.post(f"Pendant les lectures {readers}-{i}-{uuid.uuid4().hex[:6]}")
        while client_id not in guest.acks:
            await asyncio.sleep(0.002)
        latencies.append((guest.acks[client_id] - sent) * 1000)
        await asyncio.sleep(0.5)
    await guest.close()
    reads = count.value - start_count
    stop.set()
    if process is not None:
        process.join(timeout=120)
        print(f"  ({reads} anonymous board reads while posting, {readers} at once)", flush=True)
    return latencies


async def main_full_room(args):
    workdir = Path(tempfile.mkdtemp(prefix="board-full-room-"))
    server = DaphneServer(workdir=workdir, env={"LOG_LEVEL": "ERROR"})  # default throttles
    print(f"daphne on a fresh demo database in {workdir} …", flush=True)
    server.migrate(seed=True).start()
    try:
        print(f"load average at start: {os.getloadavg()}", flush=True)
        await join_surge(server, args.joins)
        script = BIG_BOARD.replace("IDEAS", str(args.ideas)).replace("COMMENTS", str(args.comments))
        script = "from django.db import models\n" + script
        event_id = int(server.manage("shell", "-c", script).stdout.strip().splitlines()[-1])
        print(f"big board: {args.ideas} ideas, {args.comments} comments", flush=True)
        token = make_tokens(server, 2)
        for label, who in (("new guest, cold", token[0]), ("new guest, cached", token[1])):
            r = await welcome_of(server, event_id, who)
            print(
                f"  WebSocket {label}: welcome in {r['welcome_s'] * 1000:.0f} ms, whole state "
                f"in {r['all_s']:.2f} s over {r['messages']} messages, largest "
                f"{r['largest'] / 1024:.0f} KiB, {r['ideas']} ideas ({r['unique']} unique)",
                flush=True,
            )
        r = await follow_http(server, event_id)
        print(
            f"  HTTP anonymous: first body in {r['first_s'] * 1000:.0f} ms, all {r['bodies']} "
            f"bodies in {r['all_s']:.2f} s, largest {r['largest'] / 1024:.0f} KiB, "
            f"{r['ideas']} ideas ({r['unique']} unique)",
            flush=True,
        )
        idle = await acks_while(server, event_id, token[0], args.posts, 0)
        busy = await acks_while(server, event_id, token[0], args.posts, args.readers)
        print(
            f"  ack of a post, idle: p50 {pct(idle, 50):.0f} p95 {pct(idle, 95):.0f} ms; "
            f"with {args.readers} anonymous readers: p50 {pct(busy, 50):.0f} "
            f"p95 {pct(busy, 95):.0f} ms (p95 ×{pct(busy, 95) / pct(idle, 95):.2f})",
            flush=True,
        )
        print(f"load average at end: {os.getloadavg()}", flush=True)
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--full-room",
        action="store_true",
        help="join surge, big board, anonymous reads during writes (issue 14)",
    )
    parser.add_argument("--joins", type=int, default=1000)
    parser.add_argument("--ideas", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--pace", type=float, default=2.0, help="posts per second")
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument(
        "--processes", type=int, default=0, help="N daphnes on PostgreSQL + Redis (scale-out)"
    )
    parser.add_argument("--clients", type=int, default=2000, help="split across --processes")
    parser.add_argument("--baseline", type=int, default=1000, help="clients on one process")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    if args.full_room:
        asyncio.run(main_full_room(args))
        return
    asyncio.run(main_processes(args) if args.processes else main_async(args))


if __name__ == "__main__":
    main()
