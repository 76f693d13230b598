"""Multi-party meetings (2–3 experts at one table) and organisation priority in the pure
solver and the validator: every hard rule on generated instances, an exhaustive check on
tiny ones, and priority's exact effect when seats are short."""

from __future__ import annotations

import itertools
import random

import pytest

from ateliers.schedule.solver import (
    PRIORITY_WEIGHT,
    SERVED_BONUS,
    Meeting,
    Org,
    Pin,
    Problem,
    ProblemError,
    solve,
)
from ateliers.schedule.validate import objective, violations
from tests.schedule_events import expert, generate


def org(i, needs, langs=("fr",), *, k=1, priority=0, max_meetings=None, rounds=None):
    return Org(
        id=i,
        languages=frozenset(langs),
        needs=needs,
        max_meetings=max_meetings,
        priority=priority,
        experts_per_meeting=k,
        rounds=None if rounds is None else frozenset(rounds),
    )


def assert_valid(problem, solution):
    assert violations(problem, solution.meetings) == []
    stats = solution.stats
    assert stats["objective"] == objective(solution.meetings, problem)
    assert stats["objective"] <= stats["upper_bound"] + 1e-6
    assert stats["multi_party"] == sum(1 for m in solution.meetings if m.co_experts)


# --- the rules, written again here from docs/schedule.md, for the exhaustive check ---------


def group_value(o: Org, group) -> int:
    skills = set().union(*(e.skills for e in group))
    return sum(w for s, w in o.needs.items() if s in skills and w > 0)


def group_allowed(o: Org, group) -> bool:
    """A meeting of ``o`` with ``group`` is allowed on its own (any round aside)."""
    if len(group) > o.experts_per_meeting:
        return False
    if not set(o.languages).intersection(*(e.languages for e in group)):
        return False
    for e in group:
        others = set().union(*(x.skills for x in group if x is not e))
        if not any(w > 0 and s in e.skills and s not in others for s, w in o.needs.items()):
            return False
    return True


def candidates(problem: Problem, *, rules: bool):
    """Every (org, experts, round) meeting; with ``rules``, only those the rules allow."""
    found = []
    for o in problem.organizations:
        for size in range(1, 4):
            for group in itertools.combinations(problem.experts, size):
                if rules and not group_allowed(o, group):
                    continue
                for r in range(1, problem.rounds + 1):
                    if rules and any(e.rounds is not None and r not in e.rounds for e in group):
                        continue
                    if rules and o.rounds is not None and r not in o.rounds:
                        continue
                    found.append((o, group, r))
    return found


def schedules(problem: Problem, pool):
    """Every schedule of meetings from ``pool`` with nobody twice in a round and at most
    ``tables`` meetings a round (tables numbered in order), as solver meetings."""
    by_round = {r: [c for c in pool if c[2] == r] for r in range(1, problem.rounds + 1)}

    def round_sets(items, chosen, start):
        yield list(chosen)
        if len(chosen) == problem.tables:
            return
        for i in range(start, len(items)):
            o, group, _r = items[i]
            if any(o.id == c[0].id or set(group) & set(c[1]) for c in chosen):
                continue
            chosen.append(items[i])
            yield from round_sets(items, chosen, i + 1)
            chosen.pop()

    per_round = [list(round_sets(by_round[r], [], 0)) for r in sorted(by_round)]
    for combo in itertools.product(*per_round):
        meetings = []
        for sets in combo:
            for table, (o, group, r) in enumerate(sets, start=1):
                ids = sorted(e.id for e in group)
                meetings.append(
                    Meeting(
                        o.id, ids[0], r, table, group_value(o, group), (), False, tuple(ids[1:])
                    )
                )
        yield meetings


def brute_rules_hold(problem: Problem, meetings) -> bool:
    """The whole-schedule rules (the per-meeting ones are in ``group_allowed``)."""
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    pairs, per_org, per_expert = set(), {}, {}
    for m in meetings:
        o = orgs[m.organization]
        group = [experts[x] for x in m.experts]
        if not group_allowed(o, group) or m.fit <= 0:
            return False
        if any(e.rounds is not None and m.round not in e.rounds for e in group):
            return False
        if o.rounds is not None and m.round not in o.rounds:
            return False
        for e in group:
            if (o.id, e.id) in pairs or (o.id, e.id) in problem.forbidden:
                return False
            pairs.add((o.id, e.id))
            per_expert[e.id] = per_expert.get(e.id, 0) + 1
        per_org[o.id] = per_org.get(o.id, 0) + 1
    if any(n > problem.org_cap(orgs[o]) for o, n in per_org.items()):
        return False
    return all(n <= problem.expert_cap(experts[e]) for e, n in per_expert.items())


