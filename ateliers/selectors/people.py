"""Reads of organisations, experts, skills and registrations, scoped to the caller."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import Event, ExpertProfile, Organization, Registration, Skill
from ..permissions import is_organizer


def organizations_list() -> QuerySet[Organization]:
    return Organization.objects.all()


def experts_list() -> QuerySet[ExpertProfile]:
    return ExpertProfile.objects.select_related("user", "organization").prefetch_related("skills")


def skills_list() -> QuerySet[Skill]:
    return Skill.objects.all()


def skill_names() -> dict[str, str]:
    """``{slug: name}`` of every skill, in the active language, in one query."""
    return {s.slug: s.name for s in Skill.objects.all()}


def registrations_visible_to(user, event: Event) -> QuerySet[Registration]:
    qs = Registration.objects.filter(event=event).select_related("user", "organization")
    if is_organizer(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(user=user) | Q(organization__memberships__user=user)).distinct()
