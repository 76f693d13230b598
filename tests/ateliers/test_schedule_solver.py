"""The pure schedule solver: every hard constraint, optimality on small cases, pins, input."""

from __future__ import annotations

import itertools
import random

import pytest

from ateliers.schedule.solver import (
    Expert,
    Org,
    Pin,
    Problem,
    ProblemError,
    _Solver,
    solve,
)
from ateliers.schedule.validate import objective, violations
from tests.schedule_events import expert, generate


def org(i, needs, langs=("fr",), max_meetings=None):
    return Org(id=i, languages=frozenset(langs), needs=needs, max_meetings=max_meetings)


def assert_valid(problem, solution):
    assert violations(problem, solution.meetings) == []
    stats = solution.stats
    assert stats["objective"] == objective(solution.meetings)
    assert stats["fit"] == sum(m.fit for m in solution.meetings)
    assert stats["organizations_served"] == len({m.organization for m in solution.meetings})
    assert stats["objective"] <= stats["upper_bound"] + 1e-6


def brute_force(problem: Problem) -> int:
    """The best objective by trying every set of (org, expert, round) meetings."""
    triples = []
    for o in problem.organizations:
        for e in problem.experts:
            f = sum(w for s, w in o.needs.items() if s in e.skills)
            if f <= 0 or not (o.languages & e.languages) or (o.id, e.id) in problem.forbidden:
                continue
            for r in range(1, problem.rounds + 1):
                if (e.rounds is None or r in e.rounds) and (o.rounds is None or r in o.rounds):
                    triples.append((o.id, e.id, r, f))
    org_cap = {o.id: problem.org_cap(o) for o in problem.organizations}
    expert_cap = {e.id: problem.expert_cap(e) for e in problem.experts}
    best = 0

    def rec(i, busy, pairs, per_round, per_org, value, served):
        nonlocal best
        best = max(best, value + 10 * len(served))
        for j in range(i, len(triples)):
            o, e, r, f = triples[j]
            if (
                ("o", o, r) in busy
                or ("e", e, r) in busy
                or (o, e) in pairs
                or per_round.get(r, 0) >= problem.tables
                or per_org.get(o, 0) >= org_cap[o]
                or per_org.get(e, 0) >= expert_cap[e]
            ):
                continue
            busy |= {("o", o, r), ("e", e, r)}
            pairs.add((o, e))
            per_round[r] = per_round.get(r, 0) + 1
            per_org[o] = per_org.get(o, 0) + 1
            per_org[e] = per_org.get(e, 0) + 1
            rec(j + 1, busy, pairs, per_round, per_org, value + f, served | {o})
            busy -= {("o", o, r), ("e", e, r)}
            pairs.discard((o, e))
            per_round[r] -= 1
            per_org[o] -= 1
            per_org[e] -= 1

    # per_org counts organisations (ids < 100) and experts (ids ≥ 100) alike: disjoint ids
    busy, pairs, per_round, per_org, value = set(), set(), {}, {}, 0
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    for pin in problem.pinned:
        busy |= {("o", pin.organization, pin.round), ("e", pin.expert, pin.round)}
        pairs.add((pin.organization, pin.expert))
        per_round[pin.round] = per_round.get(pin.round, 0) + 1
        per_org[pin.organization] = per_org.get(pin.organization, 0) + 1
        per_org[pin.expert] = per_org.get(pin.expert, 0) + 1
        o, e = orgs[pin.organization], experts[pin.expert]
        value += sum(w for s, w in o.needs.items() if s in e.skills)
    served = frozenset(pin.organization for pin in problem.pinned)
    rec(0, busy, pairs, per_round, per_org, value, served)
    return best


def tiny(seed: int, *, wishes: bool = False) -> Problem:
    """A random instance small enough for the brute force; ``wishes`` adds each
    registration's own cap (an organisation's wish, an expert's limit)."""
    rng = random.Random(seed)
    skills = ["a", "b", "c"]
    orgs = [
        org(
            i,
            {s: rng.choice((1, 2, 3)) for s in rng.sample(skills, rng.randint(1, 2))},
            rng.choice((("fr",), ("en",), ("fr", "en"))),
        )
        for i in range(1, rng.randint(2, 4) + 1)
    ]
    rounds = rng.randint(1, 3)
    experts = [
        expert(
            100 + j,
            rng.sample(skills, rng.randint(1, 2)),
            rng.choice((("fr",), ("en",), ("fr", "en"))),
            rng.choice((None, None, {1}, {rounds})),
        )
        for j in range(rng.randint(1, 3))
    ]
    if wishes:
        orgs = [
            Org(
                o.id,
                o.languages,
                o.needs,
                rounds=rng.choice((None, None, frozenset({1}), frozenset({rounds}))),
                max_meetings=rng.choice((None, 1, 2, 3)),
            )
            for o in orgs
        ]
        experts = [
            Expert(e.id, e.languages, e.skills, e.rounds, max_meetings=rng.choice((None, 0, 1, 2)))
            for e in experts
        ]
    return Problem(
        organizations=orgs,
        experts=experts,
        rounds=rounds,
        tables=rng.randint(1, 3 if wishes else 2),
        max_meetings_per_organization=rng.choice((None, 1, 2, 3) if wishes else (None, 1, 2)),
    )


