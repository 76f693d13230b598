"""Every change of project state goes through a function here (ARCHITECTURE.md).

Keyword-only, one transaction each, ``full_clean()`` before saving; followers are told
after commit through ``notify.notify_followers``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ateliers.exceptions import Conflict, Forbidden
from ateliers.models import Event, HelpRequest, Idea, Meeting, Organization, Theme, User
from ateliers.permissions import can_see_event, is_account, is_organizer
from ateliers.services.unset import UNSET, Unset, assign, given

from . import notify
from .choices import CYCLE, NotificationKind, Phase, ProjectRole, allowed_moves
from .models import (
    Follow,
    Indicator,
    IndicatorValue,
    Milestone,
    PhaseCriterion,
    PhaseTransition,
    Project,
    ProjectMember,
    ProjectUpdate,
    Story,
)
from .outbound import project_changed as project_webhook
from .permissions import can_edit_project, can_manage_project, can_see_project

PROJECT_TEXT_FIELDS = {"title_fr", "title_en", "summary_fr", "summary_en", "region"}
# The many-to-many links ``project_update`` sets after saving.
PROJECT_LINKS = {
    "partners",
    "organizations",
    "source_help_requests",
    "source_ideas",
    "source_meetings",
}


def _require_editor(actor: User, project: Project) -> None:
    if not can_edit_project(actor, project):
        raise Forbidden(_("Only the project's team and organizers can do this."))


def _require_manager(actor: User, project: Project) -> None:
    if not can_manage_project(actor, project):
        raise Forbidden(_("Only organizers and the project lead can do this."))


def _require_visible_links(actor: User, project: Project | None, fields: dict) -> None:
    """A project links only to what its manager may see: a draft event (its themes, its
    ideas) is refused exactly like one that does not exist, so its title never reaches
    the public project page and the answer tells nothing about which drafts exist."""

    def changed(key):
        value = fields.get(key)
        return value is not None and (project is None or value != getattr(project, key))

    errors = {}
    if changed("event") and not can_see_event(actor, fields["event"]):
        errors["event"] = [_("No such event.")]
    if changed("theme") and not can_see_event(actor, fields["theme"].event):
        errors["theme"] = [_("No such theme.")]
    kept = set(project.source_ideas.values_list("pk", flat=True)) if project else set()
    added = {idea.event_id for idea in fields.get("source_ideas") or () if idea.pk not in kept}
    if added and any(not can_see_event(actor, e) for e in Event.objects.filter(pk__in=added)):
        errors["source_ideas"] = [_("No such idea.")]
    if errors:
        raise ValidationError(errors)


def _notify(project: Project, kind: str, *, actor: User | None, payload: dict) -> None:
    """Notifications are written in the change's transaction and delivered after commit;
    so are webhook deliveries (the outbox, sent by ``manage.py send_webhooks``)."""
    notify.notify_followers(project, kind, actor=actor, payload=payload)
    project_webhook(kind.split(".", 1)[1], project, **payload)


@transaction.atomic
def project_create(
    *,
    actor: User,
    title_fr: str = "",
    title_en: str = "",
    summary_fr: str = "",
    summary_en: str = "",
    visibility: str = "public",
    region: str = "",
    event: Event | None = None,
    theme=None,
    partners: list[Organization] = (),
    organizations: list[Organization] = (),
    team: list[tuple[User, str]] = (),
    note: str = "",
    source_help_requests: list = (),
    source_ideas: list = (),
    source_meetings: list = (),
    confirm_duplicate: bool = False,
) -> Project:
    """Open a project in exploration; the opening is the first line of its history.

    The project keeps the event it comes from: given, or the theme's, or that of its first
    source (idea, help request, consultation). A source already carried by a project is
    refused (``409 source_in_project``) unless ``confirm_duplicate``: the warning shown
    before making a second project from the same idea, request or consultation.
    """
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can open a project."))
    _require_visible_links(
        actor, None, {"event": event, "theme": theme, "source_ideas": source_ideas}
    )
    if not confirm_duplicate:
        _refuse_duplicate_source(source_ideas, source_help_requests, source_meetings)
    if event is None and theme is None:
        event = source_event(source_ideas, source_help_requests, source_meetings)
    project = Project(
        title_fr=title_fr,
        title_en=title_en,
        summary_fr=summary_fr,
        summary_en=summary_en,
        visibility=visibility,
        region=region or (event.region if event else ""),
        event=event or (theme.event if theme is not None else None),
        theme=theme,
        phase=Phase.EXPLORATION,
        created_by=actor,
    )
    project.full_clean()
    project.save()
    project.partners.set(partners)
    project.organizations.set(organizations)
    project.source_help_requests.set(source_help_requests)
    project.source_ideas.set(_with_merged(source_ideas))
    project.source_meetings.set(source_meetings)
    for user, role in team:
        _member_add(project=project, user=user, role=role)
    PhaseTransition.objects.create(
        project=project, from_phase="", to_phase=Phase.EXPLORATION, note=note, actor=actor
    )
    project_webhook("created", project)
    return project


@transaction.atomic
def project_update(
    *,
    actor: User,
    project: Project,
    title_fr: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    summary_fr: str | Unset = UNSET,
    summary_en: str | Unset = UNSET,
    region: str | Unset = UNSET,
    visibility: str | Unset = UNSET,
    event: Event | None | Unset = UNSET,
    theme: Theme | None | Unset = UNSET,
    partners: Iterable[Organization] | Unset = UNSET,
    organizations: Iterable[Organization] | Unset = UNSET,
    source_help_requests: Iterable[HelpRequest] | Unset = UNSET,
    source_ideas: Iterable[Idea] | Unset = UNSET,
    source_meetings: Iterable[Meeting] | Unset = UNSET,
) -> Project:
    """Change text fields (team); visibility, links and sources (lead, organizers)."""
    fields = given(locals(), "actor", "project")
    _require_editor(actor, project)
    if fields.keys() - PROJECT_TEXT_FIELDS:
        _require_manager(actor, project)
        _require_visible_links(actor, project, fields)
    assign(project, {k: v for k, v in fields.items() if k not in PROJECT_LINKS})
    project.full_clean()
    project.save()
    if "source_ideas" in fields:
        fields["source_ideas"] = _with_merged(fields["source_ideas"])
    for key in PROJECT_LINKS & fields.keys():
        getattr(project, key).set(fields[key])
    return project


def source_event(ideas=(), help_requests=(), meetings=()) -> Event | None:
    """The event a project's sources come from (the first one that has one)."""
    for idea in ideas:
        if idea.event_id:
            return idea.event
    for request in help_requests:
        if request.event_id:
            return request.event
    for meeting in meetings:
        return meeting.schedule.event
    return None


