"""The consultation schedule as an optimisation problem, free of Django.

CONTRACT.md, "Consultation schedule": rounds × tables of one-to-one meetings between
organisations and experts. Hard constraints: a shared language, nobody twice in a round,
at most ``tables`` meetings a round, no pair twice, experts only in their rounds, at most
``max_meetings_per_organization`` meetings an organisation, only pairs with a positive fit.
Objective: the total fit plus ``SERVED_BONUS`` for every organisation with a meeting.

Method, in three steps:

1. **Relaxation, solved exactly.** Keep the experts' side of the rounds and forget the
   organisations' side: an organisation meets at most ``min(max, rounds it is free)``
   experts, an expert at most one organisation in each of its rounds, each round at most
   its free tables. That problem is a min-cost flow (source → organisation, where the
   bonus is the first unit → expert → (expert, round) → round → sink), so its linear
   programme, solved by HiGHS's simplex, has an integral optimum. Its value is an
   **upper bound** of the real problem, and its pairs are an excellent start.
2. **Rounds as colours.** The chosen pairs are an edge set of a bipartite graph whose
   degrees fit the rounds; König's theorem says it can be coloured with the rounds when
   everyone is free in every round. We colour it greedily (most constrained pair first),
   and repair with Kempe-chain swaps (alternating paths) that respect each person's free
   rounds and each round's tables. When it all fits, the schedule is optimal.
3. **Improvement**, only when step 2 left the bound unmet: a greedy fill by gain (with
   Kempe insertions); then the time-indexed MILP (HiGHS) on a neighbourhood (the flow's
   pairs, the placed ones and each organisation's best alternatives), and on every pair
   when the instance is small enough, whose dual bound then tightens the upper bound.

Everything is deterministic for the same input: orders are fixed by ids, HiGHS runs the
same pivots, and the exact MILP is cut by a node limit, not by the clock.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from .. import matching

SERVED_BONUS = 10
# Each meeting of an organisation of priority p (0–3, its registration's ``priority``)
# counts ``PRIORITY_WEIGHT * p`` more: more than any fit plus the bonus in practice
# (four needs of weight 3 and the bonus make 22), so when seats are short the priority
# organisations' meetings come first.
PRIORITY_WEIGHT = 25
MAX_PRIORITY = 3
MAX_EXPERTS_PER_MEETING = 3
# The whole time-indexed MILP is solved when it has at most this many variables (a few
# seconds on two cores); bigger instances get it on a neighbourhood of the best pairs.
EXACT_MILP_MAX_VARIABLES = 50_000
NEIGHBOURHOOD_MAX_VARIABLES = 30_000
NEIGHBOURHOOD_ALTERNATIVES = 3
EXACT_MILP_NODE_LIMIT = 500
# The LP and the MILP stop this long before the deadline: the greedy fill that follows
# them, the tables and the output need it. It is measured, not guessed: the machine's pace
# is the time the pair table took (a loaded machine is slower everywhere), and on a quiet
# two-core machine the fill takes about 0.4 of it, building the LP and HiGHS's set-up
# about 0.7 (neither is cut by HiGHS's own time limit).
MILP_RESERVE_SECONDS = 0.3
FILL_PER_PAIR_TABLE = 0.6
LP_SETUP_PER_PAIR_TABLE = 1.0
# Loops look at the clock every this many steps.
CLOCK_EVERY = 64
# From this many candidate pairs, a greedy schedule is made before the LP, so a valid
# schedule is at hand whatever the later steps have time for.
SAFETY_GREEDY_PAIRS = 100_000
MILP_MIN_PACES = 2.5


class ProblemError(ValueError):
    """The input cannot describe a schedule; ``errors`` maps a field to messages."""

    def __init__(self, errors: Mapping[str, Sequence[str]]) -> None:
        self.errors = {k: list(v) for k, v in errors.items()}
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


@dataclass(frozen=True)
class Org:
    id: int
    languages: frozenset[str]
    needs: Mapping[str, int]
    rounds: frozenset[int] | None = None
    """Rounds (1-based) the organisation can meet in (its availability); ``None``: all."""
    max_meetings: int | None = None
    """The organisation's own wish (its registration's ``max_meetings``), within the event's
    ``max_meetings_per_organization``; ``None``: the event's cap only."""
    priority: int = 0
    """0–3, set by the organizers: each meeting counts ``PRIORITY_WEIGHT * priority`` more."""
    experts_per_meeting: int = 1
    """1–3, set by the organizers: a meeting of this organisation may seat up to this many
    experts at one table (a multi-party meeting), when each of them covers a need the
    others do not."""


@dataclass(frozen=True)
class Expert:
    id: int
    languages: frozenset[str]
    skills: frozenset[str]
    rounds: frozenset[int] | None = None
    """Rounds (1-based) the expert may meet in; ``None`` means every round."""
    max_meetings: int | None = None
    """The expert's own limit (its registration's ``max_meetings``); ``None``: no limit."""


@dataclass(frozen=True)
class Pin:
    organization: int
    expert: int
    round: int
    table: int | None = None
    co_experts: tuple[int, ...] = ()
    """The other experts of a multi-party meeting (pinned with it)."""


@dataclass
class Problem:
    organizations: Sequence[Org]
    experts: Sequence[Expert]
    rounds: int
    tables: int
    max_meetings_per_organization: int | None = None
    pinned: Sequence[Pin] = ()
    max_meetings_per_expert: int | None = None
    """The organizer's balance of the experts' load: nobody gives more than this."""
    forbidden: Collection[tuple[int, int]] = ()
    """(organization, expert) pairs that must not meet (a meeting an organizer removed)."""

    @property
    def max_meetings(self) -> int:
        if self.max_meetings_per_organization is None:
            return self.rounds
        return self.max_meetings_per_organization

    def org_cap(self, org: Org) -> int:
        """At most this many meetings for ``org``: the event's cap and the org's own wish."""
        if org.max_meetings is None:
            return self.max_meetings
        return min(self.max_meetings, org.max_meetings)

    def expert_cap(self, expert: Expert) -> int:
        cap = self.rounds
        if self.max_meetings_per_expert is not None:
            cap = min(cap, self.max_meetings_per_expert)
        if expert.max_meetings is not None:
            cap = min(cap, expert.max_meetings)
        return cap


