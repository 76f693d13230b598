"""Reads of help requests: what a caller may see, a request's history and thread, and the
figures of an event's help desk (issue 19), read by the API and the organizer's page.

``help_stats`` takes four queries whatever the number of requests: the counts by status,
the first claim of each request (from its history), the claims and resolutions per expert,
the ratings.
"""

from __future__ import annotations

from statistics import median

from django.db.models import Avg, Count, Min, Q, QuerySet

from ..choices import HelpStatus
from ..models import (
    Event,
    HelpRequest,
    HelpRequestRating,
    HelpRequestTransition,
    Notification,
    User,
)
from ..permissions import is_account


def help_stats(event: Event) -> dict:
    """``{open, claimed, resolved, median_wait_seconds, experts: [{expert, name, claimed,
    resolved, rating, ratings}]}``: ``claimed`` counts requests held now (claimed or in
    progress); the wait is from a request's creation to its first claim."""
    requests = HelpRequest.objects.filter(event=event)
    counts = requests.aggregate(
        open=Count("pk", filter=Q(status=HelpStatus.OPEN)),
        claimed=Count("pk", filter=Q(status__in=[HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS])),
        resolved=Count("pk", filter=Q(status=HelpStatus.RESOLVED)),
    )
    first_claims = (
        HelpRequestTransition.objects.filter(request__event=event, to_status=HelpStatus.CLAIMED)
        .values("request_id", "request__created_at")
        .annotate(first=Min("created_at"))
    )
    waits = [(row["first"] - row["request__created_at"]).total_seconds() for row in first_claims]
    per_expert = (
        requests.filter(claimed_by__isnull=False)
        .values("claimed_by")
        .annotate(
            held=Count("pk", filter=Q(status__in=[HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS])),
            done=Count("pk", filter=Q(status=HelpStatus.RESOLVED)),
        )
        .order_by("claimed_by")
    )
    ratings = {
        row["expert"]: (row["avg"], row["n"])
        for row in HelpRequestRating.objects.filter(request__event=event, expert__isnull=False)
        .values("expert")
        .annotate(avg=Avg("score"), n=Count("pk"))
    }
    rows = list(per_expert)
    names = {
        u.pk: u.public_name
        for u in User.objects.filter(pk__in=[r["claimed_by"] for r in rows]).only(
            "id", "username", "display_name"
        )
    }
    experts = [
        {
            "expert": r["claimed_by"],
            "name": names.get(r["claimed_by"], ""),
            "claimed": r["held"],
            "resolved": r["done"],
            "rating": round(ratings[r["claimed_by"]][0], 2) if r["claimed_by"] in ratings else None,
            "ratings": ratings.get(r["claimed_by"], (None, 0))[1],
        }
        for r in rows
    ]
    return {
        **counts,
        "median_wait_seconds": round(median(waits), 1) if waits else None,
        "experts": experts,
    }


def help_requests_visible_to(user) -> QuerySet:
    """Help requests an account may read: all of them (organisations publish them to get
    help); guests and anonymous callers none. Contact details and threads are narrower
    (see ``can_see_help_contacts``)."""
    if not is_account(user):
        return HelpRequest.objects.none()
    return HelpRequest.objects.select_related(
        "organization", "event", "claimed_by", "created_by"
    ).prefetch_related("skills")


def help_request_history(help_request) -> QuerySet:
    return help_request.transitions.select_related("actor").order_by("created_at", "id")


def help_request_thread(help_request) -> QuerySet:
    return help_request.messages.select_related("author").order_by("created_at", "id")


def notifications_for(user) -> QuerySet:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