def tiny_multi(seed: int) -> Problem:
    rng = random.Random(seed)
    skills = ["a", "b", "c", "d"]
    orgs = []
    for i in range(2):
        needs = {s: rng.choice((1, 2, 3)) for s in rng.sample(skills, rng.randint(1, 3))}
        langs = rng.choice((("fr",), ("fr", "en"), ("en",)))
        orgs.append(
            org(
                i + 1,
                needs,
                langs,
                k=rng.choice((1, 2, 3)),
                priority=rng.choice((0, 0, 1)),
                max_meetings=rng.choice((None, 1)),
            )
        )
    experts = []
    for j in range(3):
        langs = rng.choice((("fr",), ("fr", "en"), ("en",)))
        rounds = rng.choice((None, None, {1}, {2}))
        experts.append(
            expert(
                10 + j,
                rng.sample(skills, rng.randint(1, 2)),
                langs,
                rounds,
                rng.choice((None, None, 1)),
            )
        )
    return Problem(organizations=orgs, experts=experts, rounds=2, tables=rng.choice((1, 2)))


@pytest.mark.parametrize("seed", range(12))
def test_tiny_multi_party_instances_against_every_possible_schedule(seed):
    """Every schedule of every (org, 1–3 experts, round) meeting, lawful or not: the
    validator accepts exactly those the rules (written again above) allow; the solver's
    schedule is one of them, and its bound is not below the best of them."""
    problem = tiny_multi(seed)
    best = 0
    seen = 0
    for meetings in schedules(problem, candidates(problem, rules=False)):
        seen += 1
        lawful = brute_rules_hold(problem, meetings)
        assert (violations(problem, meetings) == []) == lawful, meetings
        if lawful:
            best = max(best, objective(meetings, problem))
    assert seen > 50
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] <= best <= solution.stats["upper_bound"] + 1e-6


@pytest.mark.parametrize("seed", range(20))
def test_the_solver_reaches_the_exhaustive_optimum_on_tiny_multi_party_instances(seed):
    """The solver is a one-to-one method with experts joining afterwards (not exact in
    general: its bound says how far it may be); on these tiny events it finds the best
    of every possible schedule (60 of 60 seeds tried, 20 kept here)."""
    problem = tiny_multi(100 + seed)
    best = max(
        objective(m, problem)
        for m in schedules(problem, candidates(problem, rules=True))
        if brute_rules_hold(problem, m)
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == best


@pytest.mark.parametrize(
    ("size", "seed"),
    [((60, 20, 4, 8), s) for s in range(4)]
    + [((300, 80, 6, 40), s) for s in range(2)]
    + [((300, 80, 6, 80), 0), ((1000, 200, 8, 120), 0)],
)
def test_generated_multi_party_events_keep_every_hard_rule(size, seed):
    problem = generate(*size, seed=seed, wishes=True, multi_party=0.4, priority=0.2)
    solution = solve(problem, time_limit=20)
    assert_valid(problem, solution)
    for m in solution.meetings:
        assert len(m.experts) <= next(
            o.experts_per_meeting for o in problem.organizations if o.id == m.organization
        )


def test_generated_events_do_get_multi_party_meetings():
    found = 0
    for seed in range(3):
        problem = generate(60, 30, 4, 6, seed=seed, wishes=True, multi_party=0.5)
        solution = solve(problem)
        assert_valid(problem, solution)
        found += solution.stats["multi_party"]
    assert found > 0


def test_one_table_three_experts_each_covering_their_own_need():
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 2, "c": 1}, k=3, max_meetings=1)],
        experts=[expert(10, {"a"}), expert(11, {"b"}), expert(12, {"c", "a"})],
        rounds=1,
        tables=1,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    (m,) = solution.meetings
    # 12 covers "c" and "a"; with 10 ("a") too, 10 would bring nothing of its own
    assert set(m.experts) == {11, 12}
    assert m.fit == 6
    assert solution.stats["objective"] == 6 + SERVED_BONUS


