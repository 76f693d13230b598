"""Claims race and suggestion cost, measured against a real daphne.

    python bench/claims.py [--experts 50] [--rounds 3] [--pool 2000]

1. ``--experts`` experts claim the same help request at the same instant over HTTP
   (threads behind a barrier), ``--rounds`` times: prints the status counts (expected
   one 200 and the rest 409), 5xx and "database is locked" counts, and the time for all
   answers to arrive (settle time).
2. Suggestions for one request among ``--pool`` experts: the ranking's time and query
   count in-process (on the server's database), and the HTTP latency of
   ``GET /api/help-requests/{id}/suggestions/``.

SQLite by default (a fresh file); PostgreSQL when ``DATABASE_URL`` is set (use an empty
database: the script migrates it and adds data), or with ``--postgres`` (a throw-away
server started from the local binaries, see ``tests/pg.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import DaphneServer  # noqa: E402
from tests.live_claims import final_state, race, seed  # noqa: E402

POOL = r"""
import json, random, time
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from ateliers.selectors.matching import suggest_experts
from ateliers.models import ExpertProfile, HelpRequest, Membership, Organization, Skill, User

rng = random.Random(5)
slugs = ["accessibility", "wordpress", "crm", "databases", "security", "privacy", "cloud",
         "free-software", "data-analysis", "ux-design", "networking", "training"]
skills = [Skill.objects.get_or_create(slug=s, defaults={{"name_en": s}})[0] for s in slugs]
password = make_password(None)
User.objects.bulk_create(
    [User(username=f"pool-{{i}}", is_expert=True, password=password) for i in range({pool})]
)
users = list(User.objects.filter(username__startswith="pool-").order_by("id"))
langs = [["fr"], ["en"], ["fr", "en"], ["fr", "es"]]
profiles = ExpertProfile.objects.bulk_create(
    [ExpertProfile(user=u, languages=rng.choice(langs)) for u in users]
)
through = ExpertProfile.skills.through
through.objects.bulk_create([
    through(expertprofile_id=p.pk, skill_id=s.pk)
    for p in profiles for s in rng.sample(skills, 3)
])
org = Organization.objects.create(name="Pool org", languages=["fr"])
member = User.objects.create(username="pool-member", password=password)
Membership.objects.create(user=member, organization=org)
req = HelpRequest.objects.create(organization=org, title="Pool", language="fr", urgency="high")
req.skills.set(skills[:3])
for held in rng.sample(users, 300):
    h = HelpRequest.objects.create(organization=org, title="Held", language="fr",
                                   status="claimed", claimed_by=held)
times = []
for _ in range(5):
    with CaptureQueriesContext(connection) as ctx:
        t = time.perf_counter()
        ranked = suggest_experts(HelpRequest.objects.get(pk=req.pk), limit=20)
        times.append(time.perf_counter() - t)
token = Token.objects.create(user=member).key
print("POOL" + json.dumps({{"request": req.pk, "token": token, "times": times,
      "queries": len(ctx.captured_queries), "top": [s.match.score for s in ranked[:3]],
      "candidates": len(suggest_experts(req, limit=None))}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--experts", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pool", type=int, default=2000)
    parser.add_argument(
        "--postgres", action="store_true", help="start a throw-away PostgreSQL and use it"
    )
    args = parser.parse_args()
    if args.postgres:
        from tests.pg import running_postgres

        with running_postgres() as pg:
            os.environ["DATABASE_URL"] = pg.create_database("bench_claims")
            run(args)
    else:
        run(args)


def run(args) -> None:
    database = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    server = DaphneServer(workdir=Path(tempfile.mkdtemp(prefix="bench-claims-"))).migrate()
    server.start()
    failures = 0
    try:
        print(f"# claims race: {args.experts} experts, {args.rounds} rounds, {database}, daphne")
        settles = []
        for round_ in range(args.rounds):
            request_id, tokens = seed(server, experts=args.experts, tag=f"r{round_}")
            result = race(server.url, request_id, tokens)
            state = final_state(server.url, request_id, tokens[0])
            ok = (
                result.statuses == {200: 1, 409: args.experts - 1}
                and result.locked == 0
                and state["claims"] == 1
            )
            failures += not ok
            settles.append(result.settle_seconds)
            print(
                f"round {round_ + 1}: {dict(sorted(result.statuses.items()))}  "
                f"5xx={result.server_errors}  'database is locked'={result.locked}  "
                f"claims recorded={state['claims']}  settle={result.settle_seconds * 1000:.0f} ms"
                f"  {'OK' if ok else 'FAIL'}"
            )
        print(
            f"settle time: median {statistics.median(settles) * 1000:.0f} ms, "
            f"max {max(settles) * 1000:.0f} ms"
        )

        print(f"\n# suggestions among {args.pool} experts ({database})")
        out = server.manage("shell", "-c", POOL.format(pool=args.pool)).stdout
        pool = json.loads(next(x for x in out.splitlines() if x.startswith("POOL"))[4:])
        print(
            f"in-process ranking: median {statistics.median(pool['times']) * 1000:.0f} ms, "
            f"{pool['queries']} queries, {pool['candidates']} candidates "
            f"(language + a needed skill), top scores {pool['top']}"
        )
        url = f"{server.url}/api/help-requests/{pool['request']}/suggestions/"
        latencies = []
        for _ in range(5):
            request = urllib.request.Request(
                url, headers={"Authorization": f"Token {pool['token']}"}
            )
            start = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
            latencies.append(time.perf_counter() - start)
        print(
            f"HTTP GET suggestions: median {statistics.median(latencies) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms"
        )
    finally:
        server.stop()
    if failures:
        sys.exit(1)


if __name__ == "__main__":
    main()
