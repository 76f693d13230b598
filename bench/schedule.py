"""Consultation schedule: solve time and quality against the upper bound, per event size.

Usage: ``python bench/schedule.py [--seeds N] [--quick]``. Prints one line per size and seed:
solve time, organisations served, total fit, objective, upper bound and their ratio, and
whether the independent validator found the schedule valid. Targets (issue 10):
(300, 80, 6, 40) and (300, 80, 6, 80) in ≤ 5 s at ≥ 99 % of the bound, (1000, 200, 8, 200)
in ≤ 30 s at ≥ 98 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ateliers.schedule.generate import generate
from ateliers.schedule.solver import solve
from ateliers.schedule.validate import violations

SIZES = [
    (40, 12, 4, 12),
    (300, 80, 6, 40),
    (1000, 200, 8, 120),
    (300, 80, 6, 80),
    (1000, 200, 8, 200),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="only the smallest size")
    parser.add_argument(
        "--availability",
        type=float,
        default=0.3,
        help="share of experts there only part of the day (default 0.3)",
    )
    args = parser.parse_args()
    header = (
        f"{'orgs':>5} {'exp':>4} {'rnd':>3} {'tab':>4} {'seed':>4} {'secs':>6} {'meet':>5} "
        f"{'served':>6} {'fit':>6} {'objective':>9} {'bound':>9} {'ratio':>7} valid"
    )
    print(header)
    for size in SIZES[:1] if args.quick else SIZES:
        for seed in range(args.seeds):
            problem = generate(*size, seed=seed, partial_availability=args.availability)
            started = time.perf_counter()
            solution = solve(problem)
            secs = time.perf_counter() - started
            s = solution.stats
            ratio = s["objective"] / s["upper_bound"] if s["upper_bound"] else 1.0
            valid = "yes" if not violations(problem, solution.meetings) else "NO"
            print(
                f"{size[0]:>5} {size[1]:>4} {size[2]:>3} {size[3]:>4} {seed:>4} {secs:>6.2f} "
                f"{s['meetings']:>5} {s['organizations_served']:>6} {s['fit']:>6} "
                f"{s['objective']:>9} {s['upper_bound']:>9.0f} {ratio:>7.2%} {valid}",
                flush=True,
            )


if __name__ == "__main__":
    main()
