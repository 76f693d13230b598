"""Render time and peak memory of the reports for a large event and a long project.

    .venv/bin/python bench/reports.py [--runs 3]

Builds, in a throwaway SQLite file, an event with 300 organisations, 80 experts,
600 board guests, 8 themes, 2,000 ideas, 20,000 votes, 200 help requests, 120
consultations (3 rounds × 40 tables) and 20 projects (bulk_create),
and a project with 4 indicators measured monthly for 5 years; then prints the time of
each render (best and median of ``--runs``) and the peak Python memory of one render
(tracemalloc, measured on a separate run because tracing slows Python down).
Target (issue 7): the event report in ≤ 3 s.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="bench-reports-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

N_ORGS, N_EXPERTS, N_GUESTS, N_THEMES = 300, 80, 600, 8
N_IDEAS, N_VOTES, N_REQUESTS = 2000, 20000, 200
YEARS, N_INDICATORS = 5, 4


def build_event():
    from ateliers.models import (
        Event,
        ExpertProfile,
        HelpRequest,
        Idea,
        Organization,
        Participant,
        Registration,
        Skill,
        Theme,
        User,
        Vote,
    )

    rng = random.Random(7)
    start = timezone.now() - timedelta(days=1)
    event = Event.objects.create(
        title_fr="Grande journée de l'innovation sociale",
        title_en="Big social innovation day",
        starts_at=start,
        ends_at=start + timedelta(hours=8),
        languages=["fr", "en"],
        status="published",
        venue="Montréal",
        join_code="BENCH2",
    )
    themes = Theme.objects.bulk_create(
        Theme(event=event, name_fr=f"Thème {i} : mobilité", name_en=f"Theme {i}", position=i)
        for i in range(N_THEMES)
    )
    skills = Skill.objects.bulk_create(
        Skill(slug=f"skill-{i}", name_fr=f"Compétence {i}", name_en=f"Skill {i}") for i in range(25)
    )
    users = User.objects.bulk_create(
        User(username=f"u{i}", display_name=f"Personne {i}", password="!")
        for i in range(N_ORGS + N_EXPERTS)
    )
    orgs = Organization.objects.bulk_create(
        Organization(name=f"Organisme communautaire n° {i}", languages=["fr"])
        for i in range(N_ORGS)
    )
    experts = users[N_ORGS:]
    ExpertProfile.objects.bulk_create(ExpertProfile(user=u, languages=["fr"]) for u in experts)
    Registration.objects.bulk_create(
        [
            Registration(event=event, role="organization", organization=o, user=u)
            for o, u in zip(orgs, users, strict=False)
        ]
        + [Registration(event=event, role="expert", user=u) for u in experts]
    )
    guests = Participant.objects.bulk_create(
        Participant(event=event, display_name=f"Invité {i}") for i in range(N_GUESTS)
    )
    pairs = set()
    while len(pairs) < N_VOTES:
        pairs.add((rng.randrange(N_GUESTS), rng.randrange(N_IDEAS)))
    counts = [0] * N_IDEAS
    for _g, i in pairs:
        counts[i] += 1
    ideas = Idea.objects.bulk_create(
        Idea(
            event=event,
            theme=themes[i % N_THEMES] if i % 10 else None,
            author=guests[i % N_GUESTS],
            text=f"Idée n° {i} : des ateliers d'écriture pour réparer les vélos du quartier",
            votes=counts[i],
            client_id=uuid.uuid4(),
        )
        for i in range(N_IDEAS)
    )
    Vote.objects.bulk_create(
        (Vote(participant=guests[g], idea=ideas[i]) for g, i in pairs), batch_size=2000
    )
    requests = HelpRequest.objects.bulk_create(
        HelpRequest(
            organization=orgs[i % N_ORGS],
            event=event,
            title=f"Besoin d'aide n° {i} : site web accessible",
            status=("open", "claimed", "in_progress", "resolved")[i % 4],
            claimed_by=None if i % 4 == 0 else experts[i % N_EXPERTS],
        )
        for i in range(N_REQUESTS)
    )
    through = HelpRequest.skills.through
    through.objects.bulk_create(
        through(helprequest_id=r.pk, skill_id=skills[j % len(skills)].pk)
        for j, r in enumerate(requests)
    )
    from ateliers.models import Meeting, Schedule

    rounds = [
        {
            "starts_at": (start + timedelta(hours=4, minutes=30 * r)).isoformat(),
            "ends_at": (start + timedelta(hours=4, minutes=30 * r + 25)).isoformat(),
        }
        for r in range(3)
    ]
    schedule = Schedule.objects.create(event=event, tables=40, rounds=rounds, status="published")
    Meeting.objects.bulk_create(
        Meeting(
            schedule=schedule,
            organization=orgs[(r - 1) * 40 + t - 1],
            expert=experts[(t - 1 + 7 * r) % N_EXPERTS],
            round=r,
            table=t,
            fit=3,
            skills=[skills[t % len(skills)].slug],
        )
        for r in range(1, 4)
        for t in range(1, 41)
    )
    from projets.models import Project

    Project.objects.bulk_create(
        Project(title_fr=f"Projet issu de l'atelier n° {i}", event=event, visibility="public")
        for i in range(20)
    )
    return event


def build_project():
    from projets.models import Indicator, IndicatorValue, Project, ProjectUpdate

    project = Project.objects.create(
        title_fr="Réseau d'entraide numérique",
        summary_fr="Cinq ans de mesures.",
        visibility="public",
    )
    today = date.today()
    for k in range(N_INDICATORS):
        indicator = Indicator.objects.create(
            project=project,
            name=f"Indicateur {k}",
            unit="personnes",
            target=Decimal(1000),
            baseline=Decimal(0),
            position=k,
        )
        values = [
            IndicatorValue(
                indicator=indicator,
                value=Decimal(m * 15 + k),
                measured_on=today - timedelta(days=30 * (YEARS * 12 - m)),
            )
            for m in range(YEARS * 12)
        ]
        IndicatorValue.objects.bulk_create(values)
        Indicator.objects.filter(pk=indicator.pk).update(current=values[-1].value)
    ProjectUpdate.objects.bulk_create(
        ProjectUpdate(project=project, text=f"Mise à jour {i}") for i in range(30)
    )
    return project


def measure(label: str, render, runs: int) -> None:
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        size = len(render())
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    render()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{label}: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"over {runs} runs; {size / 1024:.0f} KiB; peak Python memory {peak / 2**20:.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    event = build_event()
    project = build_project()
    print(f"built the data in {time.perf_counter() - t0:.1f} s")
    from ateliers.reports.badges import badges_pdf
    from ateliers.reports.event import event_report
    from projets.reports import project_report

    for lang in ("fr", "en"):
        measure(
            f"event report ({lang}) 300 orgs/80 experts/2,000 ideas/20,000 votes",
            lambda lang=lang: event_report(event, lang=lang),
            args.runs,
        )
    measure(
        "project report, 4 indicators × 60 monthly values",
        lambda: project_report(project, lang="fr", reader=None),
        args.runs,
    )
    measure(
        "name badges, 380 people",
        lambda: badges_pdf(event, lang="fr", join_url="https://example.org/join/?code=BENCH2"),
        1,
    )
    out = io.BytesIO(event_report(event, lang="fr"))
    from pypdf import PdfReader

    print(f"event report pages: {len(PdfReader(out).pages)}")


if __name__ == "__main__":
    try:
        main()
    finally:
        import shutil

        shutil.rmtree(TMP, ignore_errors=True)
