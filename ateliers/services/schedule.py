"""Consultation schedule: generate, pin, remove, publish (CONTRACT.md, "Consultation schedule").

The optimisation itself is pure (``ateliers.schedule.solver``); here we read the event's
registrations and help requests, check the organizer's input, save the meetings in one
transaction after the independent validator has accepted them, and, once the schedule is
published, tell every person whose consultations changed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from ..choices import NotificationKind, RegistrationRole, ScheduleStatus
from ..exceptions import Conflict, DomainError, Forbidden
from ..matching import _join
from ..models import (
    AgendaFeed,
    Event,
    ExpertProfile,
    Meeting,
    Notification,
    Organization,
    Registration,
    Schedule,
    User,
)
from ..permissions import is_organizer
from ..realtime.notifications import notify_on_commit
from ..schedule import solver
from ..schedule.validate import violations
from ..selectors.matching import organization_needs
from .unset import UNSET, Unset

logger = logging.getLogger(__name__)

MAX_ROUNDS = 48
MAX_TABLES = 1000


def require_organizer(actor: User) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can do this."))


def _parse_moment(value) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = parse_datetime(value.strip())
        except ValueError:
            return None
    else:
        return None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def clean_rounds(event: Event, rounds) -> list[dict[str, str]]:
    """The rounds as ``[{starts_at, ends_at}]`` ISO strings, or a ValidationError on ``rounds``."""
    if not isinstance(rounds, list | tuple) or not rounds:
        raise ValidationError({"rounds": [_("Give at least one round.")]})
    if len(rounds) > MAX_ROUNDS:
        raise ValidationError({"rounds": [_("At most %(n)d rounds.") % {"n": MAX_ROUNDS}]})
    parsed: list[tuple[datetime, datetime]] = []
    errors: list[str] = []
    for number, item in enumerate(rounds, start=1):
        start = _parse_moment(item.get("starts_at")) if isinstance(item, dict) else None
        end = _parse_moment(item.get("ends_at")) if isinstance(item, dict) else None
        if start is None or end is None:
            errors.append(
                _("Round %(n)d needs starts_at and ends_at as dates and times.") % {"n": number}
            )
            continue
        if end <= start:
            errors.append(_("Round %(n)d must end after it starts.") % {"n": number})
            continue
        if start < event.starts_at or end > event.ends_at:
            errors.append(_("Round %(n)d is outside the event's hours.") % {"n": number})
            continue
        parsed.append((start, end))
    if errors:
        raise ValidationError({"rounds": errors})
    ordered = sorted(parsed)
    for (_s1, e1), (s2, _e2) in pairwise(ordered):
        if s2 < e1:
            raise ValidationError({"rounds": [_("Rounds must not overlap.")]})
    return [{"starts_at": s.isoformat(), "ends_at": e.isoformat()} for s, e in ordered]


def _clean_numbers(tables, max_meetings) -> tuple[int, int | None]:
    errors: dict[str, list[str]] = {}
    if isinstance(tables, bool) or not isinstance(tables, int) or not 1 <= tables <= MAX_TABLES:
        errors["tables"] = [_("Give a number of tables between 1 and %(n)d.") % {"n": MAX_TABLES}]
    if max_meetings is not None and (
        isinstance(max_meetings, bool) or not isinstance(max_meetings, int) or max_meetings < 1
    ):
        errors["max_meetings_per_organization"] = [_("Give a whole number of at least 1.")]
    if errors:
        raise ValidationError(errors)
    return tables, max_meetings


def _expert_rounds(windows, rounds: Sequence[dict]) -> frozenset[int] | None:
    """Rounds (1-based) lying inside one of the windows (an expert's or an organisation's
    availability); None if no windows."""
    if not windows:
        return None
    spans = []
    for window in windows:
        if not isinstance(window, dict):
            continue
        start, end = _parse_moment(window.get("starts_at")), _parse_moment(window.get("ends_at"))
        if start and end:
            spans.append((start, end))
    inside = set()
    for number, item in enumerate(rounds, start=1):
        start, end = _parse_moment(item["starts_at"]), _parse_moment(item["ends_at"])
        if any(s <= start and end <= e for s, e in spans):
            inside.add(number)
    return frozenset(inside)


def co_expert_ids(meeting: Meeting) -> tuple[int, ...]:
    """The other experts of a (saved) multi-party meeting, by id; reads the prefetched
    ``co_experts`` when there is one (``schedule_meetings`` prefetches them)."""
    if meeting.pk is None:
        return ()
    return tuple(sorted(u.pk for u in meeting.co_experts.all()))


def schedule_meetings(schedule: Schedule):
    """The schedule's meetings with their co-experts (two queries)."""
    return schedule.meetings.prefetch_related("co_experts")