def sources_in_projects(ideas=(), help_requests=(), meetings=()) -> list[Project]:
    """Projects already made from any of these sources (an idea counts with its group)."""
    ideas = _with_merged(ideas)
    condition = Q(pk__in=[])
    if ideas:
        condition |= Q(source_ideas__in=[i.pk for i in ideas])
    if help_requests:
        condition |= Q(source_help_requests__in=[r.pk for r in help_requests])
    if meetings:
        condition |= Q(source_meetings__in=[m.pk for m in meetings])
    return list(Project.objects.filter(condition).distinct().order_by("id"))


def _refuse_duplicate_source(ideas, help_requests, meetings) -> None:
    existing = sources_in_projects(ideas, help_requests, meetings)
    if existing:
        raise Conflict(
            _(
                "A project was already made from this source (%(projects)s). "
                "Confirm to make another one."
            )
            % {"projects": ", ".join(f"#{p.pk}" for p in existing)},
            code="source_in_project",
        )


def _with_merged(ideas) -> list:
    """An idea stands for its merged group: the ideas merged into it come along."""
    from ateliers.models import Idea

    ideas = list(ideas)
    if not ideas:
        return []
    merged = Idea.objects.filter(merged_into__in=[i.pk for i in ideas])
    return list({i.pk: i for i in [*ideas, *merged]}.values())