@dataclass(frozen=True)
class Meeting:
    organization: int
    expert: int
    round: int
    table: int
    fit: int
    reasons: tuple[str, ...] = ()
    pinned: bool = False
    co_experts: tuple[int, ...] = ()
    """The other experts at the same table (a multi-party meeting); ``expert`` leads (the
    best fit). ``fit`` and ``reasons`` are then the group's: the needs any of them covers."""

    @property
    def experts(self) -> tuple[int, ...]:
        return (self.expert, *self.co_experts)


@dataclass
class Solution:
    meetings: list[Meeting]
    stats: dict = field(default_factory=dict)


def fit(org: Org, expert: Expert) -> tuple[int, tuple[str, ...]]:
    """The shared matching rule: (fit, the skills covered, heaviest first)."""
    return matching.fit(org.needs, expert.skills), tuple(matching.covered(org.needs, expert.skills))


def shares_language(org: Org, expert: Expert) -> bool:
    return bool(org.languages & expert.languages)


def group_fit(org: Org, experts: Sequence[Expert]) -> tuple[int, tuple[str, ...]]:
    """A multi-party meeting's fit: the weights of the needs that ANY of them covers (each
    need counts once), and those skills, heaviest first."""
    skills: set[str] = set()
    for ex in experts:
        skills |= ex.skills
    return matching.fit(org.needs, skills), tuple(matching.covered(org.needs, skills))


def group_problem(org: Org, experts: Sequence[Expert]) -> str | None:
    """Why these experts cannot meet ``org`` together (``None``: they can). One language is
    shared by the organisation and all of them, and each of them covers a positive need
    that none of the others covers (the need calls for them all)."""
    common = set(org.languages)
    for ex in experts:
        common &= ex.languages
    if not common:
        return "no language shared by all"
    if len({ex.id for ex in experts}) != len(experts):
        return "an expert twice"
    for i, ex in enumerate(experts):
        others: set[str] = set()
        for j, other in enumerate(experts):
            if j != i:
                others |= other.skills
        if not any(w > 0 and s in ex.skills and s not in others for s, w in org.needs.items()):
            return f"expert {ex.id} covers no need the others do not"
    return None


def objective_of(
    meetings: Sequence[Meeting], priority: Mapping[int, int] | None = None
) -> tuple[int, int, int]:
    """(objective, total fit, organisations served) of a set of meetings; the objective
    counts ``PRIORITY_WEIGHT`` per meeting and level of the organisation's ``priority``."""
    total = sum(m.fit for m in meetings)
    served = len({m.organization for m in meetings})
    bonus = sum(PRIORITY_WEIGHT * (priority or {}).get(m.organization, 0) for m in meetings)
    return total + SERVED_BONUS * served + bonus, total, served


def priorities(problem: Problem) -> dict[int, int]:
    return {o.id: o.priority for o in problem.organizations if o.priority}


def check_problem(problem: Problem) -> None:
    """Raise ProblemError for input that is not a schedule problem at all."""
    errors: dict[str, list[str]] = {}
    if problem.rounds < 1:
        errors.setdefault("rounds", []).append("At least one round is needed.")
    if problem.tables < 1:
        errors.setdefault("tables", []).append("At least one table is needed.")
    if problem.max_meetings < 0:
        errors.setdefault("max_meetings_per_organization", []).append("It cannot be negative.")
    for name, items in (("organizations", problem.organizations), ("experts", problem.experts)):
        ids = [x.id for x in items]
        if len(ids) != len(set(ids)):
            errors.setdefault(name, []).append("Ids must be unique.")
        if any(x.max_meetings is not None and x.max_meetings < 0 for x in items):
            errors.setdefault(name, []).append("A maximum of meetings cannot be negative.")
    for org in problem.organizations:
        if not 0 <= org.priority <= MAX_PRIORITY:
            errors.setdefault("organizations", []).append(f"{org.id}: priority 0 to 3.")
        if not 1 <= org.experts_per_meeting <= MAX_EXPERTS_PER_MEETING:
            errors.setdefault("organizations", []).append(f"{org.id}: 1 to 3 experts a meeting.")
    for name, items in (("organizations", problem.organizations), ("experts", problem.experts)):
        for item in items:
            if item.rounds is not None and any(
                not 1 <= r <= max(problem.rounds, 0) for r in item.rounds
            ):
                errors.setdefault(name, []).append(
                    f"{item.id} is available in a round that does not exist."
                )
    if errors:
        raise ProblemError(errors)
    _check_pins(problem)