def build_problem(schedule: Schedule, *, pins: Iterable[Meeting] = ()) -> solver.Problem:
    """The solver's input from the event's registrations and open help requests."""
    event = schedule.event
    needs = organization_needs(event)
    org_regs = (
        Registration.objects.filter(event=event, role=RegistrationRole.ORGANIZATION)
        .select_related("organization")
        .order_by("organization_id")
    )
    orgs = [
        solver.Org(
            id=reg.organization_id,
            languages=frozenset(reg.organization.languages),
            needs=needs.get(reg.organization_id, {}),
            rounds=_expert_rounds(reg.available, schedule.rounds),
            max_meetings=reg.max_meetings,
            priority=reg.priority,
            experts_per_meeting=reg.experts_per_meeting,
        )
        for reg in org_regs
    ]
    expert_regs = {
        user_id: (available, limit)
        for user_id, available, limit in Registration.objects.filter(
            event=event, role=RegistrationRole.EXPERT
        ).values_list("user_id", "available", "max_meetings")
    }
    windows = {user_id: available for user_id, (available, _limit) in expert_regs.items()}
    profiles = (
        ExpertProfile.objects.filter(user_id__in=list(windows), user__is_active=True)
        .prefetch_related("skills")
        .order_by("user_id")
    )
    experts = [
        solver.Expert(
            id=profile.user_id,
            languages=frozenset(profile.languages),
            skills=frozenset(s.slug for s in profile.skills.all()),
            rounds=_expert_rounds(windows.get(profile.user_id), schedule.rounds),
            max_meetings=expert_regs[profile.user_id][1],
        )
        for profile in profiles
    ]
    known_orgs = {o.id for o in orgs}
    known_experts = {e.id for e in experts}
    size = {o.id: o.experts_per_meeting for o in orgs}
    # a pinned table keeps the co-experts still registered, as many as the organisation's
    # meetings now seat (fewer experts of a valid group still make a valid group)
    pinned = [
        solver.Pin(
            m.organization_id,
            m.expert_id,
            m.round,
            m.table,
            tuple(x for x in co_expert_ids(m) if x in known_experts)[: size[m.organization_id] - 1],
        )
        for m in pins
        if m.organization_id in known_orgs and m.expert_id in known_experts
    ]
    return solver.Problem(
        organizations=orgs,
        experts=experts,
        rounds=len(schedule.rounds),
        tables=schedule.tables,
        max_meetings_per_organization=schedule.max_meetings_per_organization,
        max_meetings_per_expert=schedule.max_meetings_per_expert,
        pinned=pinned,
        forbidden={(int(o), int(e)) for o, e in schedule.removed},
    )


@dataclass(frozen=True)
class Change:
    """One meeting that an organizer's act added, moved or cancelled (``before``/``after``
    are ``(round, table)``, ``None`` when it did not exist)."""

    kind: str  # "added" | "moved" | "removed"
    organization: int
    expert: int
    before: tuple[int, int] | None
    after: tuple[int, int] | None
    meeting: int | None = None
    co_experts: tuple[int, ...] = ()

    @property
    def experts(self) -> tuple[int, ...]:
        return (self.expert, *self.co_experts)


def _solve_and_save(
    schedule: Schedule, *, pins: Sequence[Meeting], keep: Sequence[Meeting] = ()
) -> Schedule:
    """Solve around ``pins`` (the organizer's) and ``keep`` (meetings that must not move),
    validate independently, save the difference; returns the schedule with ``changes``."""
    problem = build_problem(schedule, pins=[*pins, *keep])
    try:
        solution = solver.solve(problem, time_limit=getattr(settings, "SCHEDULE_TIME_LIMIT", 20.0))
    except solver.ProblemError as exc:
        raise ValidationError(exc.errors) from exc
    organizer_pins = {(m.organization_id, m.expert_id) for m in pins}
    return _save(schedule, problem, solution.meetings, organizer_pins, stats=solution.stats)


