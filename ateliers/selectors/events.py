"""Reads of events, scoped to the caller."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ..choices import EventStatus
from ..models import Event
from ..permissions import is_organizer


def events_visible_to(user) -> QuerySet[Event]:
    qs = Event.objects.all()
    if not is_organizer(user):
        qs = qs.exclude(status=EventStatus.DRAFT)
    return qs


def events_moderated_by(user) -> QuerySet[Event]:
    """The events an account was appointed to moderate (organizers moderate them all:
    ask ``can_moderate_event`` for one event; this is for querysets)."""
    from ..choices import ModeratorRole
    from ..permissions import is_account

    if not is_account(user):
        return Event.objects.none()
    return Event.objects.filter(moderators__user=user, moderators__role=ModeratorRole.MODERATOR)


def event_list(user) -> QuerySet[Event]:
    return (
        events_visible_to(user)
        .annotate(
            theme_count=Count("themes", distinct=True),
            registration_count=Count("registrations", distinct=True),
        )
        .order_by("starts_at", "id")
    )