@pytest.mark.parametrize("seed", range(40))
def test_tiny_instances_reach_the_brute_force_optimum(seed):
    problem = tiny(seed)
    solution = solve(problem)
    assert_valid(problem, solution)
    best = brute_force(problem)
    assert solution.stats["objective"] == best
    assert solution.stats["upper_bound"] >= best


@pytest.mark.parametrize("seed", range(25))
def test_tiny_instances_with_pins_and_removals_reach_the_brute_force_optimum(seed):
    problem = tiny(1000 + seed)
    first = solve(problem)
    rng = random.Random(seed)
    if first.meetings:
        kept = rng.choice(first.meetings)
        problem.pinned = [Pin(kept.organization, kept.expert, kept.round)]
        others = [m for m in first.meetings if m is not kept]
        if others:
            gone = rng.choice(others)
            problem.forbidden = {(gone.organization, gone.expert)}
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == brute_force(problem)


@pytest.mark.parametrize("seed", range(60))
def test_tiny_instances_with_per_registration_caps_reach_the_brute_force_optimum(seed):
    problem = tiny(5000 + seed, wishes=True)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == brute_force(problem)


@pytest.mark.parametrize("seed", range(20))
def test_tiny_instances_with_caps_and_pins_reach_the_brute_force_optimum(seed):
    problem = tiny(7000 + seed, wishes=True)
    first = solve(problem)
    if first.meetings:
        kept = random.Random(seed).choice(first.meetings)
        problem.pinned = [Pin(kept.organization, kept.expert, kept.round)]
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == brute_force(problem)


def test_each_registration_cap_is_respected_and_the_bound_knows_it():
    """Org 1 wants one meeting though the event allows three; expert 100 gives one only."""
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 3}, max_meetings=1), org(2, {"a": 1})],
        experts=[expert(100, {"a"}, max_meetings=1), expert(101, {"b"}), expert(102, {"a"})],
        rounds=3,
        tables=3,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    per_org = {o: sum(m.organization == o for m in solution.meetings) for o in (1, 2)}
    assert per_org[1] == 1
    assert sum(m.expert == 100 for m in solution.meetings) <= 1
    # org 1: one meeting (fit 3); org 2: experts 100 and 102 (fit 1 each); bonus 2 × 10
    assert solution.stats["objective"] == brute_force(problem) == 25
    assert solution.stats["upper_bound"] == 25
    assert solution.stats["optimal"]


def test_organisations_meet_only_when_they_are_available():
    problem = Problem(
        organizations=[
            Org(1, frozenset({"fr"}), {"a": 3}, rounds=frozenset({2})),
            org(2, {"a": 1}),
        ],
        experts=[expert(100, {"a"})],
        rounds=2,
        tables=1,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert {(m.organization, m.round) for m in solution.meetings} == {(1, 2), (2, 1)}
    from ateliers.schedule.solver import Meeting

    found = violations(problem, [Meeting(1, 100, 1, 1, 3)])
    assert any("organisation is not available" in f for f in found)


def test_the_validator_catches_a_registration_cap():
    from ateliers.schedule.solver import Meeting

    problem = Problem(
        organizations=[org(1, {"a": 3}, max_meetings=1), org(2, {"a": 3})],
        experts=[expert(100, {"a"}), expert(101, {"a"}, max_meetings=1)],
        rounds=2,
        tables=2,
    )
    bad = [Meeting(1, 100, 1, 1, 3), Meeting(1, 101, 2, 1, 3), Meeting(2, 101, 1, 2, 3)]
    found = " | ".join(violations(problem, bad))
    assert "organisation 1 has 2 meetings, more than 1" in found
    assert "expert 101 has 2 meetings, more than 1" in found


@pytest.mark.parametrize("seed", [0, 1])
def test_generated_instances_with_wishes_reach_the_bound(seed):
    problem = generate(120, 30, 6, 20, seed=seed, wishes=True)
    assert any(o.max_meetings is not None for o in problem.organizations)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] >= 0.995 * solution.stats["upper_bound"]