def _save(
    schedule: Schedule,
    problem: solver.Problem,
    meetings: Sequence[solver.Meeting],
    organizer_pins: set[tuple[int, int]],
    *,
    stats: dict,
    check: bool = True,
) -> Schedule:
    """Check every hard rule independently, then write only what changed: a meeting that
    stays where it was keeps its row (and id); the others are cancelled, moved or added.
    ``schedule.changes`` lists them, and once published each person affected is told."""
    broken = violations(problem, meetings) if check else []
    if broken:  # the solver is wrong: never save a schedule that breaks a rule
        logger.error("schedule %s: solver broke rules: %s", schedule.pk, broken[:5])
        raise DomainError(_("The schedule could not be built within the rules."))
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    old = {(m.organization_id, m.expert_id): m for m in schedule_meetings(schedule)}
    new = {(m.organization, m.expert): m for m in meetings}
    place = {pair: (m.round, m.table) for pair, m in old.items()}
    old_co = {pair: co_expert_ids(m) for pair, m in old.items()}
    # a meeting whose experts changed is another meeting: the old one is cancelled
    gone = [
        pair for pair in old if pair not in new or set(old_co[pair]) != set(new[pair].co_experts)
    ]
    moved = [
        pair
        for pair in old
        if pair in new
        and pair not in gone
        and (old[pair].round, old[pair].table) != (new[pair].round, new[pair].table)
    ]
    Meeting.objects.filter(pk__in=[old[pair].pk for pair in gone]).delete()
    # Moved rows go to a parking round of their own first (1000 + i, one meeting each), so
    # no uniqueness constraint sees two meetings in one place while they change places.
    parked = []
    for i, pair in enumerate(moved):
        row = old[pair]
        row.round, row.table = 1000 + i, 1
        parked.append(row)
    Meeting.objects.bulk_update(parked, ["round", "table"])
    kept = []
    for pair, row in old.items():
        if pair in gone:
            continue
        m = new[pair]
        row.round, row.table, row.fit = m.round, m.table, m.fit
        row.skills = list(m.reasons)
        row.languages = _languages(orgs[pair[0]], [experts[x] for x in m.experts])
        row.pinned = pair in organizer_pins or (row.pinned and m.pinned)
        kept.append(row)
    Meeting.objects.bulk_update(kept, ["round", "table", "fit", "skills", "languages", "pinned"])
    rows = []
    for pair, m in new.items():
        if pair in old and pair not in gone:
            continue
        rows.append(
            Meeting(
                schedule=schedule,
                organization_id=m.organization,
                expert_id=m.expert,
                round=m.round,
                table=m.table,
                fit=m.fit,
                skills=list(m.reasons),
                languages=_languages(orgs[m.organization], [experts[x] for x in m.experts]),
                pinned=pair in organizer_pins,
            )
        )
    # The validator above checked every rule across rows (the database's constraints guard
    # them again); per row, only the fields' own checks remain, without a query each.
    for row in rows:
        row.clean_fields(exclude=["schedule", "organization", "expert"])
    created = Meeting.objects.bulk_create(rows)
    Meeting.co_experts.through.objects.bulk_create(
        Meeting.co_experts.through(meeting_id=row.pk, user_id=x)
        for row in created
        for x in new[(row.organization_id, row.expert_id)].co_experts
    )
    schedule.stats = dict(stats)
    schedule.full_clean()
    schedule.save()
    schedule.changes = [
        *(Change("removed", *pair, place[pair], None, co_experts=old_co[pair]) for pair in gone),
        *(
            Change(
                "moved",
                *pair,
                place[pair],
                (new[pair].round, new[pair].table),
                old[pair].pk,
                old_co[pair],
            )
            for pair in moved
        ),
        *(
            Change(
                "added",
                m.organization_id,
                m.expert_id,
                None,
                (m.round, m.table),
                m.pk,
                tuple(new[(m.organization_id, m.expert_id)].co_experts),
            )
            for m in created
        ),
    ]
    if schedule.is_published:
        _notify_changes(schedule, schedule.changes)
    return schedule


def _languages(org: solver.Org, experts: Sequence[solver.Expert]) -> list[str]:
    """The languages everyone at the table speaks."""
    common = set(org.languages)
    for ex in experts:
        common &= ex.languages
    return sorted(common)