def test_a_group_takes_the_last_seat_when_it_is_worth_more():
    """One seat: alone, the other organisation's meeting is the best pair (3 + 10); the
    group of two experts covering two needs is worth more (2 + 2 + 10)."""
    problem = Problem(
        organizations=[org(1, {"a": 2, "b": 2}, k=2), org(2, {"a": 3})],
        experts=[expert(10, {"a"}), expert(11, {"b"})],
        rounds=1,
        tables=1,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert [(m.organization, m.experts) for m in solution.meetings] == [(1, (10, 11))]
    assert solution.stats["objective"] == 14


def test_an_expert_who_adds_nothing_is_not_seated():
    problem = Problem(
        organizations=[org(1, {"a": 3}, k=3)],
        experts=[expert(10, {"a"}), expert(11, {"a", "b"})],
        rounds=1,
        tables=1,
    )
    (m,) = solve(problem).meetings
    assert m.co_experts == ()


def test_the_group_needs_one_language_for_all():
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 3}, ("fr", "en"), k=2)],
        experts=[expert(10, {"a"}, ("fr",)), expert(11, {"b"}, ("en",))],
        rounds=2,
        tables=1,
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    assert all(m.co_experts == () for m in solution.meetings)
    assert len(solution.meetings) == 2  # one each, in two rounds


def test_a_meeting_moves_to_the_round_where_its_second_expert_is_free():
    one = org(1, {"a": 3, "b": 3}, k=2, max_meetings=1)
    experts = [expert(10, {"a"}), expert(11, {"b"}, rounds={2})]
    problem = Problem(organizations=[one], experts=experts, rounds=2, tables=2)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert [(m.round, m.experts) for m in solution.meetings] == [(2, (10, 11))]
    assert solution.stats["objective"] == 6 + SERVED_BONUS
    # when another organisation needs the second expert, two one-to-one meetings are worth
    # more (3 + 10 + 1 + 10 against 6 + 10) and the solver keeps them
    problem.organizations = [one, org(2, {"b": 1})]
    solution = solve(problem)
    assert_valid(problem, solution)
    assert solution.stats["objective"] == 3 + 1 + 2 * SERVED_BONUS


def test_the_validator_names_each_broken_multi_party_rule():
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 2}, k=2), org(2, {"a": 1})],
        experts=[
            expert(10, {"a"}),
            expert(11, {"b"}),
            expert(12, {"a", "b"}, ("en",)),
            expert(13, {"b"}, rounds={2}),
        ],
        rounds=2,
        tables=2,
    )

    def broken(*meetings):
        return " / ".join(violations(problem, meetings))

    ok = Meeting(1, 10, 1, 1, 5, (), False, (11,))
    assert broken(ok) == ""
    assert "more experts" in broken(Meeting(2, 10, 1, 1, 1, (), False, (11,)))
    assert "no shared language" in broken(Meeting(1, 10, 1, 1, 5, (), False, (12,)))
    assert "covers no need of their own" in broken(Meeting(1, 10, 1, 1, 5, (), False, (12,)))
    assert "not available" in broken(Meeting(1, 10, 1, 1, 5, (), False, (13,)))
    assert "fit 3 reported" in broken(Meeting(1, 10, 1, 1, 3, (), False, (11,)))
    # a co-expert is one person: one place a round, one meeting with the organisation
    assert "expert 11 twice in round 1" in broken(ok, Meeting(2, 11, 1, 2, 0, ()))
    assert "pair 1–11 meets 2 times" in broken(ok, Meeting(1, 11, 2, 1, 2, ()))
    capped = Problem(
        organizations=problem.organizations,
        experts=[expert(10, {"a"}), expert(11, {"b"}, max_meetings=1)],
        rounds=2,
        tables=2,
        forbidden={(1, 11)},
    )
    assert "a removed pair meets" in " ".join(violations(capped, [ok]))
    # the organisation's cap counts a meeting once, however many experts sit at it
    one = Problem(
        organizations=[org(1, {"a": 3, "b": 2}, k=2, max_meetings=1)],
        experts=problem.experts[:2],
        rounds=2,
        tables=1,
    )
    assert violations(one, [ok]) == []


