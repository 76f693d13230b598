"""Seeded generator of realistic consultation events, for tests and ``bench/schedule.py``
(a test helper: the product never generates events).

Shaped on Tech Works days: many small French-speaking groups, some bilingual, a few
English-only; needs drawn from a skewed list of skills (everyone wants a website, few want
a data protection audit), weighted by urgency; experts with a handful of skills, most of
them bilingual, and about a third of them there only in the morning or the afternoon.
"""

from __future__ import annotations

import random

from ateliers.schedule.solver import Expert, Org, Problem


def expert(i, skills, langs=("fr",), rounds=None, max_meetings=None) -> Expert:
    """One expert written by hand, for the tests' small events."""
    return Expert(
        id=i,
        languages=frozenset(langs),
        skills=frozenset(skills),
        rounds=None if rounds is None else frozenset(rounds),
        max_meetings=max_meetings,
    )


SKILLS = [
    "website",
    "social-media",
    "wordpress",
    "accounting",
    "fundraising",
    "privacy",
    "cybersecurity",
    "office-suite",
    "cloud",
    "accessibility",
    "data",
    "crm",
    "design",
    "video",
    "newsletter",
    "hardware",
    "networking",
    "e-commerce",
    "translation",
    "legal",
    "seo",
    "ai-tools",
    "mapping",
    "open-source",
]
URGENCY_WEIGHTS = (1, 2, 3)


def _languages(rng: random.Random, table) -> frozenset[str]:
    x = rng.random()
    for threshold, langs in table:
        if x < threshold:
            return frozenset(langs)
    return frozenset(table[-1][1])


ORG_LANGUAGES = ((0.6, ("fr",)), (0.85, ("fr", "en")), (1.0, ("en",)))
EXPERT_LANGUAGES = ((0.35, ("fr",)), (0.85, ("fr", "en")), (1.0, ("en",)))


def generate(
    organizations: int,
    experts: int,
    rounds: int,
    tables: int,
    *,
    seed: int = 0,
    max_meetings_per_organization: int | None = None,
    partial_availability: float = 0.3,
    wishes: bool = False,
    multi_party: float = 0.0,
    priority: float = 0.0,
) -> Problem:
    """A seeded event; ``wishes``: each organisation asks for 1 to 3 meetings (its
    registration's ``max_meetings``) and a fifth of the experts give at most half the day;
    ``multi_party``: that share of the organisations take 2 or 3 experts a meeting;
    ``priority``: that share of the organisations have a priority of 1 to 3 (drawn from a
    generator of their own, so the rest of the event is the same with or without them)."""
    rng = random.Random(f"{organizations}-{experts}-{rounds}-{tables}-{seed}")
    extra = random.Random(f"{organizations}-{experts}-{rounds}-{tables}-{seed}-extra")
    popularity = [1.0 / (i + 1) ** 0.8 for i in range(len(SKILLS))]
    orgs = []
    for i in range(organizations):
        n = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
        needs: dict[str, int] = {}
        for skill in rng.choices(SKILLS, weights=popularity, k=n):
            needs[skill] = max(needs.get(skill, 0), rng.choice(URGENCY_WEIGHTS))
        langs = _languages(rng, ORG_LANGUAGES)
        wish = rng.choice((1, 1, 2, 2, 2, 3)) if wishes else None
        group = extra.choice((2, 2, 3)) if extra.random() < multi_party else 1
        level = extra.choice((1, 1, 2, 3)) if extra.random() < priority else 0
        orgs.append(
            Org(
                id=i + 1,
                languages=langs,
                needs=needs,
                max_meetings=wish,
                priority=level,
                experts_per_meeting=group,
            )
        )
    exps = []
    half = max(1, rounds // 2)
    for j in range(experts):
        skills = frozenset(rng.choices(SKILLS, weights=popularity, k=rng.randint(2, 6)))
        avail = None
        if rng.random() < partial_availability and rounds > 1:
            kind = rng.random()
            if kind < 0.4:
                avail = frozenset(range(1, half + 1))
            elif kind < 0.8:
                avail = frozenset(range(half + 1, rounds + 1))
            else:
                start = rng.randint(1, rounds)
                avail = frozenset(range(start, min(rounds, start + rng.randint(1, 3)) + 1))
        langs = _languages(rng, EXPERT_LANGUAGES)
        limit = None
        if wishes and rng.random() < 0.2:
            limit = max(1, rounds // 2)
        exps.append(
            Expert(id=1000 + j, languages=langs, skills=skills, rounds=avail, max_meetings=limit)
        )
    return Problem(
        organizations=orgs,
        experts=exps,
        rounds=rounds,
        tables=tables,
        max_meetings_per_organization=max_meetings_per_organization,
    )