@transaction.atomic
def schedule_generate(
    *,
    actor: User,
    event: Event,
    rounds: list,
    tables: int,
    max_meetings_per_organization: int | None = None,
    keep_pins: bool = True,
    max_meetings_per_expert: int | None = None,
) -> Schedule:
    """Build (or rebuild) the event's consultation rounds; pinned meetings stay put."""
    require_organizer(actor)
    cleaned = clean_rounds(event, rounds)
    tables, max_meetings_per_organization = _clean_numbers(tables, max_meetings_per_organization)
    if max_meetings_per_expert is not None and (
        isinstance(max_meetings_per_expert, bool)
        or not isinstance(max_meetings_per_expert, int)
        or max_meetings_per_expert < 1
    ):
        raise ValidationError(
            {"max_meetings_per_expert": [_("Give a whole number of at least 1.")]}
        )
    schedule = Schedule.objects.select_for_update().filter(event=event).first()
    if schedule is None:
        schedule = Schedule(event=event, tables=tables)
    pins: list[Meeting] = []
    if schedule.pk and keep_pins:
        pins = [
            m
            for m in schedule_meetings(schedule).filter(pinned=True)
            if m.round <= len(cleaned) and m.table <= tables
        ]
    if not keep_pins:
        schedule.removed = []
    schedule.rounds = cleaned
    schedule.tables = tables
    schedule.max_meetings_per_organization = max_meetings_per_organization
    schedule.max_meetings_per_expert = max_meetings_per_expert
    schedule.generated_by = actor
    schedule.full_clean(exclude=["event"] if not schedule.pk else None)
    schedule.save()
    return _solve_and_save(schedule, pins=pins)


def _locked(schedule: Schedule) -> Schedule:
    return Schedule.objects.select_for_update().select_related("event").get(pk=schedule.pk)


@transaction.atomic
def meeting_pin(
    *,
    actor: User,
    schedule: Schedule,
    meeting: Meeting | None = None,
    organization: Organization | None = None,
    expert: User | None = None,
    round: int | None = None,
    table: int | None = None,
    pinned: bool = True,
) -> Schedule:
    """Pin a meeting where it is, or pin a new (organisation, expert, round[, table]) meeting
    and re-solve around the pins; ``pinned=False`` frees a pinned meeting again."""
    require_organizer(actor)
    schedule = _locked(schedule)
    schedule.changes = []
    if meeting is not None:
        if meeting.schedule_id != schedule.pk:
            raise ValidationError({"meeting": [_("This meeting is not in this schedule.")]})
        Meeting.objects.filter(pk=meeting.pk).update(pinned=pinned)
        return schedule
    if organization is None or expert is None or round is None:
        raise ValidationError(
            {"meeting": [_("Give a meeting, or an organisation, an expert and a round.")]}
        )
    if (
        isinstance(round, bool)
        or not isinstance(round, int)
        or not 1 <= round <= len(schedule.rounds)
    ):
        raise ValidationError({"round": [_("There is no such round.")]})
    if table is not None and (
        isinstance(table, bool) or not isinstance(table, int) or not 1 <= table <= schedule.tables
    ):
        raise ValidationError({"table": [_("There is no such table.")]})
    pair = [organization.pk, expert.pk]
    known = build_problem(schedule)
    if organization.pk not in {o.id for o in known.organizations}:
        raise ValidationError({"organization": [_("This organisation is not registered.")]})
    if expert.pk not in {e.id for e in known.experts}:
        raise ValidationError({"expert": [_("This expert is not registered.")]})
    schedule.removed = [p for p in schedule.removed if list(p) != pair]
    if schedule.is_published:
        return _move_only(schedule, known, organization, expert, round, table)
    pins = [
        m
        for m in schedule_meetings(schedule).filter(pinned=True)
        if [m.organization_id, m.expert_id] != pair
    ]
    pins.append(
        Meeting(
            schedule=schedule, organization=organization, expert=expert, round=round, table=table
        )
    )
    return _solve_and_save(schedule, pins=pins)


def _as_solver_meeting(m: Meeting) -> solver.Meeting:
    return solver.Meeting(
        m.organization_id,
        m.expert_id,
        m.round,
        m.table,
        m.fit,
        tuple(m.skills),
        m.pinned,
        co_expert_ids(m),
    )