def test_a_pinned_multi_party_meeting_stays_with_all_its_experts():
    problem = Problem(
        organizations=[org(1, {"a": 3, "b": 2}, k=2), org(2, {"a": 2})],
        experts=[expert(10, {"a"}), expert(11, {"b"})],
        rounds=2,
        tables=1,
        pinned=[Pin(1, 10, 2, 1, (11,))],
    )
    solution = solve(problem)
    assert_valid(problem, solution)
    pinned = [m for m in solution.meetings if m.pinned]
    assert [(m.round, m.experts) for m in pinned] == [(2, (10, 11))]
    with pytest.raises(ProblemError):  # 11 would be in two places in round 2
        solve(
            Problem(
                organizations=problem.organizations,
                experts=problem.experts,
                rounds=2,
                tables=2,
                pinned=[Pin(1, 10, 2, 1, (11,)), Pin(2, 11, 2, 2)],
            )
        )


# --- priority ---------------------------------------------------------------------------


def test_priority_gives_the_short_seats_to_the_priority_organisation():
    """One seat: without priority the better fit wins it; with priority 1 the other."""
    strong, weak = org(1, {"a": 3}), org(2, {"a": 1})
    problem = Problem(organizations=[strong, weak], experts=[expert(10, {"a"})], rounds=1, tables=1)
    assert [(m.organization, m.fit) for m in solve(problem).meetings] == [(1, 3)]
    problem.organizations = [strong, org(2, {"a": 1}, priority=1)]
    solution = solve(problem)
    assert_valid(problem, solution)
    assert [(m.organization, m.expert, m.round, m.table, m.fit) for m in solution.meetings] == [
        (2, 10, 1, 1, 1)
    ]
    assert solution.stats["objective"] == 1 + SERVED_BONUS + PRIORITY_WEIGHT
    assert solution.stats["optimal"]


def test_priority_orders_three_organisations_for_two_seats():
    experts = [expert(10, {"a"}), expert(11, {"a"})]
    orgs = [org(1, {"a": 3}), org(2, {"a": 1}, priority=2), org(3, {"a": 2}, priority=1)]
    problem = Problem(organizations=orgs, experts=experts, rounds=1, tables=2)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert sorted(m.organization for m in solution.meetings) == [2, 3]
    # the same seats without priority: the best fits
    problem.organizations = [org(1, {"a": 3}), org(2, {"a": 1}), org(3, {"a": 2})]
    assert sorted(m.organization for m in solve(problem).meetings) == [1, 3]


def test_priority_does_not_take_meetings_away_when_seats_suffice():
    orgs = [org(1, {"a": 3}), org(2, {"a": 1}, priority=3)]
    problem = Problem(organizations=orgs, experts=[expert(10, {"a"})], rounds=2, tables=1)
    solution = solve(problem)
    assert_valid(problem, solution)
    assert sorted(m.organization for m in solution.meetings) == [1, 2]


def test_priority_and_meeting_size_are_checked():
    for bad in (org(1, {"a": 1}, priority=4), org(1, {"a": 1}, k=4), org(1, {"a": 1}, k=0)):
        with pytest.raises(ProblemError) as info:
            solve(Problem(organizations=[bad], experts=[], rounds=1, tables=1))
        assert "organizations" in info.value.errors


def test_without_priority_or_multi_party_nothing_changes():
    """The generator's extra draws come from their own seed: the same event otherwise."""
    plain = generate(300, 80, 6, 40, seed=1, wishes=True)
    same = generate(300, 80, 6, 40, seed=1, wishes=True, multi_party=0.0, priority=0.0)
    assert plain == same
    assert solve(plain).stats["objective"] == 3475


@pytest.mark.parametrize("limit", [0.3, 1.5])
def test_the_time_limit_holds_with_multi_party_groups_and_priorities(limit):
    import time

    problem = generate(800, 200, 8, 100, seed=4, wishes=True, multi_party=0.4, priority=0.2)
    started = time.monotonic()
    solution = solve(problem, time_limit=limit)
    assert time.monotonic() - started <= limit + 1.0
    assert_valid(problem, solution)


@pytest.mark.parametrize("seed", range(8))
def test_the_benchs_reference_milp_finds_the_exhaustive_optimum(seed):
    """``bench/schedule.py``'s reference model of multi-party meetings (what the figures
    in docs/schedule.md are measured against) is right on tiny events."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "schedule.py"
    spec = importlib.util.spec_from_file_location("bench_schedule", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    problem = tiny_multi(2000 + seed)
    best = max(
        objective(m, problem)
        for m in schedules(problem, candidates(problem, rules=True))
        if brute_rules_hold(problem, m)
    )
    _secs, value, _bound, proven = bench.multi_milp(problem, 30)
    assert proven and value == pytest.approx(best)
