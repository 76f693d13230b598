"""Participation and engagement figures of one event (organizers): the analytics page,
``GET /api/events/{id}/stats/`` and the figures the event report prints.

Everything is aggregated in the database (a dozen queries whatever the event's size);
time series are bucketed by hour for events of up to two days, by day otherwise, in the
site's time zone, and capped.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncHour
from django.utils import timezone

from ..choices import HelpStatus, IdeaStatus, RegistrationRole, ScheduleStatus
from ..models import Event, HelpRequest, Idea, Meeting, Participant, Registration, Vote
from ..models.help import CLAIMED_STATUSES

MAX_BUCKETS = 400


def granularity(event: Event) -> str:
    return "hour" if event.ends_at - event.starts_at <= timedelta(days=2) else "day"


def _series(qs, field: str, trunc) -> dict:
    return dict(
        qs.order_by()
        .annotate(bucket=trunc(field))
        .values_list("bucket")
        .annotate(n=Count("pk"))
        .values_list("bucket", "n")
    )


def participation(event: Event) -> list[dict]:
    """Guests joining, ideas posted and votes cast per hour (or day), in time order."""
    trunc = TruncHour if granularity(event) == "hour" else TruncDay
    joined = _series(Participant.objects.filter(event=event), "created_at", trunc)
    ideas = _series(Idea.objects.filter(event=event), "created_at", trunc)
    votes = _series(Vote.objects.filter(idea__event=event), "created_at", trunc)
    buckets = sorted(set(joined) | set(ideas) | set(votes))[:MAX_BUCKETS]
    return [
        {
            "at": bucket,
            "joined": joined.get(bucket, 0),
            "ideas": ideas.get(bucket, 0),
            "votes": votes.get(bucket, 0),
        }
        for bucket in buckets
    ]


def themes(event: Event) -> list[dict]:
    """Visible ideas and their votes per theme (and the ideas without a theme)."""
    rows = {
        theme_id: (n, votes or 0)
        for theme_id, n, votes in Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE)
        .order_by()
        .values_list("theme_id")
        .annotate(n=Count("pk"), v=Sum("votes"))
        .values_list("theme_id", "n", "v")
    }
    out = [
        {
            "id": theme.pk,
            "name_fr": theme.name_fr,
            "name_en": theme.name_en,
            "ideas": rows.get(theme.pk, (0, 0))[0],
            "votes": rows.get(theme.pk, (0, 0))[1],
        }
        for theme in event.themes.order_by("position", "id")
    ]
    if None in rows:
        out.append(
            {
                "id": None,
                "name_fr": "",
                "name_en": "",
                "ideas": rows[None][0],
                "votes": rows[None][1],
            }
        )
    return out


def help_desk(event: Event) -> dict:
    qs = HelpRequest.objects.filter(event=event)
    counts = qs.aggregate(
        requests=Count("pk"),
        open=Count("pk", filter=Q(status=HelpStatus.OPEN)),
        claimed=Count("pk", filter=Q(status__in=CLAIMED_STATUSES)),
        resolved=Count("pk", filter=Q(status=HelpStatus.RESOLVED)),
        experts=Count("claimed_by", distinct=True),
    )
    waits = [
        (claimed - created).total_seconds()
        for created, claimed in qs.filter(claimed_at__isnull=False).values_list(
            "created_at", "claimed_at"
        )[:10000]
    ]
    counts["median_wait_seconds"] = round(statistics.median(waits)) if waits else None
    return counts


def _round_started(schedule, number: int, now) -> bool:
    try:
        start = schedule.rounds[number - 1]["starts_at"]
    except (IndexError, KeyError, TypeError):
        return False
    from django.utils.dateparse import parse_datetime

    when = parse_datetime(str(start))
    return when is not None and when <= now


def held_meetings(event: Event):
    """Meetings that took place: of the published schedule, in rounds already started (a
    plan is not a consultation held)."""
    schedule = getattr(event, "schedule", None)
    qs = Meeting.objects.filter(schedule__event=event, schedule__status=ScheduleStatus.PUBLISHED)
    if schedule is None:
        return qs.none()
    now = timezone.now()
    started = [
        n for n in range(1, len(schedule.rounds or []) + 1) if _round_started(schedule, n, now)
    ]
    return qs.filter(round__in=started)


def consultations(event: Event) -> dict:
    planned = Meeting.objects.filter(
        schedule__event=event, schedule__status=ScheduleStatus.PUBLISHED
    ).count()
    held = held_meetings(event)
    figures = held.aggregate(held=Count("pk"), organizations=Count("organization", distinct=True))
    # every expert at the table: the lead and those of a multi-party meeting
    leads = held.values_list("expert_id", flat=True)
    others = held.filter(co_experts__isnull=False).values_list("co_experts", flat=True)
    figures["experts"] = len(set(leads) | set(others))
    by_round = list(
        held.order_by("round")
        .values("round")
        .annotate(meetings=Count("pk"))
        .values("round", "meetings")
    )
    return {"planned": planned, **figures, "by_round": by_round}


# Figures the apps above ``ateliers`` add, from their ``AppConfig.ready()`` (``projets``:
# "projects", the number of projects born at the event).
EXTRA_FIGURES: dict[str, Callable[[Event], object]] = {}


def event_stats(event: Event) -> dict:
    """Every figure of the analytics page and the API, as plain data."""
    regs = Registration.objects.filter(event=event).aggregate(
        organizations=Count("pk", filter=Q(role=RegistrationRole.ORGANIZATION)),
        experts=Count("pk", filter=Q(role=RegistrationRole.EXPERT)),
        participants=Count("pk", filter=Q(role=RegistrationRole.PARTICIPANT)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    board = {
        "participants": Participant.objects.filter(event=event).count(),
        "ideas": Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE).count(),
        "votes": Vote.objects.filter(idea__event=event).count(),
    }
    return {
        "event": event.pk,
        "generated_at": timezone.now(),
        "granularity": granularity(event),
        "registrations": regs,
        "board": board,
        "participation": participation(event),
        "themes": themes(event),
        "help_desk": help_desk(event),
        "consultations": consultations(event),
        **{key: figure(event) for key, figure in EXTRA_FIGURES.items()},
    }
