"""Reads used in more than one place (API, pages, feeds), scoped to the caller."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .choices import EventStatus
from .models import Event, ExpertProfile, Organization, Registration, Skill
from .permissions import is_organizer


def events_visible_to(user) -> QuerySet[Event]:
    qs = Event.objects.all()
    if not is_organizer(user):
        qs = qs.exclude(status=EventStatus.DRAFT)
    return qs


def events_moderated_by(user) -> QuerySet[Event]:
    """The events an account was appointed to moderate (organizers moderate them all:
    ask ``can_moderate_event`` for one event; this is for querysets)."""
    from .choices import ModeratorRole
    from .permissions import is_account

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


def organizations_list() -> QuerySet[Organization]:
    return Organization.objects.all()


def experts_list() -> QuerySet[ExpertProfile]:
    return ExpertProfile.objects.select_related("user", "organization").prefetch_related("skills")


def skills_list() -> QuerySet[Skill]:
    return Skill.objects.all()


def registrations_visible_to(user, event: Event) -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).select_related("user", "organization")
    if is_organizer(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(user=user) | Q(organization__memberships__user=user)).distinct()


def help_requests_visible_to(user) -> QuerySet:
    """Help requests an account may read: all of them (organisations publish them to get
    help); guests and anonymous callers none. Contact details and threads are narrower
    (see ``can_see_help_contacts``)."""
    from .models import HelpRequest
    from .permissions import is_account

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
    from .models import Notification

    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