@transaction.atomic
def project_delete(*, actor: User, project: Project) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can delete a project."))
    project.delete()


@transaction.atomic
def project_advance_phase(
    *, actor: User, project: Project, phase: str, note: str = "", criteria=None
) -> PhaseTransition:
    """Move the project to ``phase`` (see ``choices.allowed_moves``) and record it.

    Entering a phase (any move that is not back to an earlier phase) needs every active
    entry criterion of that phase ticked: ``criteria`` is the list of their ids; the
    texts ticked are kept on the transition. Compare-and-set on the current phase: two
    people moving the project at once get one transition and one 409.
    """
    _require_editor(actor, project)
    if phase not in Phase.values:
        raise ValidationError({"phase": _("Unknown phase.")})
    if len(note or "") > 5000:
        raise ValidationError({"note": _("Keep the note under 5,000 characters.")})
    current = project.phase
    if phase == current:
        raise Conflict(_("The project is already in this phase."), code="same_phase")
    if phase not in allowed_moves(current):
        labels = ", ".join(str(Phase(p).label) for p in allowed_moves(current))
        raise Conflict(
            _("From this phase the project can go to: %(phases)s.") % {"phases": labels},
            code="phase_not_allowed",
        )
    met = _entry_criteria_met(current, phase, criteria)
    now = timezone.now()
    moved = Project.objects.filter(pk=project.pk, phase=current).update(
        phase=phase, phase_changed_at=now, updated_at=now
    )
    if not moved:
        raise Conflict(_("The project's phase changed meanwhile; reload."), code="stale_phase")
    transition = PhaseTransition(
        project=project,
        from_phase=current,
        to_phase=phase,
        note=note or "",
        actor=actor,
        criteria=met,
    )
    transition.created_at = now
    transition.full_clean(exclude=["project"])
    transition.save()
    project.phase, project.phase_changed_at = phase, now
    _notify(
        project,
        NotificationKind.PHASE_CHANGED,
        actor=actor,
        payload={"from": current, "to": phase, "note": note or ""},
    )
    return transition


def is_backward_move(current: str, phase: str) -> bool:
    order = [p.value for p in CYCLE]
    return current in order and phase in order and order.index(phase) < order.index(current)


def entry_criteria(phase: str) -> list[PhaseCriterion]:
    return list(PhaseCriterion.objects.filter(phase=phase, active=True).order_by("position", "id"))


