"""How the projects' reads scale: API list, directory, dashboard, export, project page.

Builds N projects (default 1,000) with milestones, updates, indicators and values in a
throw-away SQLite database, then times each read (in-process Django test client, median
of several runs) for a visitor, a partner and an organizer, and prints the SQL query
count next to it. Not part of the test run:

    python bench/projects_pages.py [N]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-projects-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
os.environ["SQLITE_PATH"] = f"{TMP}/bench.sqlite3"
os.environ.pop("DATABASE_URL", None)
os.environ["DEBUG"] = "1"  # plain static storage; queries are captured anyway
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build(n: int):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from ateliers.models import Membership, Organization, User
    from projets import services

    organizer = User.objects.create(username="orga", is_organizer=True)
    partner = User.objects.create(username="partner", is_partner=True)
    funder = Organization.objects.create(name="Fondation", languages=["fr"])
    Membership.objects.create(user=partner, organization=funder)
    orgs = [Organization.objects.create(name=f"Org {i}", languages=["fr"]) for i in range(50)]
    today = timezone.localdate()
    for i in range(n):
        project = services.project_create(
            actor=organizer,
            title_fr=f"Projet {i}",
            summary_fr="Résumé " * 20,
            visibility=("public", "partners", "private")[i % 3],
            region=("Montréal", "Laval", "Québec")[i % 3],
            partners=[funder] if i % 2 else [],
            organizations=[orgs[i % 50]],
        )
        services.milestone_create(
            actor=organizer, project=project, title="Jalon", due_on=today - timedelta(days=3)
        )
        services.project_post_update(actor=organizer, project=project, text="Nouvelles")
        indicator = services.indicator_create(
            actor=organizer, project=project, name="Personnes formées", target=Decimal(50000)
        )
        for days in (60, 30, 0):
            services.indicator_record_value(
                actor=organizer,
                indicator=indicator,
                value=Decimal(100 * (60 - days) + i),
                measured_on=today - timedelta(days=days),
            )
    return organizer, partner


def measure(client: Client, path: str, runs: int = 5) -> tuple[float, int]:
    times = []
    connection.queries_log.clear()  # a full log (maxlen) would count nothing
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)
    for _ in range(runs):
        start = time.perf_counter()
        client.get(path, secure=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(ctx.captured_queries)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    # As in tests: keep one connection so the queries of a request can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    organizer, partner = build(n)
    print(f"built {n} projects in {time.perf_counter() - start:.1f} s (SQLite, {TMP})")
    from projets.models import Project

    some = Project.objects.filter(visibility="public").order_by("id").first()
    paths = [
        "/api/projects/",
        "/api/projects/?page_size=200",
        "/api/projects/?q=Projet%201&phase=exploration",
        "/api/projects/export.csv",
        "/projects/",
        "/partners/",
        f"/projects/{some.pk}/",
    ]
    clients = {"visitor": Client(), "partner": Client(), "organizer": Client()}
    clients["partner"].force_login(partner)
    clients["organizer"].force_login(organizer)
    print(f"{'who':<10} {'path':<48} {'median ms':>10} {'queries':>8}")
    for who, client in clients.items():
        for path in paths:
            if who == "visitor" and path == "/partners/":
                continue
            ms, queries = measure(client, path)
            print(f"{who:<10} {path:<48} {ms:>10.1f} {queries:>8}")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(TMP, ignore_errors=True)