@pytest.mark.parametrize(
    "size",
    [(40, 12, 4, 12), (60, 15, 4, 6), (120, 30, 6, 20), (120, 30, 6, 30), (80, 40, 3, 40)],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_generated_instances_are_valid_and_near_the_bound(size, seed):
    problem = generate(*size, seed=seed, partial_availability=0.5)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] >= 0.97 * solution.stats["upper_bound"]


def test_max_meetings_per_organization_is_respected():
    problem = generate(30, 20, 6, 20, seed=3, max_meetings_per_organization=2)
    solution = solve(problem)
    assert_valid(problem, solution)
    per_org = {}
    for m in solution.meetings:
        per_org[m.organization] = per_org.get(m.organization, 0) + 1
    assert max(per_org.values()) == 2


def test_nobody_shares_a_language():
    problem = Problem(
        organizations=[org(i, {"a": 3}, ("fr",)) for i in range(1, 6)],
        experts=[expert(100 + j, {"a"}, ("en",)) for j in range(3)],
        rounds=3,
        tables=5,
    )
    solution = solve(problem)
    assert solution.meetings == []
    assert solution.stats["objective"] == 0
    assert solution.stats["upper_bound"] == 0


def test_more_organisations_than_seats_serves_as_many_as_there_are_seats():
    problem = Problem(
        organizations=[org(i, {"a": 1 + i % 3}) for i in range(1, 21)],
        experts=[expert(100 + j, {"a"}) for j in range(4)],
        rounds=2,
        tables=3,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert len(solution.meetings) == 6
    assert solution.stats["organizations_served"] == 6
    # the bonus makes six different organisations, and the most urgent ones
    assert solution.stats["objective"] == 6 * 10 + 6 * 3


def test_an_expert_available_in_no_round_meets_nobody():
    problem = Problem(
        organizations=[org(1, {"a": 3}), org(2, {"b": 3})],
        experts=[expert(100, {"a", "b"}, rounds=set()), expert(101, {"b"})],
        rounds=2,
        tables=2,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert {m.expert for m in solution.meetings} == {101}


def test_spreading_beats_piling_up():
    """Two rounds: one expert, two organisations; the second has the smaller need."""
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 3}), org(2, {"a": 1})],
        experts=[expert(100, {"a", "b"}), expert(101, {"a"})],
        rounds=1,
        tables=2,
    )
    solution = solve(problem)
    assert {m.organization for m in solution.meetings} == {1, 2}


def test_pins_are_kept_and_removed_pairs_never_meet():
    problem = generate(40, 12, 4, 12, seed=5)
    first = solve(problem)
    kept = first.meetings[0]
    removed = first.meetings[1]
    pin = Pin(kept.organization, kept.expert, (kept.round % 4) + 1 if False else kept.round, 7)
    problem.pinned = [pin]
    problem.forbidden = {(removed.organization, removed.expert)}
    second = solve(problem)
    assert_valid(problem, second)
    pinned = [m for m in second.meetings if m.pinned]
    assert [(m.organization, m.expert, m.round, m.table) for m in pinned] == [
        (kept.organization, kept.expert, kept.round, 7)
    ]
    assert (removed.organization, removed.expert) not in {
        (m.organization, m.expert) for m in second.meetings
    }


