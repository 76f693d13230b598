"""Consultation schedule: the solver against a plain time-indexed MILP, in the same run.

Usage: ``python bench/schedule.py [--seeds N] [--quick] [--big] [--milp-limit S]``.

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

from ateliers.schedule.solver import SERVED_BONUS, solve
from ateliers.schedule.validate import violations
from tests.schedule_events import generate

SIZES = [(300, 80, 6, 40), (300, 80, 6, 80), (1000, 200, 8, 120), (1000, 200, 8, 200)]
BIG = (2000, 400, 10, 300)


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
    res = milp(
        c,
        constraints=LinearConstraint(A, -np.inf, ub),
        integrality=np.ones(n_t + n_o),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit},
    )
    secs = time.perf_counter() - started
    objective = -res.fun if res.x is not None else 0.0
    dual = getattr(res, "mip_dual_bound", None)
    bound = -dual if dual is not None and np.isfinite(dual) else float("inf")
    return secs, objective, bound, res.status == 0


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
            *size, seed=seed, partial_availability=args.availability, wishes=not args.no_wishes
        )
        started = time.perf_counter()
        solution = solve(problem, time_limit=args.time_limit if big else 60.0)
        secs = time.perf_counter() - started
        s = solution.stats
        valid = "yes" if not violations(problem, solution.meetings) else "NO"
        if args.no_milp:
            m_secs, m_obj, m_bound, m_opt = float("nan"), float("nan"), float("inf"), False
        else:
            m_secs, m_obj, m_bound, m_opt = plain_milp(problem, args.milp_limit)
        proven = min(s["upper_bound"], m_bound)
        ratio = s["objective"] / proven if proven else 1.0
        print(
            f"{size[0]:>5} {size[1]:>4} {size[2]:>3} {size[3]:>4} {seed:>4} | {secs:>6.2f} "
            f"{s['objective']:>9} {s['upper_bound']:>8.0f} {valid:>5} | {m_secs:>7.2f} "
            f"{m_obj:>8.0f} {m_bound:>8.0f} {'yes' if m_opt else 'no':>3} | {proven:>8.0f} "
            f"{ratio:>8.3%} {m_secs / secs if secs else 0:>5.1f}×",
            flush=True,
        )
    print(f"load average at end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
