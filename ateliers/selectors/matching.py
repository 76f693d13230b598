"""Who fits which need, read from the database: the rule of ``ateliers.matching`` applied
to an event's open requests (the schedule's needs) and to the experts (help-request
suggestions), each in a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..choices import HelpStatus
from ..matching import (
    HELD_STATUSES,
    Match,
    score_expert_for_request,
    urgency_weight,
    window_overlaps,
)
from .people import skill_names


def organization_needs(event) -> dict[int, dict[str, int]]:
    """``{organization id: {skill slug: weight}}`` from the OPEN help requests of ``event``.

    One query. Each skill is weighted by its request's urgency, the highest when two open
    requests of the same organisation need the same skill (CONTRACT.md).
    """
    from ..models import HelpRequest

    through = HelpRequest.skills.through
    rows = through.objects.filter(
        helprequest__event=event, helprequest__status=HelpStatus.OPEN
    ).values_list("helprequest__organization_id", "skill__slug", "helprequest__urgency")
    needs: dict[int, dict[str, int]] = {}
    for org_id, slug, urgency in rows:
        org_needs = needs.setdefault(org_id, {})
        org_needs[slug] = max(org_needs.get(slug, 0), urgency_weight(urgency))
    return needs


@dataclass
class ExpertSuggestion:
    expert: object  # ExpertProfile, annotated with ``load``
    match: Match
    registered: bool = False
    available: bool | None = None


@dataclass
class RequestSuggestion:
    request: object  # HelpRequest
    match: Match


def suggest_experts(
    help_request,
    *,
    limit: int | None = 20,
    exclude_user_ids: Iterable[int] = (),
    min_fit: int = 0,
) -> list[ExpertSuggestion]:
    """Experts ranked for ``help_request``: speaking its language and covering a needed
    skill (any expert with the language when the request names no skill).

    A constant number of queries whatever the number of experts, and model instances only
    for the ``limit`` experts returned: the candidates' ids and languages (one query),
    which needed skills each covers (one), current loads (one), registrations for the
    event (one), then the returned profiles with their skills (two).
    """
    from django.db.models import Count, Exists, OuterRef

    from ..choices import RegistrationRole
    from ..fields import has_language
    from ..models import ExpertProfile, HelpRequest, Registration

    skills = list(help_request.skills.all())
    needed = [s.slug for s in skills]
    names = {s.slug: s.name for s in skills}
    through = ExpertProfile.skills.through
    candidates = ExpertProfile.objects.filter(
        **has_language("languages", help_request.language), user__is_active=True
    ).exclude(user_id__in=list(exclude_user_ids))
    if needed:
        candidates = candidates.filter(
            Exists(through.objects.filter(expertprofile_id=OuterRef("pk"), skill__slug__in=needed))
        )
    rows = list(candidates.values_list("pk", "user_id", "user__username", "languages"))
    covers: dict[int, set[str]] = {}
    if needed:
        for profile_id, slug in through.objects.filter(
            expertprofile_id__in=candidates.values("pk"), skill__slug__in=needed
        ).values_list("expertprofile_id", "skill__slug"):
            covers.setdefault(profile_id, set()).add(slug)
    loads = dict(
        HelpRequest.objects.filter(status__in=HELD_STATUSES, claimed_by__isnull=False)
        .values_list("claimed_by")
        .annotate(n=Count("id"))
        .values_list("claimed_by", "n")
    )
    event = help_request.event
    windows: dict[int, list] = {}
    if event is not None:
        windows = dict(
            Registration.objects.filter(event=event, role=RegistrationRole.EXPERT).values_list(
                "user_id", "available"
            )
        )
    scored = []
    for profile_id, user_id, username, languages in rows:
        registered = user_id in windows
        available = (
            window_overlaps(windows[user_id] or [], event.starts_at, event.ends_at)
            if registered
            else None
        )
        match = score_expert_for_request(
            skills=needed,
            urgency=help_request.urgency,
            language=help_request.language,
            expert_skills=covers.get(profile_id, ()),
            expert_languages=languages,
            open_claims=loads.get(user_id, 0),
            registered=registered,
            available=available,
            skill_names=names,
        )
        if match is not None and match.fit >= min_fit:
            scored.append((match, registered, available, username, profile_id, user_id))
    scored.sort(key=lambda row: (-row[0].score, row[3], row[4]))
    if limit:
        scored = scored[:limit]
    profiles = ExpertProfile.objects.select_related("user").prefetch_related("skills")
    by_id = {p.pk: p for p in profiles.filter(pk__in=[row[4] for row in scored])}
    suggestions = []
    for match, registered, available, _username, profile_id, user_id in scored:
        profile = by_id[profile_id]
        profile.load = loads.get(user_id, 0)
        suggestions.append(
            ExpertSuggestion(
                expert=profile, match=match, registered=registered, available=available
            )
        )
    return suggestions


def suggest_requests(profile, *, queryset=None, limit: int | None = 20) -> list[RequestSuggestion]:
    """Open requests ranked for an expert ``profile``: in a language they speak, covering a
    skill they have. ``queryset`` narrows the candidates (e.g. what the caller may see)."""
    from django.db.models import Count

    from ..choices import RegistrationRole
    from ..models import HelpRequest, Registration

    expert_skills = [s.slug for s in profile.skills.all()]
    languages = list(profile.languages)
    base = queryset if queryset is not None else HelpRequest.objects.all()
    qs = (
        base.filter(status=HelpStatus.OPEN, language__in=languages)
        .filter(skills__slug__in=expert_skills)
        .distinct()
        .select_related("organization", "event")
        .prefetch_related("skills")
    )
    load = HelpRequest.objects.filter(
        claimed_by_id=profile.user_id, status__in=HELD_STATUSES
    ).aggregate(n=Count("id"))["n"]
    registrations = dict(
        Registration.objects.filter(
            user_id=profile.user_id, role=RegistrationRole.EXPERT
        ).values_list("event_id", "available")
    )
    names = skill_names()
    suggestions = []
    for req in qs:
        registered = req.event_id is not None and req.event_id in registrations
        available = (
            window_overlaps(
                registrations[req.event_id] or [], req.event.starts_at, req.event.ends_at
            )
            if registered
            else None
        )
        match = score_expert_for_request(
            skills=[s.slug for s in req.skills.all()],
            urgency=req.urgency,
            language=req.language,
            expert_skills=expert_skills,
            expert_languages=languages,
            open_claims=load,
            registered=registered,
            available=available,
            skill_names=names,
        )
        if match is not None and match.fit > 0:
            suggestions.append(RequestSuggestion(request=req, match=match))
    suggestions.sort(key=lambda s: (-s.match.score, -s.request.pk))
    return suggestions[:limit] if limit else suggestions
