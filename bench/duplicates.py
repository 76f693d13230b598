"""Duplicate suggestions: quality on the labelled set, and time for a large board.

    .venv/bin/python bench/duplicates.py [--threshold 0.5] [--board 2000]

Prints precision and recall of the proposed pairs on ``bench/duplicates_set.json`` (ideas
in French and English, with their true duplicate groups), at the shipped threshold and
around it, then the time to suggest for a board of ``--board`` ideas (the labelled ideas
repeated with small variations), with a baseline from the same run (tokenising only)
and the load average.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ateliers import duplicates  # noqa: E402

SET = Path(__file__).with_name("duplicates_set.json")


def labelled() -> tuple[list[tuple[int, str]], set[tuple[int, int]]]:
    data = json.loads(SET.read_text())
    ideas, truth = [], set()
    for group in data["groups"]:
        ids = []
        for text in group:
            ids.append(len(ideas) + 1)
            ideas.append((len(ideas) + 1, text))
        truth.update(itertools.combinations(ids, 2))
    for text in data["singles"]:
        ideas.append((len(ideas) + 1, text))
    return ideas, truth


def quality(threshold: float) -> dict:
    ideas, truth = labelled()
    proposed = {(p.a, p.b) for p in duplicates.similar_pairs(ideas, threshold=threshold)}
    hits = len(proposed & truth)
    return {
        "threshold": threshold,
        "ideas": len(ideas),
        "true_pairs": len(truth),
        "proposed": len(proposed),
        "precision": hits / len(proposed) if proposed else 1.0,
        "recall": hits / len(truth),
        "false": sorted(proposed - truth),
    }


def board(size: int) -> list[tuple[int, str]]:
    """A big board: the labelled ideas again and again, each copy slightly changed."""
    rng = random.Random(18)
    ideas, _truth = labelled()
    texts = [text for _pk, text in ideas]
    extra = ["svp", "merci", "urgent", "please", "idée", "idea", "2026", "pour tous"]
    return [
        (i + 1, f"{texts[i % len(texts)]} {rng.choice(extra)} {rng.randint(1, 999)}")
        for i in range(size)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=duplicates.THRESHOLD)
    parser.add_argument("--board", type=int, default=2000)
    args = parser.parse_args()
    shipped = quality(args.threshold)
    print(f"labelled set: {shipped['ideas']} ideas, {shipped['true_pairs']} duplicate pairs")
    for t in sorted(
        {
            args.threshold - 0.1,
            args.threshold - 0.05,
            args.threshold,
            args.threshold + 0.05,
            args.threshold + 0.1,
        }
    ):
        q = quality(round(t, 3))
        mark = "  <- shipped" if abs(t - args.threshold) < 1e-9 else ""
        print(
            f"  threshold {t:.2f}: proposed {q['proposed']:4d}  precision {q['precision']:.3f}"
            f"  recall {q['recall']:.3f}{mark}"
        )
    # The glossary was written alongside the labelled set: without it, the figure shows
    # what the normalisation and n-grams alone achieve on this set.
    glossary, phrase = duplicates.GLOSSARY, duplicates._PHRASE
    duplicates.GLOSSARY, duplicates._PHRASE = {}, re.compile(r"(?!)")
    bare = quality(args.threshold)
    duplicates.GLOSSARY, duplicates._PHRASE = glossary, phrase
    print(
        f"  without the glossary at {args.threshold:.2f}: proposed {bare['proposed']:4d}"
        f"  precision {bare['precision']:.3f}  recall {bare['recall']:.3f}"
    )
    ideas = dict(labelled()[0])
    for a, b in shipped["false"][:10]:
        print(f"  false pair: {ideas[a]!r} ~ {ideas[b]!r}")
    big = board(args.board)
    started = time.perf_counter()
    for _pk, text in big:
        duplicates.terms(text)
    baseline = time.perf_counter() - started
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        pairs = duplicates.similar_pairs(big, threshold=args.threshold)
        duplicates.groups(pairs)
        runs.append(time.perf_counter() - started)
    print(
        f"board of {len(big)} ideas: suggest {min(runs) * 1000:.0f} ms (best of 3, "
        f"median {sorted(runs)[1] * 1000:.0f} ms), {len(pairs)} pairs; baseline "
        f"(tokenising only) {baseline * 1000:.0f} ms; load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