def _move_only(
    schedule: Schedule,
    problem: solver.Problem,
    organization: Organization,
    expert: User,
    round: int,
    table: int | None,
) -> Schedule:
    """After publishing: seat this pair there, pinned, and change nobody else. Whoever is
    in the way is named in a 409, never moved: the organizer decides what to do with them."""
    current = list(schedule_meetings(schedule).select_related("organization", "expert"))
    pair = (organization.pk, expert.pk)
    mine = next((m for m in current if (m.organization_id, m.expert_id) == pair), None)
    others = [m for m in current if m is not mine]
    org = next(o for o in problem.organizations if o.id == organization.pk)
    ex = next(e for e in problem.experts if e.id == expert.pk)
    # a multi-party meeting moves with all its experts
    co = co_expert_ids(mine) if mine is not None else ()
    by_id = {e.id: e for e in problem.experts}
    group = [ex, *(by_id[x] for x in co if x in by_id)]
    value, covered = solver.group_fit(org, group) if co else solver.fit(org, ex)
    errors = []
    if not solver.shares_language(org, ex):
        errors.append(_("They share no language."))
    if value <= 0:
        errors.append(_("The expert covers none of the organisation's needs."))
    if any(x.rounds is not None and round not in x.rounds for x in group):
        errors.append(_("The expert is not available in this round."))
    if mine is None and any(
        org.id == m.organization_id and ex.id in co_expert_ids(m) for m in others
    ):
        errors.append(_("This expert already meets the organisation with other experts."))
    if org.rounds is not None and round not in org.rounds:
        errors.append(_("The organisation is not available in this round."))
    if mine is None and sum(m.organization_id == org.id for m in others) >= problem.org_cap(org):
        errors.append(_("The organisation already has all the meetings it may have."))
    if mine is None and sum(
        ex.id in (m.expert_id, *co_expert_ids(m)) for m in others
    ) >= problem.expert_cap(ex):
        errors.append(_("The expert already has all the meetings they may have."))
    if errors:
        raise ValidationError({"pinned": errors})
    in_round = [m for m in others if m.round == round]
    seated = {x.id for x in group}
    in_the_way = [
        m
        for m in in_round
        if m.organization_id == org.id or seated & {m.expert_id, *co_expert_ids(m)}
    ]
    if table is None:
        taken = {m.table for m in in_round}
        preferred = [mine.table] if mine is not None else []
        free = [t for t in [*preferred, *range(1, schedule.tables + 1)] if t not in taken]
        if not free and not in_the_way:
            raise Conflict(_("Every table is taken in this round."), code="round_full")
        table = free[0] if free else 1
    in_the_way += [m for m in in_round if m.table == table and m not in in_the_way]
    if in_the_way:
        raise Conflict(
            _("In the way in round %(round)d: %(meetings)s. Move or remove it first.")
            % {
                "round": round,
                "meetings": "; ".join(
                    _("%(org)s with %(expert)s at table %(table)d")
                    % {"org": m.organization.name, "expert": m.expert.public_name, "table": m.table}
                    for m in in_the_way
                ),
            },
            code="meeting_in_the_way",
        )
    meetings = [_as_solver_meeting(m) for m in others]
    meetings.append(solver.Meeting(*pair, round, table, value, tuple(covered), True, co))
    return _save(
        schedule,
        problem,
        meetings,
        {pair},
        stats=_stats(schedule, meetings, problem),
        check=False,
    )


def _stats(schedule: Schedule, meetings: Sequence[solver.Meeting], problem: solver.Problem) -> dict:
    objective, total_fit, served = solver.objective_of(meetings, solver.priorities(problem))
    upper = max(schedule.stats.get("upper_bound", objective), objective)
    return {
        **schedule.stats,
        "objective": objective,
        "fit": total_fit,
        "organizations_served": served,
        "meetings": len(meetings),
        "upper_bound": upper,
        "optimal": objective >= upper,
    }


@transaction.atomic
def meeting_remove(
    *, actor: User, schedule: Schedule, meeting: Meeting, refill: bool = True
) -> Schedule:
    """Take a meeting out (the pair will not be matched again).

    Before publishing, everything not pinned is solved again. After, nobody else moves:
    with ``refill`` the freed seats go to the best pairs that fit them (new meetings, each
    announced to its people); without, the seat stays empty.
    """
    require_organizer(actor)
    schedule = _locked(schedule)
    if meeting.schedule_id != schedule.pk:
        raise ValidationError({"meeting": [_("This meeting is not in this schedule.")]})
    _forget_pairs(schedule, meeting)
    others = list(schedule_meetings(schedule).exclude(pk=meeting.pk))
    if schedule.is_published and not refill:
        problem = build_problem(schedule)
        meetings = [_as_solver_meeting(m) for m in others]
        pins = {(m.organization_id, m.expert_id) for m in others if m.pinned}
        stats = _stats(schedule, meetings, problem)
        return _save(schedule, problem, meetings, pins, stats=stats, check=False)
    pins = [m for m in others if m.pinned]
    keep = [m for m in others if not m.pinned] if schedule.is_published else []
    return _solve_and_save(schedule, pins=pins, keep=keep)