def _entry_criteria_met(current: str, phase: str, ticked) -> list[dict]:
    """The criteria of ``phase`` as ticked; a missing or unknown one is a 400."""
    if is_backward_move(current, phase):
        return []
    required = entry_criteria(phase)
    ticked = {int(pk) for pk in (ticked or ())}
    known = {c.pk for c in required}
    if ticked - known:
        raise ValidationError(
            {
                "criteria": _("These are not entry criteria of this phase: %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in sorted(ticked - known))}
            }
        )
    missing = [c for c in required if c.pk not in ticked]
    if missing:
        raise ValidationError(
            {
                "criteria": _("To enter %(phase)s, tick every entry criterion: %(list)s.")
                % {
                    "phase": Phase(phase).label,
                    "list": "; ".join(c.text for c in missing),
                }
            }
        )
    return [{"id": c.pk, "text_fr": c.text_fr, "text_en": c.text_en} for c in required]


@transaction.atomic
def phase_criterion_save(
    *,
    actor: User,
    criterion: PhaseCriterion | None = None,
    phase: str | Unset = UNSET,
    text_fr: str | Unset = UNSET,
    text_en: str | Unset = UNSET,
    position: int | Unset = UNSET,
    active: bool | Unset = UNSET,
) -> PhaseCriterion:
    """Organizers configure the entry criteria of each phase (a new one without
    ``criterion``)."""
    changes = given(locals(), "actor", "criterion")
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can configure the phases."))
    criterion = criterion or PhaseCriterion()
    assign(criterion, changes)
    criterion.full_clean()
    criterion.save()
    return criterion


@transaction.atomic
def phase_criterion_delete(*, actor: User, criterion: PhaseCriterion) -> None:
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can configure the phases."))
    criterion.delete()


def _member_add(*, project: Project, user: User, role: str) -> ProjectMember:
    member = ProjectMember(project=project, user=user, role=role or ProjectRole.MEMBER)
    member.full_clean(exclude=["project"], validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise Conflict(_("This person is already on the team."), code="already_member") from exc
    return member


@transaction.atomic
def project_member_add(
    *, actor: User, project: Project, user: User, role: str = ProjectRole.MEMBER
) -> ProjectMember:
    _require_manager(actor, project)
    return _member_add(project=project, user=user, role=role)


@transaction.atomic
def project_member_remove(*, actor: User, member: ProjectMember) -> None:
    _require_manager(actor, member.project)
    member.delete()


@transaction.atomic
def milestone_create(
    *,
    actor: User,
    project: Project,
    title: str,
    due_on: date,
    done_on: date | None = None,
    weight: int = 1,
    title_en: str = "",
) -> Milestone:
    _require_editor(actor, project)
    _check_done_on(done_on)
    milestone = Milestone(
        project=project,
        title=title,
        title_en=title_en or "",
        due_on=due_on,
        done_on=done_on,
        weight=weight or 1,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(
    *,
    actor: User,
    milestone: Milestone,
    title: str | Unset = UNSET,
    title_en: str | Unset = UNSET,
    due_on: date | Unset = UNSET,
    done_on: date | None | Unset = UNSET,
    weight: int | Unset = UNSET,
) -> Milestone:
    changes = given(locals(), "actor", "milestone")
    _require_editor(actor, milestone.project)
    if "done_on" in changes:
        _check_done_on(changes["done_on"])
    assign(milestone, changes)
    milestone.full_clean()
    milestone.save()
    return milestone


def _check_done_on(done_on: date | None) -> None:
    if done_on is not None and done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A milestone cannot be done in the future.")})


@transaction.atomic
def milestone_delete(*, actor: User, milestone: Milestone) -> None:
    _require_editor(actor, milestone.project)
    milestone.delete()


@transaction.atomic
def project_post_update(
    *, actor: User, project: Project, text: str, text_en: str = ""
) -> ProjectUpdate:
    """Add an entry to the journal (``text_en``: its English version) and tell the
    followers."""
    _require_editor(actor, project)
    update = ProjectUpdate(
        project=project,
        text=(text or "").strip(),
        text_en=(text_en or "").strip(),
        author=actor,
    )
    update.full_clean()
    update.save()
    Project.objects.filter(pk=project.pk).update(updated_at=timezone.now())
    _notify(
        project,
        NotificationKind.UPDATE_POSTED,
        actor=actor,
        payload={"update": update.pk, "text": update.text[:500]},
    )
    return update


@transaction.atomic
def update_delete(*, actor: User, update: ProjectUpdate) -> None:
    _require_editor(actor, update.project)
    update.delete()


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    project: Project,
    name: str,
    target: Decimal,
    unit: str = "",
    baseline: Decimal | None = None,
    current: Decimal | None = None,
    name_en: str = "",
) -> Indicator:
    """A new indicator; a ``current`` given here is recorded as today's value."""
    _require_editor(actor, project)
    indicator = Indicator(
        project=project,
        name=name,
        name_en=name_en or "",
        unit=unit,
        target=target,
        baseline=baseline,
        position=project.indicators.count(),
    )
    indicator.full_clean()
    indicator.save()
    if current is not None:
        _record(indicator=indicator, value=current, measured_on=timezone.localdate(), actor=actor)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    name: str | Unset = UNSET,
    name_en: str | Unset = UNSET,
    unit: str | Unset = UNSET,
    target: Decimal | Unset = UNSET,
    baseline: Decimal | None | Unset = UNSET,
    position: int | Unset = UNSET,
    current: Decimal | None | Unset = UNSET,
) -> Indicator:
    """Change an indicator; a ``current`` given here is recorded as today's value."""
    changes = given(locals(), "actor", "indicator", "current")
    _require_editor(actor, indicator.project)
    assign(indicator, changes)
    indicator.full_clean()
    indicator.save()
    if current is not UNSET and current is not None:
        _record(indicator=indicator, value=current, measured_on=timezone.localdate(), actor=actor)
    return indicator


@transaction.atomic
def indicator_delete(*, actor: User, indicator: Indicator) -> None:
    _require_editor(actor, indicator.project)
    indicator.delete()


def _record(*, indicator: Indicator, value: Decimal, measured_on: date, actor) -> IndicatorValue:
    existing = IndicatorValue.objects.filter(indicator=indicator, measured_on=measured_on).first()
    entry = existing or IndicatorValue(indicator=indicator, measured_on=measured_on)
    entry.value = value
    entry.recorded_by = actor if is_account(actor) else None
    entry.full_clean(exclude=["indicator"], validate_constraints=False)
    entry.save()
    latest = indicator.values.order_by("-measured_on", "-id").first()
    indicator.current = latest.value if latest else None
    Indicator.objects.filter(pk=indicator.pk).update(current=indicator.current)
    return entry


@transaction.atomic
def indicator_record_value(
    *, actor: User, indicator: Indicator, value: Decimal, measured_on: date | None = None
) -> IndicatorValue:
    """Record a measurement (one per date: a second one that day replaces it).

    ``current`` becomes the value of the latest date, so back-filling history does not
    move today's figure.
    """
    _require_editor(actor, indicator.project)
    measured_on = measured_on or timezone.localdate()
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("A measurement cannot be in the future.")})
    return _record(indicator=indicator, value=value, measured_on=measured_on, actor=actor)


