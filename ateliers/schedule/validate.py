"""An independent check of a schedule against every hard constraint of CONTRACT.md.

It shares nothing with the solver but the input dataclasses and recomputes the fit from
the needs and skills itself, so a bug in the solver cannot hide behind the same bug here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from .solver import PRIORITY_WEIGHT, SERVED_BONUS, Meeting, Problem


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
        ids = (m.expert, *getattr(m, "co_experts", ()))
        where = f"{m.organization}–{'+'.join(map(str, ids))} (round {m.round}, table {m.table})"
        org, group = orgs.get(m.organization), [experts.get(x) for x in ids]
        if org is None or any(x is None for x in group):
            found.append(f"{where}: unknown organisation or expert")
            continue
        if not 1 <= m.round <= problem.rounds:
            found.append(f"{where}: no such round")
        if not 1 <= m.table <= problem.tables:
            found.append(f"{where}: no such table")
        # Multi-party meetings (CONTRACT.md's rules, docs/schedule.md): at most the
        # organisation's experts_per_meeting, one language shared by everyone at the table,
        # and each expert covers a positive need that none of the others covers.
        if len(ids) > getattr(org, "experts_per_meeting", 1):
            found.append(f"{where}: more experts than the organisation's meetings seat")
        if len(set(ids)) != len(ids):
            found.append(f"{where}: an expert twice at the table")
        common = set(org.languages)
        for expert in group:
            common &= set(expert.languages)
        if not common:
            found.append(f"{where}: no shared language")
        skills: set[str] = set()
        for i, expert in enumerate(group):
            skills |= set(expert.skills)
            others = {s for j, x in enumerate(group) if j != i for s in x.skills}
            if not any(
                w > 0 and s in expert.skills and s not in others for s, w in org.needs.items()
            ):
                found.append(f"{where}: expert {expert.id} covers no need of their own")
        real_fit = sum(w for skill, w in org.needs.items() if skill in skills and w > 0)
        if real_fit <= 0:
            found.append(f"{where}: no positive fit")
        if m.fit != real_fit:
            found.append(f"{where}: fit {m.fit} reported, {real_fit} real")
        for expert in group:
            if expert.rounds is not None and m.round not in expert.rounds:
                found.append(f"{where}: expert {expert.id} is not available in this round")
            if (m.organization, expert.id) in forbidden:
                found.append(f"{where}: a removed pair meets")
            expert_round[(expert.id, m.round)] += 1
            per_pair[(m.organization, expert.id)] += 1
            per_expert[expert.id] += 1
        if getattr(org, "rounds", None) is not None and m.round not in org.rounds:
            found.append(f"{where}: the organisation is not available in this round")
        org_round[(m.organization, m.round)] += 1
        table_round[(m.round, m.table)] += 1
        per_round[m.round] += 1
        per_org[m.organization] += 1
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
    groups = {
        (m.organization, m.expert, m.round): set(getattr(m, "co_experts", ())) for m in meetings
    }
    for pin in problem.pinned:
        if (pin.organization, pin.expert, pin.round) not in placed:
            found.append(f"pinned meeting {pin.organization}–{pin.expert} is missing")
        elif groups[(pin.organization, pin.expert, pin.round)] != set(pin.co_experts):
            found.append(f"pinned meeting {pin.organization}–{pin.expert} changed experts")
        elif pin.table is not None and not any(
            (m.organization, m.expert, m.round, m.table)
            == (pin.organization, pin.expert, pin.round, pin.table)
            for m in meetings
        ):
            found.append(f"pinned meeting {pin.organization}–{pin.expert} moved table")
    return found


def objective(meetings: Sequence[Meeting], problem: Problem | None = None) -> int:
    """The contract's objective, recomputed: total fit + bonus per organisation served
    (+ ``PRIORITY_WEIGHT`` per meeting and level of its organisation's priority)."""
    level = {o.id: getattr(o, "priority", 0) for o in problem.organizations} if problem else {}
    return (
        sum(m.fit for m in meetings)
        + SERVED_BONUS * len({m.organization for m in meetings})
        + sum(PRIORITY_WEIGHT * level.get(m.organization, 0) for m in meetings)
    )
