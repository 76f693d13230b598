"""Time the organizer and profile pages on a large event; print figures, assert nothing.

    python bench/pages.py [--orgs 300] [--experts 100] [--runs 20]

Builds a throw-away SQLite database (WAL, the `make run` settings) in a temporary
directory, fills one event with organisations, experts, themes and slots, then renders
each page ``--runs`` times with Django's test client (no network: this measures the view,
the queries and the template) and prints p50 / p95 / max and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--experts", type=int, default=100)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    tmp = tempfile.TemporaryDirectory()
    os.environ["SQLITE_PATH"] = str(Path(tmp.name) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DEBUG"] = "0"
    os.environ["LIVINGLAB_PLAIN_STATIC"] = "1"  # no collectstatic needed for a bench
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)

    from ateliers.models import ExpertProfile, Membership, Organization, Registration, User
    from demo.seed import seed_demo

    started = time.perf_counter()
    with transaction.atomic():
        event = seed_demo()
        organizer = User.objects.get(username="organisatrice")
        for i in range(args.orgs):
            user = User.objects.create(username=f"bench-member-{i}", display_name=f"M {i}")
            org = Organization.objects.create(
                name=f"Organisme {i:04d}", languages=["fr"], region="Montréal"
            )
            Membership.objects.create(user=user, organization=org)
            Registration.objects.create(
                event=event, role="organization", organization=org, user=user
            )
        for i in range(args.experts):
            user = User.objects.create(username=f"bench-expert-{i}", is_expert=True)
            ExpertProfile.objects.create(user=user, languages=["fr", "en"], bio="Bench")
            Registration.objects.create(event=event, role="expert", user=user)
    built = time.perf_counter() - started

    client = Client()
    client.force_login(organizer)
    org = Organization.objects.order_by("id").first()
    pages = [
        f"/events/{event.pk}/",
        "/events/",
        "/organize/",
        f"/organize/events/{event.pk}/",
        f"/organize/events/{event.pk}/edit/",
        f"/organize/events/{event.pk}/registrations/",
        f"/organize/events/{event.pk}/registrations/?role=organization&checked_in=false",
        "/organizations/",
        f"/organizations/{org.pk}/",
        "/me/",
    ]
    registrations = Registration.objects.filter(event=event).count()
    print(
        f"event #{event.pk}: {registrations} registrations, "
        f"{Organization.objects.count()} organisations; built in {built:.1f} s"
    )
    print(f"{'page':<72} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'queries':>7}")
    for url in pages:
        timings = []
        queries = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                response = client.get(url, secure=True)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(ctx.captured_queries)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"{url:<72} {statistics.median(timings):7.1f} {p95:7.1f} {timings[-1]:7.1f} "
            f"{queries:7d}"
        )
    # A check-in, the busiest write at the door.
    client_post = []
    for registration in Registration.objects.filter(event=event)[: args.runs]:
        t0 = time.perf_counter()
        client.post(
            f"/organize/events/{event.pk}/registrations/{registration.pk}/check-in/", secure=True
        )
        client_post.append((time.perf_counter() - t0) * 1000)
    client_post.sort()
    print(
        f"{'POST check-in (then redirect, not followed)':<72} "
        f"{statistics.median(client_post):7.1f} "
        f"{client_post[min(len(client_post) - 1, int(len(client_post) * 0.95))]:7.1f} "
        f"{client_post[-1]:7.1f}"
    )
    tmp.cleanup()


if __name__ == "__main__":
    main()
