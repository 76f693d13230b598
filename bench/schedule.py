"""Consultation schedule: the solver against a plain time-indexed MILP, in the same run.

Usage: ``python bench/schedule.py [--seeds N] [--quick] [--big] [--milp-limit S]
[--multi-party F] [--priority F]``.

Events come from ``tests/schedule_events.py`` with per-organisation wishes (1 to 3
meetings: the registration's ``max_meetings``), a fifth of the experts giving at most half
the day, and part-day experts (``--availability``, default 0.3). For each size and seed it
prints the solver's time, objective and own bound; then the plain MILP (every
(organisation, expert, round) variable, one binary per organisation served, HiGHS through
``scipy.optimize.milp``, no node limit, ``--milp-limit`` seconds) with its time, objective
and dual bound. The proven upper bound is the smaller of the two bounds; the ratio is the
solver's objective over it. ``valid`` is the independent validator's verdict.

``--big`` adds (2000, 400, 10, 300) with the service's 20 s limit (``--time-limit``): the
solver must come back within it (±1 s), valid, and we say how close to the bound it is.
``--multi-party F`` lets that share of the organisations take 2 or 3 experts a meeting and
``--priority F`` gives that share a priority of 1 to 3; the reference is then
``multi_milp``, the textbook model of multi-party meetings and priorities (its optimum
equals the exhaustive one on tiny events), and the last column counts the multi-party
meetings.
The load average is printed: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ateliers.schedule.solver import PRIORITY_WEIGHT, SERVED_BONUS, solve
from ateliers.schedule.validate import objective, violations
from tests.schedule_events import generate

SIZES = [(300, 80, 6, 40), (300, 80, 6, 80), (1000, 200, 8, 120), (1000, 200, 8, 200)]
BIG = (2000, 400, 10, 300)


def _maximise(c, A, lb, ub, integrality, time_limit, started):
    """HiGHS on ``min c·x`` (the negated objective) with 0/1 bounds: seconds since
    ``started``, the objective found (0 if none), the proven bound and whether optimal."""
    res = milp(
        c,
        constraints=LinearConstraint(A, lb, ub),
        integrality=integrality,
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    secs = time.perf_counter() - started
    value = -res.fun if res.x is not None else 0.0
    dual = getattr(res, "mip_dual_bound", None)
    bound = -dual if dual is not None and np.isfinite(dual) else float("inf")
    return secs, value, bound, res.status == 0


def plain_milp(problem, time_limit: float) -> tuple[float, float, float, bool]:
    """(seconds, objective, dual bound, proven optimal) of the textbook model."""
    started = time.perf_counter()
    cap_all = problem.max_meetings
    triples, fits = [], []
    for oi, org in enumerate(problem.organizations):
        for ei, ex in enumerate(problem.experts):
            if not org.languages & ex.languages:
                continue
            value = sum(w for skill, w in org.needs.items() if skill in ex.skills and w > 0)
            if value <= 0:
                continue
            for r in range(1, problem.rounds + 1):
                if ex.rounds is None or r in ex.rounds:
                    triples.append((oi, ei, r))
                    fits.append(value)
    n_t, n_o = len(triples), len(problem.organizations)
    if n_t == 0:
        return time.perf_counter() - started, 0.0, 0.0, True
    rows, cols, ub, keys = [], [], [], {}

    def row(key, bound):
        if key not in keys:
            keys[key] = len(ub)
            ub.append(bound)
        return keys[key]

    vals = []
    for i, (o, e, r) in enumerate(triples):
        org, ex = problem.organizations[o], problem.experts[e]
        cap_o = cap_all if org.max_meetings is None else min(cap_all, org.max_meetings)
        cap_e = problem.rounds if ex.max_meetings is None else ex.max_meetings
        for key, bound in (
            (("or", o, r), 1),
            (("er", e, r), 1),
            (("r", r), problem.tables),
            (("oe", o, e), 1),
            (("o", o), cap_o),
            (("e", e), cap_e),
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
    c = np.concatenate([-np.asarray(fits, dtype=float), -SERVED_BONUS * np.ones(n_o)])
    A = sparse.csr_array((vals, (rows, cols)), shape=(len(ub), n_t + n_o))
    return _maximise(c, A, -np.inf, ub, np.ones(n_t + n_o), time_limit, started)


def multi_milp(problem, time_limit: float) -> tuple[float, float, float, bool]:
    """The textbook model of the schedule with multi-party meetings and priority: x (org,
    expert, round) binaries, y (org, round) a meeting at a table, z (org, need, round) the
    needs covered (continuous), u (org, round, language) the table's language for
    organisations of several languages, s (org) served. Each need counts once a meeting;
    every expert covering a need of their own is not modelled (dropping an expert who
    covers nothing of their own keeps the value, so the optimum is the same)."""
    started = time.perf_counter()
    orgs, experts = problem.organizations, problem.experts
    cols: list[float] = []  # objective coefficients (to maximise)
    keys: dict[tuple, int] = {}

    def col(key, value=0.0):
        keys[key] = len(cols)
        cols.append(value)
        return keys[key]

    rows_i, rows_j, vals, ub = [], [], [], []
    lb: list[float] = []

    def constraint(terms, low, high):
        r = len(ub)
        for j, v in terms:
            rows_i.append(r)
            rows_j.append(j)
            vals.append(v)
        lb.append(low)
        ub.append(high)

    x_by_or: dict[tuple, list[int]] = {}
    x_by_er: dict[tuple, list[int]] = {}
    x_by_oe: dict[tuple, list[int]] = {}
    x_by_e: dict[int, list[int]] = {}
    for oi, org in enumerate(orgs):
        multi = org.experts_per_meeting > 1
        for ei, ex in enumerate(experts):
            if not org.languages & ex.languages:
                continue
            value = sum(w for skill, w in org.needs.items() if skill in ex.skills and w > 0)
            if value <= 0:
                continue
            for r in range(1, problem.rounds + 1):
                if (ex.rounds is None or r in ex.rounds) and (
                    org.rounds is None or r in org.rounds
                ):
                    j = col(("x", oi, ei, r), 0.0 if multi else float(value))
                    x_by_or.setdefault((oi, r), []).append(j)
                    x_by_er.setdefault((ei, r), []).append(j)
                    x_by_oe.setdefault((oi, ei), []).append(j)
                    x_by_e.setdefault(ei, []).append(j)
    cap_all = problem.max_meetings
    y_by_r: dict[int, list[int]] = {}
    for oi, org in enumerate(orgs):
        ys = []
        k = org.experts_per_meeting
        for r in range(1, problem.rounds + 1):
            xs = x_by_or.get((oi, r), [])
            if not xs:
                continue
            y = col(("y", oi, r), float(PRIORITY_WEIGHT * org.priority))
            ys.append(y)
            y_by_r.setdefault(r, []).append(y)
            constraint([(j, 1.0) for j in xs] + [(y, -float(k))], -np.inf, 0)  # ≤ k·y
            constraint([(j, 1.0) for j in xs] + [(y, -1.0)], 0, np.inf)  # no empty table
            if k > 1:
                for need, w in org.needs.items():
                    if w <= 0:
                        continue
                    covering = [
                        keys[("x", oi, ei, r)]
                        for ei, ex in enumerate(experts)
                        if need in ex.skills and ("x", oi, ei, r) in keys
                    ]
                    if covering:
                        z = col(("z", oi, need, r), float(w))
                        constraint([(z, 1.0)] + [(j, -1.0) for j in covering], -np.inf, 0)
                langs = sorted(org.languages)
                if len(langs) > 1:
                    us = {lang: col(("u", oi, r, lang)) for lang in langs}
                    constraint([(u, 1.0) for u in us.values()], -np.inf, 1)
                    for ei, ex in enumerate(experts):
                        j = keys.get(("x", oi, ei, r))
                        if j is not None:
                            spoken = [us[lang] for lang in langs if lang in ex.languages]
                            constraint([(j, 1.0)] + [(u, -1.0) for u in spoken], -np.inf, 0)
        if ys:
            cap_o = cap_all if org.max_meetings is None else min(cap_all, org.max_meetings)
            constraint([(y, 1.0) for y in ys], -np.inf, cap_o)
            s_o = col(("s", oi), float(SERVED_BONUS))
            constraint([(s_o, 1.0)] + [(y, -1.0) for y in ys], -np.inf, 0)
    for ys in y_by_r.values():
        constraint([(y, 1.0) for y in ys], -np.inf, problem.tables)
    for xs in x_by_er.values():
        constraint([(j, 1.0) for j in xs], -np.inf, 1)
    for xs in x_by_oe.values():
        constraint([(j, 1.0) for j in xs], -np.inf, 1)
    for ei, xs in x_by_e.items():
        ex = experts[ei]
        cap_e = problem.expert_cap(ex)
        if cap_e < problem.rounds:
            constraint([(j, 1.0) for j in xs], -np.inf, cap_e)
    n = len(cols)
    if n == 0:
        return time.perf_counter() - started, 0.0, 0.0, True
    integrality = np.array([0 if key[0] == "z" else 1 for key in keys], dtype=float)
    A = sparse.csr_array((vals, (rows_i, rows_j)), shape=(len(ub), n))
    return _maximise(-np.asarray(cols), A, lb, ub, integrality, time_limit, started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="only the first size")
    parser.add_argument("--big", action="store_true", help="also (2000, 400, 10, 300)")
    parser.add_argument("--availability", type=float, default=0.3)
    parser.add_argument("--milp-limit", type=float, default=120.0)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--no-milp", action="store_true", help="skip the reference MILP")
    parser.add_argument("--only-big", action="store_true", help="only (2000, 400, 10, 300)")
    parser.add_argument(
        "--no-wishes", action="store_true", help="one cap for all (no per-registration wishes)"
    )
    parser.add_argument(
        "--multi-party",
        type=float,
        default=0.0,
        help="share of organisations taking 2–3 experts a meeting (reference: multi_milp)",
    )
    parser.add_argument(
        "--priority", type=float, default=0.0, help="share of organisations of priority 1–3"
    )
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.2f} (2-core shared machine)")
    print(
        f"{'orgs':>5} {'exp':>4} {'rnd':>3} {'tab':>4} {'seed':>4} | {'secs':>6} "
        f"{'objective':>9} {'own bnd':>8} valid | {'milp s':>7} {'milp obj':>8} "
        f"{'milp bnd':>8} opt | {'proven':>8} {'ratio':>8} faster"
    )
    runs = (
        []
        if args.only_big
        else [
            (size, seed, False)
            for size in SIZES[: 1 if args.quick else None]
            for seed in range(args.seeds)
        ]
    )
    if args.big or args.only_big:
        runs += [(BIG, seed, True) for seed in range(args.seeds)]
    for size, seed, big in runs:
        problem = generate(
            *size,
            seed=seed,
            partial_availability=args.availability,
            wishes=not args.no_wishes,
            multi_party=args.multi_party,
            priority=args.priority,
        )
        started = time.perf_counter()
        solution = solve(problem, time_limit=args.time_limit if big else 60.0)
        secs = time.perf_counter() - started
        s = solution.stats
        valid = "yes" if not violations(problem, solution.meetings) else "NO"
        assert s["objective"] == objective(solution.meetings, problem)
        reference = multi_milp if args.multi_party or args.priority else plain_milp
        if args.no_milp:
            m_secs, m_obj, m_bound, m_opt = float("nan"), float("nan"), float("inf"), False
        else:
            m_secs, m_obj, m_bound, m_opt = reference(problem, args.milp_limit)
        proven = min(s["upper_bound"], m_bound)
        ratio = s["objective"] / proven if proven else 1.0
        print(
            f"{size[0]:>5} {size[1]:>4} {size[2]:>3} {size[3]:>4} {seed:>4} | {secs:>6.2f} "
            f"{s['objective']:>9} {s['upper_bound']:>8.0f} {valid:>5} | {m_secs:>7.2f} "
            f"{m_obj:>8.0f} {m_bound:>8.0f} {'yes' if m_opt else 'no':>3} | {proven:>8.0f} "
            f"{ratio:>8.3%} {m_secs / secs if secs else 0:>5.1f}×"
            + (f" | multi-party {s['multi_party']}" if args.multi_party else ""),
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