def _forget_pairs(schedule: Schedule, meeting: Meeting) -> None:
    """Remember the meeting's pairs (each of its experts with the organisation) as removed:
    they are not matched again."""
    known = [list(p) for p in schedule.removed]
    for expert_id in (meeting.expert_id, *co_expert_ids(meeting)):
        pair = [meeting.organization_id, expert_id]
        if pair not in known:
            known.append(pair)
    schedule.removed = known


@transaction.atomic
def meeting_no_show(
    *, actor: User, schedule: Schedule, meeting: Meeting, absent: str, refill: bool = True
) -> Schedule:
    """Mark that one side (``absent``: "organization" or "expert") did not come: the
    meeting is taken out (the pair is not matched again) and, with ``refill``, the one who
    came gets the best partner free in that round at the same table — nobody else moves.
    ``schedule.changes`` lists both; each person is told."""
    require_organizer(actor)
    schedule = _locked(schedule)
    if meeting.schedule_id != schedule.pk:
        raise ValidationError({"meeting": [_("This meeting is not in this schedule.")]})
    if absent not in ("organization", "expert"):
        raise ValidationError(
            {"absent": [_("Say who did not come: the organisation or the expert.")]}
        )
    _forget_pairs(schedule, meeting)
    others = list(schedule_meetings(schedule).exclude(pk=meeting.pk))
    problem = build_problem(schedule)
    meetings = [_as_solver_meeting(m) for m in others]
    if refill:
        seat = _best_partner(problem, meetings, meeting, absent)
        if seat is not None:
            meetings.append(seat)
    schedule.stats = {**schedule.stats, "no_shows": schedule.stats.get("no_shows", 0) + 1}
    pins = {(m.organization_id, m.expert_id) for m in others if m.pinned}
    return _save(
        schedule, problem, meetings, pins, stats=_stats(schedule, meetings, problem), check=False
    )


def _best_partner(
    problem: solver.Problem,
    meetings: Sequence[solver.Meeting],
    gone: Meeting,
    absent: str,
) -> solver.Meeting | None:
    """The best partner for whoever came, free in that round, under every hard rule."""
    r = gone.round
    removed = {tuple(p) for p in problem.forbidden} | {(gone.organization_id, gone.expert_id)}
    busy = {(m.organization, "o") for m in meetings if m.round == r}
    busy |= {(x, "e") for m in meetings if m.round == r for x in m.experts}
    pairs = {(m.organization, x) for m in meetings for x in m.experts}
    per_org: dict[int, int] = {}
    per_expert: dict[int, int] = {}
    for m in meetings:
        per_org[m.organization] = per_org.get(m.organization, 0) + 1
        for x in m.experts:
            per_expert[x] = per_expert.get(x, 0) + 1
    orgs = {o.id: o for o in problem.organizations}
    experts = {e.id: e for e in problem.experts}
    if absent == "organization":
        ex = experts.get(gone.expert_id)
        candidates = [(o, ex) for o in problem.organizations] if ex else []
    else:
        org = orgs.get(gone.organization_id)
        candidates = [(org, e) for e in problem.experts] if org else []
    best, best_gain = None, 0
    for org, ex in candidates:
        if (org.id, ex.id) in removed or (org.id, ex.id) in pairs:
            continue
        if (org.id, "o") in busy or (ex.id, "e") in busy:
            continue
        if (ex.rounds is not None and r not in ex.rounds) or (
            org.rounds is not None and r not in org.rounds
        ):
            continue
        if per_org.get(org.id, 0) >= problem.org_cap(org):
            continue
        if per_expert.get(ex.id, 0) >= problem.expert_cap(ex):
            continue
        if not solver.shares_language(org, ex):
            continue
        value, covered = solver.fit(org, ex)
        if value <= 0:
            continue
        gain = value + (solver.SERVED_BONUS if org.id not in per_org else 0)
        if gain > best_gain:
            best_gain = gain
            best = solver.Meeting(org.id, ex.id, r, gone.table, value, tuple(covered))
    return best


