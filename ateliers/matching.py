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

The functions here are pure (plain data in, plain data out); the reads that apply them to
the database (``organization_needs``, ``suggest_experts``, ``suggest_requests``) are in
``selectors/matching.py``.
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