def _check_pins(problem: Problem) -> None:
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    errs: list[str] = []
    seen_o: set[tuple[int, int]] = set()
    seen_e: set[tuple[int, int]] = set()
    seen_t: set[tuple[int, int]] = set()
    pairs: set[tuple[int, int]] = set()
    per_round: dict[int, int] = {}
    per_org: dict[int, int] = {}
    per_expert: dict[int, int] = {}
    forbidden = set(problem.forbidden)
    for p in problem.pinned:
        org = orgs.get(p.organization)
        group = [experts.get(x) for x in (p.expert, *p.co_experts)]
        label = f"Pinned meeting {p.organization}–{p.expert} in round {p.round}"
        if org is None or any(x is None for x in group):
            errs.append(f"{label}: unknown organisation or expert.")
            continue
        if not 1 <= p.round <= problem.rounds:
            errs.append(f"{label}: no such round.")
            continue
        if p.table is not None and not 1 <= p.table <= problem.tables:
            errs.append(f"{label}: no such table.")
        if len(group) > 1:
            why = group_problem(org, group)
            if why:
                errs.append(f"{label}: {why}.")
            if len(group) > org.experts_per_meeting:
                errs.append(f"{label}: more experts than the organisation's meetings seat.")
        elif not shares_language(org, group[0]):
            errs.append(f"{label}: they share no language.")
        elif fit(org, group[0])[0] <= 0:
            errs.append(f"{label}: the expert covers none of the organisation's needs.")
        if org.rounds is not None and p.round not in org.rounds:
            errs.append(f"{label}: the organisation is not available then.")
        keys = [(p.organization, p.round, seen_o)]
        for expert in group:
            if expert.rounds is not None and p.round not in expert.rounds:
                errs.append(f"{label}: the expert is not available then.")
            if (p.organization, expert.id) in forbidden:
                errs.append(f"{label}: this pair was removed.")
            if (p.organization, expert.id) in pairs:
                errs.append(f"{label}: the pair already meets.")
            pairs.add((p.organization, expert.id))
            per_expert[expert.id] = per_expert.get(expert.id, 0) + 1
            keys.append((expert.id, p.round, seen_e))
        for who, r, seen in keys:
            if (who, r) in seen:
                errs.append(f"{label}: someone would be in two meetings of the round.")
            seen.add((who, r))
        if p.table is not None:
            if (p.round, p.table) in seen_t:
                errs.append(f"{label}: the table is taken.")
            seen_t.add((p.round, p.table))
        per_round[p.round] = per_round.get(p.round, 0) + 1
        per_org[p.organization] = per_org.get(p.organization, 0) + 1
    if any(n > problem.tables for n in per_round.values()):
        errs.append("More pinned meetings in a round than tables.")
    if any(n > problem.org_cap(orgs[o]) for o, n in per_org.items()):
        errs.append("An organisation has more pinned meetings than it may have.")
    if any(n > problem.expert_cap(experts[e]) for e, n in per_expert.items()):
        errs.append("An expert has more pinned meetings than they may have.")
    if errs:
        raise ProblemError({"pinned": errs})


class _State:
    """Rounds as colours of a bipartite graph, with each side's free rounds and loads."""

    def __init__(self, n_org: int, n_exp: int, n_rounds: int, capacity: list[int]) -> None:
        self.R = n_rounds
        self.col_o = [[-1] * n_rounds for _ in range(n_org)]
        self.col_e = [[-1] * n_rounds for _ in range(n_exp)]
        self.load = [0] * n_rounds
        self.capacity = capacity
        self.deg_o = [0] * n_org
        self.deg_e = [0] * n_exp

    def add(self, o: int, e: int, r: int) -> None:
        self.col_o[o][r] = e
        self.col_e[e][r] = o
        self.load[r] += 1
        self.deg_o[o] += 1
        self.deg_e[e] += 1

    def remove(self, o: int, e: int, r: int) -> None:
        self.col_o[o][r] = -1
        self.col_e[e][r] = -1
        self.load[r] -= 1
        self.deg_o[o] -= 1
        self.deg_e[e] -= 1

    def edges(self) -> list[tuple[int, int, int]]:
        return [(o, e, r) for o, row in enumerate(self.col_o) for r, e in enumerate(row) if e >= 0]