@transaction.atomic
def schedule_publish(*, actor: User, schedule: Schedule, notify: bool = True) -> Schedule:
    """Publish the schedule: everyone sees their agenda, and is told so (unless
    ``notify`` is false, as for the demo data)."""
    require_organizer(actor)
    schedule = _locked(schedule)
    if schedule.is_published:
        raise Conflict(_("The schedule is already published."))
    schedule.status = ScheduleStatus.PUBLISHED
    schedule.published_at = timezone.now()
    schedule.full_clean()
    schedule.save()
    if notify:
        keys = _agenda_keys(schedule)
        _notify(schedule, sorted({who for who, _key in keys}), NotificationKind.SCHEDULE_PUBLISHED)
    return schedule


# --- who is told what ---------------------------------------------------------------------


def _agenda_keys(schedule: Schedule) -> set[tuple[int, tuple]]:
    """(user id, meeting as seen by that user) for every person of every meeting."""
    if not schedule.pk:
        return set()
    meetings = list(schedule.meetings.values_list("organization_id", "expert_id", "round", "table"))
    co_experts = Meeting.co_experts.through.objects.filter(meeting__schedule=schedule)
    meetings += [
        (org_id, user_id, number, table)
        for org_id, user_id, number, table in co_experts.values_list(
            "meeting__organization_id", "user_id", "meeting__round", "meeting__table"
        )
    ]
    members: dict[int, list[int]] = {}
    from ..models import Membership

    for org_id, user_id in Membership.objects.filter(
        organization_id__in={m[0] for m in meetings}
    ).values_list("organization_id", "user_id"):
        members.setdefault(org_id, []).append(user_id)
    keys = set()
    for meeting in meetings:
        keys.add((meeting[1], meeting))
        for user_id in members.get(meeting[0], ()):
            keys.add((user_id, meeting))
    return keys


def _notify_changes(schedule: Schedule, changes: Sequence[Change]) -> list[Notification]:
    """Tell each person affected exactly what changed for them: which meeting moved from
    where to where, which one is new, which one is cancelled (in their language)."""
    if not changes:
        return []
    from ..models import Membership

    members: dict[int, list[int]] = {}
    for org_id, user_id in Membership.objects.filter(
        organization_id__in={c.organization for c in changes}
    ).values_list("organization_id", "user_id"):
        members.setdefault(org_id, []).append(user_id)
    org_names = dict(
        Organization.objects.filter(pk__in={c.organization for c in changes}).values_list(
            "id", "name"
        )
    )
    experts = User.objects.filter(pk__in={x for c in changes for x in c.experts}).only(
        "id", "username", "display_name"
    )
    expert_names = {u.pk: u.public_name for u in experts}
    when = _place_text(schedule)
    mine: dict[int, list[tuple[Change, str]]] = {}
    for change in changes:
        for x in change.experts:
            mine.setdefault(x, []).append((change, org_names.get(change.organization, "")))
        names = _join([expert_names.get(x, "") for x in change.experts])
        for user_id in members.get(change.organization, ()):
            mine.setdefault(user_id, []).append((change, names))

    def text(user: User) -> str:
        lines = []
        for change, other in mine[user.pk]:
            if change.kind == "moved":
                line = _("Your meeting with %(other)s moved from %(before)s to %(after)s.")
                lines.append(
                    line
                    % {"other": other, "before": when(change.before), "after": when(change.after)}
                )
            elif change.kind == "added":
                line = _("New meeting with %(other)s: %(after)s.")
                lines.append(line % {"other": other, "after": when(change.after)})
            else:
                line = _("Your meeting with %(other)s, %(before)s, is cancelled.")
                lines.append(line % {"other": other, "before": when(change.before)})
        return "\n".join(lines)

    return _notify(schedule, sorted(mine), NotificationKind.SCHEDULE_CHANGED, body=text)


def _place_text(schedule: Schedule):
    """``(round, table)`` → "round 2 (09:25), table 3" in the active language."""
    from ..selectors.schedule import round_times

    times = round_times(schedule)

    def when(place: tuple[int, int]) -> str:
        number, table = place
        start = timezone.localtime(times[number - 1][0]) if number <= len(times) else None
        return _("round %(n)d (%(time)s), table %(table)d") % {
            "n": number,
            "time": start.strftime("%H:%M") if start else "?",
            "table": table,
        }

    return when


