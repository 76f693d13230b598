"""An independent check of a schedule against every hard constraint of CONTRACT.md.

It shares nothing with the solver but the input dataclasses and recomputes the fit from
the needs and skills itself, so a bug in the solver cannot hide behind the same bug here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .solver import SERVED_BONUS, Meeting, Problem


def violations(problem: Problem, meetings: Iterable[Meeting]) -> list[str]:
    """Every broken hard constraint, in words; an empty list means the schedule is valid."""
    meetings = list(meetings)
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    max_m = (
        problem.rounds
        if problem.max_meetings_per_organization is None
        else problem.max_meetings_per_organization
    )
    org_max = {
        o.id: max_m if o.max_meetings is None else min(max_m, o.max_meetings)
        for o in problem.organizations
    }
    balance = getattr(problem, "max_meetings_per_expert", None)
    expert_max = {
        e.id: min(x for x in (e.max_meetings, balance) if x is not None)
        for e in problem.experts
        if e.max_meetings is not None or balance is not None
    }
    found: list[str] = []
    org_round: Counter = Counter()
    expert_round: Counter = Counter()
    table_round: Counter = Counter()
    per_round: Counter = Counter()
    per_pair: Counter = Counter()
    per_org: Counter = Counter()
    per_expert: Counter = Counter()
    forbidden = set(problem.forbidden)
    for m in meetings:
        where = f"{m.organization}–{m.expert} (round {m.round}, table {m.table})"
        org, expert = orgs.get(m.organization), experts.get(m.expert)
        if org is None or expert is None:
            found.append(f"{where}: unknown organisation or expert")
            continue
        if not 1 <= m.round <= problem.rounds:
            found.append(f"{where}: no such round")
        if not 1 <= m.table <= problem.tables:
            found.append(f"{where}: no such table")
        if not set(org.languages) & set(expert.languages):
            found.append(f"{where}: no shared language")
        real_fit = sum(w for skill, w in org.needs.items() if skill in expert.skills and w > 0)
        if real_fit <= 0:
            found.append(f"{where}: no positive fit")
        if m.fit != real_fit:
            found.append(f"{where}: fit {m.fit} reported, {real_fit} real")
        if expert.rounds is not None and m.round not in expert.rounds:
            found.append(f"{where}: the expert is not available in this round")
        if getattr(org, "rounds", None) is not None and m.round not in org.rounds:
            found.append(f"{where}: the organisation is not available in this round")
        if (m.organization, m.expert) in forbidden:
            found.append(f"{where}: a removed pair meets")
        org_round[(m.organization, m.round)] += 1
        expert_round[(m.expert, m.round)] += 1
        table_round[(m.round, m.table)] += 1
        per_round[m.round] += 1
        per_pair[(m.organization, m.expert)] += 1
        per_org[m.organization] += 1
        per_expert[m.expert] += 1
    found += [f"organisation {o} twice in round {r}" for (o, r), n in org_round.items() if n > 1]
    found += [f"expert {e} twice in round {r}" for (e, r), n in expert_round.items() if n > 1]
    found += [f"table {t} twice in round {r}" for (r, t), n in table_round.items() if n > 1]
    found += [
        f"round {r} has {n} meetings for {problem.tables} tables"
        for r, n in per_round.items()
        if n > problem.tables
    ]
    found += [f"pair {o}–{e} meets {n} times" for (o, e), n in per_pair.items() if n > 1]
    found += [
        f"organisation {o} has {n} meetings, more than {org_max[o]}"
        for o, n in per_org.items()
        if n > org_max[o]
    ]
    found += [
        f"expert {e} has {n} meetings, more than {expert_max[e]}"
        for e, n in per_expert.items()
        if e in expert_max and n > expert_max[e]
    ]
    placed = {(m.organization, m.expert, m.round) for m in meetings}
    for pin in problem.pinned:
        if (pin.organization, pin.expert, pin.round) not in placed:
            found.append(f"pinned meeting {pin.organization}–{pin.expert} is missing")
        elif pin.table is not None and not any(
            (m.organization, m.expert, m.round, m.table)
            == (pin.organization, pin.expert, pin.round, pin.table)
            for m in meetings
        ):
            found.append(f"pinned meeting {pin.organization}–{pin.expert} moved table")
    return found


def objective(meetings: Sequence[Meeting]) -> int:
    """The contract's objective, recomputed: total fit + bonus per organisation served."""
    return sum(m.fit for m in meetings) + SERVED_BONUS * len({m.organization for m in meetings})
