"""Who fits which need: ONE scoring rule shared by help-request suggestions and the schedule.

The core is :func:`fit` (CONTRACT.md, "Consultation schedule"): an organisation's *needs*
map skill slugs to weights (a request's urgency: high 3, normal 2, low 1; the highest when
two open requests need the same skill); an expert *fits* a set of needs by the sum of the
weights of the needs their skills cover.

:func:`score_expert_for_request` builds on it for help requests and explains itself:

* a shared language is a HARD filter (``None`` when the expert does not speak the
  request's language: never suggested);
* skills covered, weighted: ``COVER_POINTS × fit`` — the main term;
* registered for the request's event: ``+REGISTERED_POINTS``;
* available during the event (registered with no windows, or a window that overlaps the
  event): ``+AVAILABLE_POINTS``;
* current load: ``−LOAD_PENALTY`` for every request the expert holds (claimed or in
  progress), so that work spreads.

The functions here are pure (plain data in, plain data out) except the ``*_for_*``
helpers at the bottom, which read the database in a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .choices import HelpStatus, Language, Urgency

URGENCY_WEIGHTS: dict[str, int] = {Urgency.HIGH: 3, Urgency.NORMAL: 2, Urgency.LOW: 1}
COVER_POINTS = 10
REGISTERED_POINTS = 5
AVAILABLE_POINTS = 2
LOAD_PENALTY = 3
HELD_STATUSES = (HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS)


def urgency_weight(urgency: str) -> int:
    """The weight of a need of this urgency (unknown values count as normal)."""
    return URGENCY_WEIGHTS.get(urgency, URGENCY_WEIGHTS[Urgency.NORMAL])


def fit(needs: Mapping[str, int], expert_skills: Iterable[str]) -> int:
    """The sum of the weights of the ``needs`` (slug → weight) that ``expert_skills`` cover.

    >>> fit({"crm": 3, "wordpress": 1}, {"crm", "databases"})
    3
    """
    skills = set(expert_skills)
    return sum(weight for slug, weight in needs.items() if slug in skills)


def covered(needs: Mapping[str, int], expert_skills: Iterable[str]) -> list[str]:
    """The slugs of ``needs`` the expert covers, heaviest first, then by slug."""
    skills = set(expert_skills)
    return sorted((s for s in needs if s in skills), key=lambda s: (-needs[s], s))


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def language_name(code: str) -> str:
    try:
        return str(Language(code).label)
    except ValueError:
        return code


@dataclass(frozen=True)
class Match:
    """A score and why: ``reasons`` are short sentences in the active language."""

    score: int
    fit: int
    covered: list[str]
    reasons: list[str] = field(default_factory=list)


def window_overlaps(windows: list, starts_at: datetime | None, ends_at: datetime | None) -> bool:
    """True when there are no windows (available all along) or one overlaps the period."""
    if not windows:
        return True
    if starts_at is None or ends_at is None:
        return True
    for window in windows:
        try:
            start = parse_datetime(str(window.get("starts_at")))
            end = parse_datetime(str(window.get("ends_at")))
        except (AttributeError, ValueError, TypeError):
            continue
        if start and end and start < ends_at and end > starts_at:
            return True
    return False


def score_expert_for_request(
    *,
    skills: Iterable[str],
    urgency: str,
    language: str,
    expert_skills: Iterable[str],
    expert_languages: Iterable[str],
    open_claims: int = 0,
    registered: bool = False,
    available: bool | None = None,
    skill_names: Mapping[str, str] | None = None,
) -> Match | None:
    """Score one expert for one request, with reasons; ``None`` when they share no language.

    ``skills``/``urgency``/``language`` describe the request; ``registered`` says the expert
    is registered for the request's event, ``available`` whether their windows there
    overlap the event (``None``: no event, unknown). An expert who covers none of the
    needed skills still gets a (low) score: callers decide whether to show them.
    """
    if language not in set(expert_languages):
        return None
    weight = urgency_weight(urgency)
    needs = dict.fromkeys(skills, weight)
    names = skill_names or {}
    total_fit = fit(needs, expert_skills)
    cover = covered(needs, expert_skills)
    score = COVER_POINTS * total_fit
    reasons = [_("speaks %(language)s") % {"language": language_name(language)}]
    if cover:
        reasons.append(_("covers %(skills)s") % {"skills": _join([names.get(s, s) for s in cover])})
    if registered:
        score += REGISTERED_POINTS
        reasons.append(_("registered for the event"))
        if available:
            score += AVAILABLE_POINTS
            reasons.append(_("available during the event"))
    score -= LOAD_PENALTY * open_claims
    reasons.append(
        ngettext("%(count)d open claim", "%(count)d open claims", open_claims)
        % {"count": open_claims}
    )
    return Match(score=score, fit=total_fit, covered=cover, reasons=reasons)


# --- database helpers (constant query counts) -------------------------------------------


def organization_needs(event) -> dict[int, dict[str, int]]:
    """``{organization id: {skill slug: weight}}`` from the OPEN help requests of ``event``.

    One query. Each skill is weighted by its request's urgency, the highest when two open
    requests of the same organisation need the same skill (CONTRACT.md).
    """
    from .models import HelpRequest

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


def _skill_names() -> dict[str, str]:
    from .models import Skill

    return {s.slug: s.name for s in Skill.objects.all()}


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

    from .choices import RegistrationRole
    from .fields import has_language
    from .models import ExpertProfile, HelpRequest, Registration

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

    from .choices import RegistrationRole
    from .models import HelpRequest, Registration

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
    names = _skill_names()
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