def change_lines(schedule: Schedule, changes: Sequence[Change]) -> list[str]:
    """The organizer's summary of an act: one line per meeting added, moved or cancelled."""
    if not changes:
        return []
    when = _place_text(schedule)
    orgs = dict(
        Organization.objects.filter(pk__in={c.organization for c in changes}).values_list(
            "id", "name"
        )
    )
    people = User.objects.filter(pk__in={x for c in changes for x in c.experts})
    experts = {u.pk: u.public_name for u in people}
    lines = []
    for c in changes:
        who = {
            "org": orgs.get(c.organization, "?"),
            "expert": _join([experts.get(x, "?") for x in c.experts]),
        }
        if c.kind == "moved":
            lines.append(
                _("%(org)s with %(expert)s: moved from %(before)s to %(after)s.")
                % {**who, "before": when(c.before), "after": when(c.after)}
            )
        elif c.kind == "added":
            lines.append(
                _("%(org)s with %(expert)s: new, %(after)s.") % {**who, "after": when(c.after)}
            )
        else:
            lines.append(
                _("%(org)s with %(expert)s: cancelled (was %(before)s).")
                % {**who, "before": when(c.before)}
            )
    return lines


def agenda_path(event_id: int) -> str:
    return f"/events/{event_id}/agenda/"


def _notify(
    schedule: Schedule, user_ids: Sequence[int], kind: str, *, body=None
) -> list[Notification]:
    """One notification per person in their language (``body(user)`` renders the text in
    it); written and delivered (push, e-mail) by the one notification writer."""
    if not user_ids:
        return []
    event = schedule.event

    def texts(user: User) -> tuple[str, str]:
        if kind == NotificationKind.SCHEDULE_PUBLISHED:
            title = _("Your consultations at “%(event)s” are ready") % {"event": event.tr("title")}
            return title, _("See your tables, times and who you meet in your agenda.")
        title = _("Your consultations at “%(event)s” changed") % {"event": event.tr("title")}
        return title, body(user)

    return notify_on_commit(
        recipients=User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"),
        kind=kind,
        url=agenda_path(event.pk),
        texts=texts,
        payload={"event": event.pk, "schedule": schedule.pk},
    )


# --- the secret calendar address ------------------------------------------------------------


@transaction.atomic
def agenda_feed_get_or_create(*, user: User) -> AgendaFeed:
    """The person's secret feed address (made on first use)."""
    if not user.is_authenticated or not user.is_active:
        raise Forbidden(_("Log in to get your calendar address."))
    feed, _created = AgendaFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def agenda_feed_revoke(*, user: User) -> None:
    """Revoke the address: it answers 404 from now on; the next request makes a new one."""
    AgendaFeed.objects.filter(user=user).delete()


# --- the organizers' choices per organisation -----------------------------------------------


def _clean_level(value, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(
            {
                field: [
                    _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
                ]
            }
        )
    return value


@transaction.atomic
def registration_consultation_options(
    *,
    actor: User,
    registration: Registration,
    priority: int | Unset = UNSET,
    experts_per_meeting: int | Unset = UNSET,
) -> Registration:
    """The organizers' choices for an organisation's consultations: its ``priority`` (0–3:
    when seats are short, higher priorities get their meetings first) and how many experts
    its meetings may seat (``experts_per_meeting``, 1–3: multi-party meetings). Organizers
    only; the next ``POST …/schedule/`` uses them."""
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers set an organisation's priority and meeting size."))
    if registration.role != RegistrationRole.ORGANIZATION:
        field = "priority" if priority is not UNSET else "experts_per_meeting"
        raise ValidationError({field: [_("Only an organisation's registration has this.")]})
    fields = []
    if priority is not UNSET:
        registration.priority = _clean_level(priority, "priority", 0, solver.MAX_PRIORITY)
        fields.append("priority")
    if experts_per_meeting is not UNSET:
        registration.experts_per_meeting = _clean_level(
            experts_per_meeting, "experts_per_meeting", 1, solver.MAX_EXPERTS_PER_MEETING
        )
        fields.append("experts_per_meeting")
    if fields:
        registration.save(update_fields=fields)
    return registration