class _Solver:
    def __init__(self, problem: Problem, deadline: float = float("inf")) -> None:
        begun = time.monotonic()
        self.cut = False
        self.p = problem
        self.deadline = deadline
        self.orgs = list(problem.organizations)
        self.experts = list(problem.experts)
        self.o_index = {o.id: i for i, o in enumerate(self.orgs)}
        self.e_index = {e.id: i for i, e in enumerate(self.experts)}
        R = self.R = problem.rounds
        self.max_m = problem.max_meetings
        pins = [
            (self.o_index[p.organization], self.e_index[p.expert], p.round - 1)
            for p in problem.pinned
        ]
        self.pins = pins
        self.pin_set = set(pins)
        # the other experts of pinned multi-party meetings, by the pin's (org, lead, round)
        self.pin_co = {
            key: tuple(self.e_index[x] for x in p.co_experts)
            for key, p in zip(pins, problem.pinned, strict=True)
            if p.co_experts
        }
        self.weight_o = [PRIORITY_WEIGHT * org.priority for org in self.orgs]
        busy_o: list[set[int]] = [set() for _ in self.orgs]
        busy_e: list[set[int]] = [set() for _ in self.experts]
        self.pinned_count_o = [0] * len(self.orgs)
        pinned_count_e = [0] * len(self.experts)
        capacity = [problem.tables] * R
        for o, e, r in pins:
            busy_o[o].add(r)
            capacity[r] -= 1
            self.pinned_count_o[o] += 1
            for x in (e, *self.pin_co.get((o, e, r), ())):
                busy_e[x].add(r)
                pinned_count_e[x] += 1
        self.capacity = capacity
        self.allowed_o = [
            tuple(
                r
                for r in (range(R) if org.rounds is None else sorted(x - 1 for x in org.rounds))
                if r not in busy_o[o]
            )
            for o, org in enumerate(self.orgs)
        ]
        self.allowed_e = []
        for j, ex in enumerate(self.experts):
            rounds = range(R) if ex.rounds is None else sorted(r - 1 for r in ex.rounds)
            self.allowed_e.append(tuple(r for r in rounds if r not in busy_e[j]))
        self.allowed_o_set = [frozenset(a) for a in self.allowed_o]
        self.allowed_e_set = [frozenset(a) for a in self.allowed_e]
        # Each side's own cap (the event's, the registration's wish), less its pins: the
        # relaxation, the greedy fill and the MILP all read these lists.
        self.cap_o = [
            max(0, min(problem.org_cap(org) - self.pinned_count_o[o], len(self.allowed_o[o])))
            for o, org in enumerate(self.orgs)
        ]
        self.cap_e = [
            max(0, min(problem.expert_cap(ex) - pinned_count_e[e], len(self.allowed_e[e])))
            for e, ex in enumerate(self.experts)
        ]
        self.pinned_served = [c > 0 for c in self.pinned_count_o]
        self.pin_fit = sum(
            self.group_of(o, e, self.pin_co.get((o, e, r), ()))[0] + self.weight_o[o]
            for o, e, r in pins
        )
        self.pin_served = sum(self.pinned_served)
        forbidden = {
            (self.o_index[o], self.e_index[e])
            for o, e in problem.forbidden
            if o in self.o_index and e in self.e_index
        }
        pinned_pairs = {(o, e) for o, e, _r in pins}
        pinned_pairs |= {(o, x) for (o, _e, _r), co in self.pin_co.items() for x in co}
        self.fit: dict[tuple[int, int], int] = {}
        # Past the deadline, organisations not looked at yet get no meeting; the bound then
        # counts the most they could have brought, so it stays an upper bound.
        self.unexplored_bound = 0
        for oi, org in enumerate(self.orgs):
            if self.cap_o[oi] == 0 or not org.needs:
                continue
            if self.unexplored_bound or (oi % CLOCK_EVERY == 0 and self.late()):
                self.unexplored_bound += SERVED_BONUS + self.cap_o[oi] * (
                    sum(w for w in org.needs.values() if w > 0) + self.weight_o[oi]
                )
                continue
            for ei, ex in enumerate(self.experts):
                if self.cap_e[ei] == 0 or (oi, ei) in forbidden or (oi, ei) in pinned_pairs:
                    continue
                if not shares_language(org, ex):
                    continue
                value = matching.fit(org.needs, ex.skills)
                if value <= 0 or not (self.allowed_o_set[oi] & self.allowed_e_set[ei]):
                    continue
                # the objective's weight of the pair: its fit and the priority's bonus
                self.fit[(oi, ei)] = value + self.weight_o[oi]
        self.pairs = sorted(self.fit)
        self.pace = time.monotonic() - begun
        self.reserve = MILP_RESERVE_SECONDS + FILL_PER_PAIR_TABLE * self.pace
        # what the tables and the output need after the last step (multi-party groups)
        self.output_reserve = 0.1 + 0.2 * self.pace
        self.pair_o = np.fromiter(
            (o for o, _e in self.pairs), dtype=np.int64, count=len(self.pairs)
        )
        self.pair_fit = np.fromiter(
            (self.fit[pq] for pq in self.pairs), dtype=np.int64, count=len(self.pairs)
        )

    def group_of(self, o: int, e: int, co: Sequence[int] = ()) -> tuple[int, tuple[str, ...]]:
        """The real fit and reasons of a meeting of ``o`` with ``e`` and ``co``."""
        if not co:
            return fit(self.orgs[o], self.experts[e])
        return group_fit(self.orgs[o], [self.experts[x] for x in (e, *co)])

    def late(self, margin: float = 0.0) -> bool:
        """Past the deadline less ``margin``; once true, the result says the clock cut."""
        if time.monotonic() >= self.deadline - margin:
            self.cut = True
            return True
        return False

    # -- step 1: the flow relaxation ------------------------------------------------------

    def relaxation(self) -> tuple[float, list[tuple[int, int]]]:
        """Upper bound of the objective (without pins) and the pairs of an optimum."""
        pairs = self.pairs
        n_o, n_e, n_p = len(self.orgs), len(self.experts), len(pairs)
        if n_p == 0:
            return 0.0, []
        # Building the LP and HiGHS's set-up are not cut by its time limit: without the
        # time for both (and some to solve), the fill gets the time instead.
        if self.late(self.reserve + 1.5 * LP_SETUP_PER_PAIR_TABLE * self.pace):
            return self.crude_bound(), []
        R = self.R
        slots = [(e, r) for e in range(n_e) for r in self.allowed_e[e]]
        n_s = len(slots)
        # columns: x pairs | a_o (first meeting: the bonus) | b_o (further meetings)
        #          | w_e (meetings of expert e, up to its cap)
        #          | z_(e,r) (expert e meets in round r) | g_r (meetings in round r)
        # rows:    org o (a + b − Σx = 0) | expert e (Σx − w = 0) | slots of e (w − Σz = 0)
        #          | round r (Σz − g = 0)
        # Each column has at most one +1 and one −1: a network matrix, its LP optimum is
        # integral.
        col_w = n_p + 2 * n_o
        col_z = col_w + n_e
        col_g = col_z + n_s
        n_col = col_g + R
        c = np.zeros(n_col)
        c[:n_p] = [-self.fit[pq] for pq in pairs]
        c[n_p : n_p + n_o] = [0 if self.pinned_served[o] else -SERVED_BONUS for o in range(n_o)]
        ub = np.zeros(n_col)
        ub[:n_p] = 1
        for o in range(n_o):
            first = 0 if self.pinned_served[o] else min(1, self.cap_o[o])
            ub[n_p + o] = first
            ub[n_p + n_o + o] = self.cap_o[o] - first
        ub[col_w:col_z] = self.cap_e
        ub[col_z:col_g] = 1
        ub[col_g:] = [max(0, cap) for cap in self.capacity]
        po = np.fromiter((o for o, _ in pairs), dtype=np.int64, count=n_p)
        pe = np.fromiter((e for _, e in pairs), dtype=np.int64, count=n_p)
        se = np.fromiter((e for e, _ in slots), dtype=np.int64, count=n_s)
        sr = np.fromiter((r for _, r in slots), dtype=np.int64, count=n_s)
        ar_p, ar_o, ar_s, ar_r = np.arange(n_p), np.arange(n_o), np.arange(n_s), np.arange(R)
        ar_e = np.arange(n_e)
        row_e, row_s, row_r = n_o, n_o + n_e, n_o + 2 * n_e
        rows = np.concatenate(
            [po, row_e + pe, ar_o, ar_o, row_e + ar_e, row_s + ar_e, row_s + se, row_r + sr]
        )
        rows = np.concatenate([rows, row_r + ar_r])
        cols = np.concatenate(
            [
                ar_p,
                ar_p,
                n_p + ar_o,
                n_p + n_o + ar_o,
                col_w + ar_e,
                col_w + ar_e,
                col_z + ar_s,
                col_z + ar_s,
                col_g + ar_r,
            ]
        )
        vals = np.concatenate(
            [
                -np.ones(n_p),
                np.ones(n_p),
                np.ones(n_o),
                np.ones(n_o),
                -np.ones(n_e),
                np.ones(n_e),
                -np.ones(n_s),
                np.ones(n_s),
                -np.ones(R),
            ]
        )
        n_row = n_o + 2 * n_e + R
        A = sparse.csr_array((vals, (rows, cols)), shape=(n_row, n_col))
        remaining = self.deadline - time.monotonic() - self.reserve
        remaining -= 0.5 * LP_SETUP_PER_PAIR_TABLE * self.pace  # HiGHS's own set-up
        if remaining <= 0:
            return self.crude_bound(), []
        # HiGHS reads its clock between iterations, and the set-up before them is not
        # counted: a margin keeps the whole call inside the budget.
        options = {"time_limit": 0.7 * remaining} if np.isfinite(remaining) else {}
        res = linprog(
            c,
            A_eq=A,
            b_eq=np.zeros(n_row),
            bounds=np.column_stack([np.zeros(n_col), ub]),
            method="highs-ds",
            options=options,
        )
        if res.status != 0 or res.x is None:  # out of time (a flow is always feasible)
            return self.crude_bound(), []
        chosen = [pairs[i] for i in np.flatnonzero(res.x[:n_p] > 0.5)]
        return float(-res.fun), chosen

    def crude_bound(self) -> float:
        """An upper bound without the LP: each organisation's best pairs up to its cap."""
        if not self.pairs:
            return 0.0
        order = np.lexsort((-self.pair_fit, self.pair_o))
        orgs, fits = self.pair_o[order], self.pair_fit[order]
        starts = np.searchsorted(orgs, orgs, side="left")
        rank = np.arange(len(orgs)) - starts
        caps = np.asarray(self.cap_o, dtype=np.int64)
        keep = rank < caps[orgs]
        # each organisation's k-th meeting brings at most its k-th best fit (the first one
        # also the bonus), and there are at most as many meetings as free seats
        values = fits[keep] + SERVED_BONUS * (
            (rank[keep] == 0) & ~np.asarray(self.pinned_served, dtype=bool)[orgs[keep]]
        )
        seats = max(0, sum(self.capacity))
        return float(np.sort(values)[::-1][:seats].sum())

    # -- step 2: colouring with Kempe chains ----------------------------------------------

    def _chain(self, st: _State, start_e: int, a: int, b: int) -> list[tuple[int, int, int]]:
        """The a/b alternating path from expert ``start_e``, beginning with its a-edge."""
        path = []
        e = start_e
        while True:
            o = st.col_e[e][a]
            if o < 0:
                break
            path.append((o, e, a))
            e2 = st.col_o[o][b]
            if e2 < 0:
                break
            path.append((o, e2, b))
            e = e2
        return path

    def _chain_from_org(
        self, st: _State, start_o: int, a: int, b: int
    ) -> list[tuple[int, int, int]]:
        path = []
        o = start_o
        while True:
            e = st.col_o[o][a]
            if e < 0:
                break
            path.append((o, e, a))
            o2 = st.col_e[e][b]
            if o2 < 0:
                break
            path.append((o2, e, b))
            o = o2
        return path

    def _swap_ok(self, st: _State, path, a: int, b: int) -> bool:
        for o, e, r in path:
            other = b if r == a else a
            if other not in self.allowed_o_set[o] or other not in self.allowed_e_set[e]:
                return False
        n_a = sum(1 for *_x, r in path if r == a)
        n_b = len(path) - n_a
        # after the swap, a loses n_a - n_b and b gains it; then the new edge takes a
        return (
            st.load[b] + n_a - n_b <= st.capacity[b]
            and st.load[a] - n_a + n_b + 1 <= st.capacity[a]
        )

    def _swap(self, st: _State, path, a: int, b: int) -> None:
        for o, e, r in path:
            st.remove(o, e, r)
        for o, e, r in path:
            st.add(o, e, b if r == a else a)

    def insert(self, st: _State, o: int, e: int) -> bool:
        """Place pair (o, e) in some round, moving others along a Kempe chain if needed."""
        common = [r for r in self.allowed_o[o] if r in self.allowed_e_set[e]]
        co, ce = st.col_o[o], st.col_e[e]
        best = -1
        for r in common:
            free = co[r] < 0 and ce[r] < 0 and st.load[r] < st.capacity[r]
            if free and (best < 0 or st.load[r] < st.load[best]):
                best = r
        if best >= 0:
            st.add(o, e, best)
            return True
        for a in common:
            if st.load[a] >= st.capacity[a]:
                continue
            if co[a] < 0 and ce[a] >= 0:
                for b in self.allowed_e[e]:
                    if b == a or ce[b] >= 0:
                        continue
                    path = self._chain(st, e, a, b)
                    if self._swap_ok(st, path, a, b):
                        self._swap(st, path, a, b)
                        st.add(o, e, a)
                        return True
            elif ce[a] < 0 and co[a] >= 0:
                for b in self.allowed_o[o]:
                    if b == a or co[b] >= 0:
                        continue
                    path = self._chain_from_org(st, o, a, b)
                    if self._swap_ok(st, path, a, b):
                        self._swap(st, path, a, b)
                        st.add(o, e, a)
                        return True
        return False

    def colour(self, chosen: list[tuple[int, int]]) -> tuple[_State, list[tuple[int, int]]]:
        st = _State(len(self.orgs), len(self.experts), self.R, list(self.capacity))

        def key(pq):
            o, e = pq
            n_common = len(self.allowed_o_set[o] & self.allowed_e_set[e])
            return (n_common, -self.fit[pq], o, e)

        left = []
        for i, (o, e) in enumerate(sorted(chosen, key=key)):
            if i % CLOCK_EVERY == 0 and self.late():
                break
            if not self.insert(st, o, e):
                left.append((o, e))
        return st, left

    # -- step 3: improvement --------------------------------------------------------------

    def fill(self, st: _State) -> None:
        """Greedy insertion by gain: first one meeting for each organisation not yet served,
        then the rest."""
        for first_only in (True, False):
            if sum(st.load) >= sum(st.capacity) or self.late():
                return
            # by gain (fit, plus the bonus for an organisation not served yet), then by pair;
            # a stable sort of the pairs, which are in (org, expert) order already
            unserved = np.array(
                [not (d or p) for d, p in zip(st.deg_o, self.pinned_served, strict=True)],
                dtype=bool,
            )
            gain = self.pair_fit + SERVED_BONUS * unserved[self.pair_o]
            pairs = self.pairs
            for i, k in enumerate(np.argsort(-gain, kind="stable").tolist()):
                if i % CLOCK_EVERY == 0 and self.late():
                    return
                o, e = pairs[k]
                if st.deg_o[o] >= self.cap_o[o] or st.deg_e[e] >= self.cap_e[e]:
                    continue
                if first_only and (st.deg_o[o] or self.pinned_served[o]):
                    continue
                if st.col_o[o].count(e):
                    continue  # the pair meets already
                self.insert(st, o, e)

    def value(self, edges) -> int:
        fit_sum = sum(self.fit[(o, e)] for o, e, _r in edges)
        served = {o for o, _e, _r in edges} | {o for o, _e, _r in self.pins}
        return fit_sum + self.pin_fit + SERVED_BONUS * len(served)

    # -- exact MILP for small instances ---------------------------------------------------

    def triples(self, pairs) -> list[tuple[int, int, int]]:
        allowed_e = self.allowed_e_set
        return [(o, e, r) for o, e in pairs for r in self.allowed_o[o] if r in allowed_e[e]]

    def exact(
        self, triples: list[tuple[int, int, int]], time_limit: float
    ) -> tuple[list[tuple[int, int, int]], float | None, bool] | None:
        """The time-indexed MILP over the given (org, expert, round) triples, by HiGHS."""
        n_o = len(self.orgs)
        if not triples or time_limit <= 0:
            return None
        n_t = len(triples)
        n_col = n_t + n_o
        c = np.zeros(n_col)
        c[:n_t] = [-self.fit[(o, e)] for o, e, _r in triples]
        c[n_t:] = [0 if self.pinned_served[o] else -SERVED_BONUS for o in range(n_o)]
        rows, cols = [], []
        row_keys: dict[tuple, int] = {}
        ub_rows: list[float] = []

        def row(key, bound):
            if key not in row_keys:
                row_keys[key] = len(ub_rows)
                ub_rows.append(bound)
            return row_keys[key]

        lo_rows: list[float] = []
        vals = []
        for i, (o, e, r) in enumerate(triples):
            for key, bound in (
                (("er", e, r), 1),
                (("or", o, r), 1),
                (("r", r), self.capacity[r]),
                (("oe", o, e), 1),
                (("o", o), self.cap_o[o]),
                (("e", e), self.cap_e[e]),
            ):
                rows.append(row(key, bound))
                cols.append(i)
                vals.append(1.0)
            rows.append(row(("y", o), 0))
            cols.append(i)
            vals.append(-1.0)
        for o in range(n_o):
            rows.append(row(("y", o), 0))
            cols.append(n_t + o)
            vals.append(1.0)
        lo_rows = [-np.inf] * len(ub_rows)
        A = sparse.csr_array((vals, (rows, cols)), shape=(len(ub_rows), n_col))
        res = milp(
            c,
            constraints=LinearConstraint(A, lo_rows, ub_rows),
            integrality=np.ones(n_col),
            bounds=Bounds(np.zeros(n_col), np.ones(n_col)),
            options={
                "node_limit": EXACT_MILP_NODE_LIMIT,
                "time_limit": time_limit,
                "presolve": True,
            },
        )
        if res.x is None:
            return None
        edges = [triples[i] for i in np.flatnonzero(res.x[:n_t] > 0.5)]
        bound = getattr(res, "mip_dual_bound", None)
        bound = -bound if bound is not None and np.isfinite(bound) else None
        return edges, bound, res.status == 0

    def improve(self, chosen, edges, best_value, upper, deadline):
        """MILP on the neighbourhood of the flow's pairs, then on everything if small enough."""
        if self.late(self.reserve):
            return edges, best_value, upper
        used = {(o, e) for o, e, _r in edges}
        alternatives: dict[int, list[tuple[int, int]]] = {}
        for o, e in self.pairs:
            alternatives.setdefault(o, []).append((o, e))
        candidates = set(chosen) | used
        for pairs in alternatives.values():
            pairs.sort(key=lambda pq: (-self.fit[pq], pq))
            candidates.update(pairs[:NEIGHBOURHOOD_ALTERNATIVES])
        for complete in (False, True):
            if self.late(self.reserve) or (complete and len(self.pairs) > EXACT_MILP_MAX_VARIABLES):
                break  # every pair gives at least one triple: too big, do not build it
            triples = self.triples(self.pairs if complete else sorted(candidates))
            limit = EXACT_MILP_MAX_VARIABLES if complete else NEIGHBOURHOOD_MAX_VARIABLES
            if len(triples) > limit:
                if complete:
                    break
                triples = self.triples(sorted(set(chosen) | used))
            # the MILP's model, HiGHS's presolve and its root LP are not cut by its time
            # limit: it runs only with a budget of a few paces (seen: 15 s for 1.5 s asked
            # on a loaded machine at 27,000 triples)
            overhead = 0.5 * LP_SETUP_PER_PAIR_TABLE * self.pace
            if self.late(self.reserve + overhead + MILP_MIN_PACES * self.pace):
                break
            result = self.exact(triples, deadline - time.monotonic() - self.reserve - overhead)
            if result is None:
                continue
            ex_edges, ex_bound, proven = result
            st = _State(len(self.orgs), len(self.experts), self.R, list(self.capacity))
            for o, e, r in ex_edges:
                st.add(o, e, r)
            self.fill(st)
            ex_edges = st.edges()
            ex_value = self.value(ex_edges)
            if ex_value > best_value:
                edges, best_value = ex_edges, ex_value
            if complete:
                if proven:
                    upper = min(upper, ex_value)
                elif ex_bound is not None:
                    upper = min(upper, ex_bound + self.pin_fit)
            if best_value >= upper - 1e-6:
                break
        return edges, best_value, upper

    # -- multi-party meetings -------------------------------------------------------------

    def join(self, edges):
        """Seat more experts at the meetings of organisations that want them (their
        ``experts_per_meeting``): each time the free expert (not meeting anyone in that
        round, available, under their cap, not meeting the organisation already, a shared
        language with the whole group) that adds the most fit, while every member of the
        group still covers a need the others do not. A meeting may move to another round
        where its organisation, its lead and a table are free, when the group there is
        better. Only free time and free seats are used, so nothing placed before is lost.
        Returns the edges (moved ones in their new round), the co-experts by meeting and
        the fit added."""
        multi = sorted(k for k in edges if self.orgs[k[0]].experts_per_meeting > 1)
        joined: dict[tuple[int, int, int], tuple[int, ...]] = {}
        if all(org.experts_per_meeting <= 1 for org in self.orgs):
            return edges, joined, 0
        busy = {(e, r) for _o, e, r in edges}
        busy_o = {(o, r) for o, _e, r in edges}
        met = {(o, e) for o, e, _r in edges} | {(o, e) for o, e, _r in self.pins}
        for (o, e, r), co in self.pin_co.items():
            busy.update((x, r) for x in (e, *co))
            met.update((o, x) for x in co)
        load = [0] * len(self.experts)
        seats = [0] * self.R
        for _o, e, r in edges:
            load[e] += 1
            seats[r] += 1
        partners: dict[int, list[int]] = {}
        for o, e in self.pairs:
            partners.setdefault(o, []).append(e)

        def grow(o: int, e: int, r: int) -> tuple[int, list[int]]:
            """The best group around lead ``e`` in round ``r`` (greedy by fit added)."""
            org = self.orgs[o]
            group = [e]
            value = self.group_of(o, e)[0]
            while len(group) < org.experts_per_meeting:
                best = None
                for x in partners.get(o, ()):
                    if (x, r) in busy or (o, x) in met or load[x] >= self.cap_e[x]:
                        continue
                    if x in group or r not in self.allowed_e_set[x]:
                        continue
                    new = self.group_of(o, e, [*group[1:], x])[0]
                    if new <= value or (best is not None and new <= best[0]):
                        continue
                    if group_problem(org, [self.experts[y] for y in (*group, x)]) is None:
                        best = (new, x)
                if best is None:
                    break
                value = best[0]
                group.append(best[1])
            return value, group

        moved: dict[tuple[int, int, int], tuple[int, int, int]] = {}
        gain = 0
        for o, e, r in multi:
            if self.late(self.output_reserve):
                break
            alone = self.group_of(o, e)[0]
            value, group = grow(o, e, r)
            where = r
            if len(group) < self.orgs[o].experts_per_meeting:
                for r2 in self.allowed_o[o]:
                    if r2 == r or (o, r2) in busy_o or (e, r2) in busy:
                        continue
                    if r2 not in self.allowed_e_set[e] or seats[r2] >= self.capacity[r2]:
                        continue
                    value2, group2 = grow(o, e, r2)
                    if value2 > value:
                        value, group, where = value2, group2, r2
            if where != r:
                busy.discard((e, r))
                busy_o.discard((o, r))
                seats[r] -= 1
                busy.add((e, where))
                busy_o.add((o, where))
                seats[where] += 1
                moved[(o, e, r)] = (o, e, where)
            for x in group[1:]:
                busy.add((x, where))
                met.add((o, x))
                load[x] += 1
            gain += value - alone
            if len(group) > 1:
                joined[(o, e, where)] = tuple(group[1:])
        edges = [moved.get(k, k) for k in edges]
        edges, joined = self._seat_groups(edges, joined, busy, busy_o, met, load, seats, grow)
        return edges, joined, gain

    def _seat_groups(self, edges, joined, busy, busy_o, met, load, seats, grow):
        """Give a seat to a multi-party group where it is worth more than what sits there:
        for each organisation of size k > 1 under its cap, each round it is free, the best
        group (its best free expert, grown) at a free table, or in place of the round's
        cheapest meeting when the group (with the experts that meeting frees) is worth
        more than that meeting (its fit, priority, and the bonus if it was its
        organisation's only one). Each swap raises the objective, so it ends."""
        groups = {k: joined.get(k, ()) for k in edges}
        count = [0] * len(self.orgs)
        for o, _e, _r in edges:
            count[o] += 1
        partners: dict[int, list[int]] = {}
        for o, e in self.pairs:
            partners.setdefault(o, []).append(e)

        def value(key) -> int:
            o, e, _r = key
            return self.group_of(o, e, groups[key])[0] + self.weight_o[o]

        def loss(key) -> int:
            o = key[0]
            alone = count[o] == 1 and not self.pinned_served[o]
            return value(key) + (SERVED_BONUS if alone else 0)

        def take(key, sign: int) -> None:
            o, e, r = key
            for x in (e, *groups[key]):
                if sign > 0:
                    busy.add((x, r))
                    met.add((o, x))
                else:
                    busy.discard((x, r))
                    met.discard((o, x))
                load[x] += sign
            if sign > 0:
                busy_o.add((o, r))
            else:
                busy_o.discard((o, r))
            count[o] += sign
            seats[r] += sign

        def best_group(o: int, r: int):
            free = [
                x
                for x in partners.get(o, ())
                if (x, r) not in busy
                and (o, x) not in met
                and load[x] < self.cap_e[x]
                and r in self.allowed_e_set[x]
            ]
            if not free:
                return None
            lead = max(free, key=lambda x: (self.fit[(o, x)], -x))
            return grow(o, lead, r)

        multi = [o for o, org in enumerate(self.orgs) if org.experts_per_meeting > 1]
        for o in multi:
            for r in self.allowed_o[o]:
                if count[o] >= self.cap_o[o] or self.late(self.output_reserve):
                    break
                if (o, r) in busy_o:
                    continue
                if seats[r] < self.capacity[r]:
                    victims = [None]
                else:
                    here = [k for k in groups if k[2] == r]
                    victims = sorted(here, key=lambda k: (loss(k), k))[:3]
                best = None
                for victim in victims:
                    if victim is not None:
                        take(victim, -1)
                    found = best_group(o, r)
                    if victim is not None:
                        take(victim, +1)
                    if found is None:
                        continue
                    worth, group = found
                    bonus = 0 if count[o] or self.pinned_served[o] else SERVED_BONUS
                    gain = worth + self.weight_o[o] + bonus - (loss(victim) if victim else 0)
                    if gain > 0 and (best is None or gain > best[0]):
                        best = (gain, victim, group)
                if best is None:
                    continue
                _gain, victim, group = best
                if victim is not None:
                    take(victim, -1)
                    del groups[victim]
                key = (o, group[0], r)
                groups[key] = tuple(group[1:])
                take(key, +1)
        edges = list(groups)
        return edges, {k: co for k, co in groups.items() if co}

    def multi_party_slack(self) -> int:
        """What multi-party meetings may add to a one-to-one schedule's value, at most: a
        meeting's group fit less its lead's fit is at most the organisation's needs less its
        lightest need, and at most (k − 1) times its best pair's fit. Added to the one-to-one
        bound, it keeps an upper bound (dropping the co-experts of an optimum leaves a valid
        one-to-one schedule)."""
        best: dict[int, int] = {}
        for (o, _e), value in self.fit.items():
            best[o] = max(best.get(o, 0), value - self.weight_o[o])
        slack = 0
        for o, org in enumerate(self.orgs):
            k = org.experts_per_meeting
            weights = [w for w in org.needs.values() if w > 0]
            if k <= 1 or not weights or o not in best:
                continue
            slack += self.cap_o[o] * min(sum(weights) - min(weights), (k - 1) * best[o])
        return slack

    # -- tables ---------------------------------------------------------------------------

    def tables(self, edges: list[tuple[int, int, int]]) -> dict[tuple[int, int, int], int]:
        """Table numbers 1..T per round; an expert keeps its table across rounds if it can."""
        T = self.p.tables
        taken: dict[int, set[int]] = {r: set() for r in range(self.R)}
        result: dict[tuple[int, int, int], int] = {}
        home: dict[int, int] = {}
        for pin in self.p.pinned:
            if pin.table is not None:
                key = (self.o_index[pin.organization], self.e_index[pin.expert], pin.round - 1)
                result[key] = pin.table
                taken[pin.round - 1].add(pin.table)
                home.setdefault(key[1], pin.table)
        all_edges = list(edges) + [k for k in self.pins if k not in result]
        count: dict[int, int] = {}
        for _o, e, _r in all_edges:
            count[e] = count.get(e, 0) + 1
        next_home = 1
        used_homes = set(home.values())
        for e in sorted(count, key=lambda e: (-count[e], self.experts[e].id)):
            if e in home:
                continue
            while next_home in used_homes:
                next_home += 1
            if next_home > T:
                break
            home[e] = next_home
            used_homes.add(next_home)
        by_round: dict[int, list[tuple[int, int, int]]] = {r: [] for r in range(self.R)}
        for k in all_edges:
            if k not in result:
                by_round[k[2]].append(k)
        last: dict[int, int] = dict(home)
        for r in range(self.R):
            todo = sorted(by_round[r], key=lambda k: (k[1] not in home, self.experts[k[1]].id))
            waiting = []
            for k in todo:
                t = last.get(k[1])
                if t is not None and t not in taken[r]:
                    result[k] = t
                    taken[r].add(t)
                else:
                    waiting.append(k)
            free = (t for t in range(1, T + 1) if t not in taken[r])
            for k in waiting:
                t = next(free)
                result[k] = t
                taken[r].add(t)
                last.setdefault(k[1], t)
        return result

    # -- all together ---------------------------------------------------------------------

    def solve(self, started: float) -> Solution:
        deadline = self.deadline
        safety: list[tuple[int, int, int]] = []
        if len(self.pairs) >= SAFETY_GREEDY_PAIRS:
            first = _State(len(self.orgs), len(self.experts), self.R, list(self.capacity))
            self.fill(first)
            safety = first.edges()
        bound, chosen = self.relaxation()
        upper = bound + self.pin_fit + SERVED_BONUS * self.pin_served + self.unexplored_bound
        st, _left = self.colour(chosen)
        if self.value(st.edges()) < upper - 1e-6:
            self.fill(st)
        edges = st.edges()
        best_value = self.value(edges)
        if best_value < upper - 1e-6:
            edges, best_value, upper = self.improve(chosen, edges, best_value, upper, deadline)
        if safety and self.value(safety) > best_value:
            edges, best_value = safety, self.value(safety)
        edges, joined, _gain = self.join(edges)
        upper += self.multi_party_slack()
        table_of = self.tables(edges)
        meetings = []
        for key in [*edges, *self.pins]:
            o, e, r = key
            co = joined.get(key) or self.pin_co.get(key, ())
            value, why = self.group_of(o, e, co)
            meetings.append(
                Meeting(
                    organization=self.orgs[o].id,
                    expert=self.experts[e].id,
                    round=r + 1,
                    table=table_of[key],
                    fit=value,
                    reasons=why,
                    pinned=key in self.pin_set,
                    co_experts=tuple(self.experts[x].id for x in co),
                )
            )
        meetings.sort(key=lambda m: (m.round, m.table))
        objective, total_fit, served = objective_of(meetings, priorities(self.p))
        upper = max(upper, objective)
        return Solution(
            meetings=meetings,
            stats={
                "objective": objective,
                "multi_party": sum(1 for m in meetings if m.co_experts),
                "fit": total_fit,
                "organizations_served": served,
                "upper_bound": round(upper, 6),
                "meetings": len(meetings),
                "optimal": objective >= upper - 1e-6,
                "timed_out": objective < upper - 1e-6 and self.cut,
                "seconds": round(time.monotonic() - started, 3),
            },
        )


def solve(problem: Problem, *, time_limit: float = 30.0) -> Solution:
    """Build the schedule: every hard constraint holds, the objective is near the bound.

    ``time_limit`` (seconds) holds for the whole call: every step looks at the clock and
    the best valid schedule found by then is returned (``stats["optimal"]`` says whether
    it reached the bound, ``stats["timed_out"]`` whether the clock cut a step short).
    """
    started = time.monotonic()
    check_problem(problem)
    return _Solver(problem, deadline=started + time_limit).solve(started)
