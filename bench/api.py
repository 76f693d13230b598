"""Throughput and p95 of the API's main reads against a real daphne; print figures only.

    python bench/api.py [--ideas 2000] [--requests 100]

Seeds the demo on a throw-away SQLite file, adds ``--ideas`` ideas to its board, starts
daphne (throttles off) and times, with 1 then 4 client workers in parallel:

- the event list (``/api/events/``),
- the ideas list of the big board (``/api/events/{id}/ideas/?page_size=200``),
- the project directory (``/api/projects/``),
- the partner dashboard (``/partners/``, a partner's session).

Then prints the queries per request of each, from a test-client run with
``CaptureQueriesContext`` on the same database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import DaphneServer  # noqa: E402

FILL = """
import uuid
from demo.seed import DEMO_JOIN_CODE
from ateliers.models import Event, Idea, Participant
from django.contrib.sessions.backends.db import SessionStore
from ateliers.models import User
event = Event.objects.get(join_code=DEMO_JOIN_CODE)
people = [Participant.objects.create(event=event, display_name=f"P{i}") for i in range(50)]
themes = list(event.themes.all())
Idea.objects.bulk_create([
    Idea(event=event, author=people[i % 50], theme=themes[i % len(themes)],
         text=f"Idée {i}", client_id=uuid.uuid4())
    for i in range({ideas})
])
partner = User.objects.filter(is_partner=True).order_by("pk").first()
session = SessionStore()
session["_auth_user_id"] = str(partner.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = partner.get_session_auth_hash()
session.create()
print(event.pk, session.session_key, partner.pk)
"""


def timed_get(url: str, headers: dict) -> float:
    request = urllib.request.Request(url, headers=headers)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        assert response.status == 200, (url, response.status)
    return time.perf_counter() - started


def run(url: str, headers: dict, workers: int, total: int) -> tuple[float, float, float]:
    timings: list[float] = []
    lock = threading.Lock()
    per_worker = max(1, total // workers)

    def work():
        for _ in range(per_worker):
            elapsed = timed_get(url, headers)
            with lock:
                timings.append(elapsed)

    timed_get(url, headers)  # warm-up
    threads = [threading.Thread(target=work) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))]
    return len(timings) / wall, statistics.median(timings) * 1000, p95 * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="livinglab-bench-api-"))
    throttles = ("LOGIN", "LOGIN_PAIR", "JOIN", "SIGNUP", "WRITES")
    server = DaphneServer(workdir=workdir, env={f"THROTTLE_{s}": "off" for s in throttles})
    server.migrate(seed=True)
    filled = server.manage("shell", "-c", FILL.replace("{ideas}", str(args.ideas)), check=False)
    if filled.returncode:
        sys.exit(filled.stderr[-3000:])
    out = filled.stdout
    event_pk, session_key, partner_pk = out.split()[-3:]
    server.start()
    try:
        import json

        request = urllib.request.Request(
            f"{server.url}/api/auth/token/",
            data=json.dumps({"username": "organisatrice", "password": "techworks-2026"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            token = json.loads(response.read())["token"]
        api = {"Authorization": f"Token {token}", "Accept": "application/json"}
        reads = [
            ("event list", "/api/events/", api),
            (
                f"ideas ({args.ideas}-idea board, 200/page)",
                f"/api/events/{event_pk}/ideas/?page_size=200",
                api,
            ),
            ("project directory", "/api/projects/", api),
            ("partner dashboard", "/partners/", {"Cookie": f"sessionid={session_key}"}),
        ]
        print(f"daphne (1 process, SQLite), {args.requests} requests per line")
        print(f"{'read':45} {'workers':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        for label, path, headers in reads:
            for workers in (1, 4):
                rps, p50, p95 = run(server.url + path, headers, workers, args.requests)
                print(f"{label:45} {workers:>7} {rps:8.1f} {p50:8.1f} {p95:8.1f}")
    finally:
        server.stop()

    # queries per request, in-process on the same database
    os.environ.update({k: v for k, v in server.env.items() if k in ("SQLITE_PATH", "SECRET_KEY")})
    os.environ["DEBUG"] = "0"
    os.environ["LIVINGLAB_PLAIN_STATIC"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from ateliers.models import User

    setup_test_environment()
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = api["Authorization"]
    print("\nqueries per request")
    for label, path, _headers in reads:
        if path.startswith("/partners/"):
            client = Client()
            client.force_login(User.objects.get(pk=partner_pk))
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path, secure=True)
        print(f"{label:45} {len(ctx.captured_queries):>3}  (HTTP {response.status_code})")


if __name__ == "__main__":
    main()