def test_a_pin_in_another_round_moves_the_rest_around_it():
    problem = Problem(
        organizations=[org(1, {"a": 3}), org(2, {"a": 2})],
        experts=[expert(100, {"a"})],
        rounds=2,
        tables=1,
        pinned=[Pin(2, 100, 1)],
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert {(m.organization, m.round) for m in solution.meetings} == {(2, 1), (1, 2)}


def test_the_same_input_gives_the_same_schedule():
    a = solve(generate(300, 80, 6, 40, seed=1))
    b = solve(generate(300, 80, 6, 40, seed=1))
    assert a.meetings == b.meetings
    assert {k: v for k, v in a.stats.items() if k != "seconds"} == {
        k: v for k, v in b.stats.items() if k != "seconds"
    }


def test_an_expert_keeps_a_table_across_rounds_when_possible():
    problem = generate(60, 10, 4, 10, seed=2, partial_availability=0)
    solution = solve(problem)
    tables = {}
    for m in solution.meetings:
        tables.setdefault(m.expert, set()).add(m.table)
    assert all(len(t) == 1 for t in tables.values())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rounds": 0}, "rounds"),
        ({"tables": 0}, "tables"),
        ({"max_meetings_per_organization": -1}, "max_meetings_per_organization"),
        ({"pinned": [Pin(1, 100, 3)]}, "pinned"),
        ({"pinned": [Pin(1, 999, 1)]}, "pinned"),
        ({"pinned": [Pin(1, 100, 1), Pin(2, 100, 1)]}, "pinned"),
        ({"pinned": [Pin(3, 100, 1)]}, "pinned"),
        ({"pinned": [Pin(1, 101, 2)]}, "pinned"),
        ({"experts": [expert(100, {"a"}, rounds={5})]}, "experts"),
        ({"organizations": [org(1, {"a": 1}), org(1, {"a": 1})]}, "organizations"),
    ],
)
def test_bad_input_is_refused_with_the_field(changes, field):
    base = {
        "organizations": [org(1, {"a": 3}), org(2, {"a": 1}), org(3, {"a": 1}, ("en",))],
        "experts": [expert(100, {"a"}), expert(101, {"a"}, rounds={1})],
        "rounds": 2,
        "tables": 2,
    }
    base.update(changes)
    with pytest.raises(ProblemError) as info:
        solve(Problem(**base))
    assert field in info.value.errors


def test_the_validator_catches_every_broken_rule():
    from ateliers.schedule.solver import Meeting

    problem = Problem(
        organizations=[org(1, {"a": 3}), org(2, {"a": 1}, ("en",))],
        experts=[expert(100, {"a"}, rounds={1}), expert(101, {"b"})],
        rounds=2,
        tables=1,
        max_meetings_per_organization=1,
    )
    bad = [
        Meeting(1, 100, 1, 1, 3),
        Meeting(1, 100, 2, 1, 3),  # pair twice, expert unavailable, org over its maximum
        Meeting(2, 101, 1, 1, 1),  # no language, no fit, wrong fit, table and round full
        Meeting(1, 101, 3, 2, 0),  # no such round/table, no fit
    ]
    found = " | ".join(violations(problem, bad))
    for words in (
        "twice",
        "not available",
        "more than 1",
        "no shared language",
        "no positive fit",
        "reported",
        "table 1 twice",
        "no such round",
        "no such table",
        "meets 2 times",
        "round 1 has 2 meetings",
    ):
        assert words in found


def test_brute_force_helper_is_itself_right():
    problem = Problem(
        organizations=[org(1, {"a": 3}), org(2, {"a": 2})],
        experts=[expert(100, {"a"})],
        rounds=1,
        tables=1,
    )
    assert brute_force(problem) == 13
    assert list(itertools.islice(iter(range(3)), 2)) == [0, 1]


@pytest.mark.parametrize("limit", [0.3, 1.5])
def test_the_time_limit_holds_and_the_schedule_found_by_then_is_valid(limit):
    """The clock is read in every step: past the limit (±1 s) the best valid schedule found
    so far comes back, with a bound that is still an upper bound."""
    import time

    problem = generate(800, 200, 8, 120, seed=4, partial_availability=0.6)
    started = time.monotonic()
    solution = solve(problem, time_limit=limit)
    assert time.monotonic() - started <= limit + 1.0
    assert_valid(problem, solution)
    assert solution.stats["objective"] <= solution.stats["upper_bound"]


def test_a_crude_bound_when_the_lp_has_no_time_is_still_an_upper_bound():
    for seed in range(15):
        problem = tiny(9000 + seed, wishes=True)
        assert _Solver(problem).crude_bound() >= brute_force(problem)


@pytest.mark.parametrize("seed", range(15))
def test_balancing_the_experts_load_reaches_the_brute_force_optimum(seed):
    problem = tiny(11000 + seed, wishes=True)
    problem.max_meetings_per_expert = 1
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == brute_force(problem)
    per_expert = {}
    for m in solution.meetings:
        per_expert[m.expert] = per_expert.get(m.expert, 0) + 1
    assert max(per_expert.values(), default=0) <= 1


def test_balancing_spreads_a_popular_experts_meetings():
    problem = generate(60, 15, 6, 15, seed=1)
    free = solve(problem)
    busiest = max(sum(m.expert == e.id for m in free.meetings) for e in problem.experts)
    problem.max_meetings_per_expert = 3
    balanced = solve(problem)
    assert_valid(problem, balanced)
    assert busiest > 3
    assert max(sum(m.expert == e.id for m in balanced.meetings) for e in problem.experts) <= 3