@transaction.atomic
def story_save(
    *,
    actor: User,
    project: Project,
    publish: bool | None = None,
    title_fr: str | None | Unset = UNSET,
    title_en: str | None | Unset = UNSET,
    narrative_fr: str | None | Unset = UNSET,
    narrative_en: str | None | Unset = UNSET,
    worked_fr: str | None | Unset = UNSET,
    worked_en: str | None | Unset = UNSET,
    did_not_work_fr: str | None | Unset = UNSET,
    did_not_work_en: str | None | Unset = UNSET,
    lessons_fr: str | None | Unset = UNSET,
    lessons_en: str | None | Unset = UNSET,
) -> Story:
    """Write the story (a draft until published); ``publish`` publishes or withdraws it."""
    texts = given(locals(), "actor", "project", "publish")
    _require_editor(actor, project)
    story = Story.objects.filter(project=project).first() or Story(project=project)
    assign(story, {key: value or "" for key, value in texts.items()})
    was_published = story.is_published
    if publish is True and not was_published:
        story.published_at = timezone.now()
    elif publish is False:
        story.published_at = None
    story.full_clean(exclude=["project"], validate_unique=False)
    story.save()
    if story.is_published and not was_published:
        _notify(project, NotificationKind.STORY_PUBLISHED, actor=actor, payload={"story": story.pk})
    return story


@transaction.atomic
def project_follow(*, actor: User, project: Project, follow: bool = True) -> bool:
    """Follow (or stop following) a project one may read; idempotent. Returns the state."""
    if not is_account(actor):
        raise Forbidden(_("Log in to follow a project."))
    if not can_see_project(actor, project):
        raise Forbidden(_("You cannot follow this project."))
    if follow:
        Follow.objects.get_or_create(user=actor, project=project)
    else:
        Follow.objects.filter(user=actor, project=project).delete()
    return follow
