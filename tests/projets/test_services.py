"""Project services: phases and their history, indicators' progress, journal, follows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ateliers.exceptions import Conflict, Forbidden
from projets import notify, services
from projets.choices import Phase, allowed_moves
from projets.models import Indicator, Milestone, PhaseTransition, Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(organizer, org):
    return factories.make_project(actor=organizer, organizations=[org])


def test_create_needs_an_organizer_and_a_title(organizer, member):
    with pytest.raises(Forbidden):
        services.project_create(actor=member, title_fr="X")
    with pytest.raises(ValidationError) as exc:
        services.project_create(actor=organizer, summary_fr="Sans titre")
    assert "title_fr" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.project_create(actor=organizer, title_fr="X", visibility="secret")


def test_new_project_starts_in_exploration_with_its_history(project, organizer):
    assert project.phase == Phase.EXPLORATION
    (first,) = project.transitions.all()
    assert (first.from_phase, first.to_phase, first.actor) == ("", "exploration", organizer)


def test_allowed_moves_are_one_step_forward_any_back_and_close():
    assert allowed_moves("exploration") == ["co_creation", "closed"]
    assert allowed_moves("evaluation") == [
        "exploration",
        "co_creation",
        "experimentation",
        "deployment",
        "closed",
    ]
    assert allowed_moves("deployment")[-1] == "closed"
    assert "deployment" in allowed_moves("closed")
    assert "closed" not in allowed_moves("closed")


def test_transitions_forward_back_close_reopen_are_all_recorded(project, organizer):
    path = ["co_creation", "experimentation", "co_creation", "experimentation", "closed"]
    for phase in path:
        services.project_advance_phase(
            actor=organizer, project=project, phase=phase, note=f"→ {phase}"
        )
    services.project_advance_phase(actor=organizer, project=project, phase="evaluation")
    project.refresh_from_db()
    assert project.phase == "evaluation"
    history = list(project.transitions.values_list("from_phase", "to_phase", "note"))
    assert history == [
        ("", "exploration", ""),
        ("exploration", "co_creation", "→ co_creation"),
        ("co_creation", "experimentation", "→ experimentation"),
        ("experimentation", "co_creation", "→ co_creation"),
        ("co_creation", "experimentation", "→ experimentation"),
        ("experimentation", "closed", "→ closed"),
        ("closed", "evaluation", ""),
    ]
    backward = [t.is_backward for t in project.transitions.all()]
    assert backward == [False, False, False, True, False, False, False]
    dates = list(project.transitions.values_list("created_at", flat=True))
    assert dates == sorted(dates)
    assert project.phase_changed_at == dates[-1]


def test_skipping_a_phase_or_staying_put_is_a_conflict(project, organizer):
    with pytest.raises(Conflict) as exc:
        services.project_advance_phase(actor=organizer, project=project, phase="deployment")
    assert exc.value.code == "phase_not_allowed"
    with pytest.raises(Conflict):
        services.project_advance_phase(actor=organizer, project=project, phase="exploration")
    with pytest.raises(ValidationError):
        services.project_advance_phase(actor=organizer, project=project, phase="launch")
    assert project.transitions.count() == 1


def test_two_people_moving_a_stale_project_get_one_transition(project, organizer):
    stale = Project.objects.get(pk=project.pk)
    services.project_advance_phase(actor=organizer, project=project, phase="co_creation")
    with pytest.raises(Conflict) as exc:
        services.project_advance_phase(actor=organizer, project=stale, phase="co_creation")
    assert exc.value.code == "stale_phase"
    assert PhaseTransition.objects.filter(project=project, to_phase="co_creation").count() == 1


def test_only_team_and_organizers_move_or_write(project, organizer, partner, expert):
    for outsider in (partner, expert):
        with pytest.raises(Forbidden):
            services.project_advance_phase(actor=outsider, project=project, phase="co_creation")
        with pytest.raises(Forbidden):
            services.project_post_update(actor=outsider, project=project, text="x")
    services.project_member_add(actor=organizer, project=project, user=expert, role="member")
    services.project_advance_phase(actor=expert, project=project, phase="co_creation")
    services.project_post_update(actor=expert, project=project, text="Bonne nouvelle")
    # A team member is not the lead: visibility and partners stay with lead and organizers.
    with pytest.raises(Forbidden):
        services.project_update(actor=expert, project=project, visibility="private")
    services.project_update(actor=expert, project=project, summary_en="Now in English")


def indicator(project, organizer, *, target, baseline=None, values=()):
    ind = services.indicator_create(
        actor=organizer,
        project=project,
        name="Personnes formées",
        target=target,
        baseline=baseline,
    )
    today = timezone.localdate()
    for days_ago, value in values:
        services.indicator_record_value(
            actor=organizer,
            indicator=ind,
            value=Decimal(value),
            measured_on=today - timedelta(days=days_ago),
        )
    return Indicator.objects.get(pk=ind.pk)


def test_progress_without_baseline(project, organizer):
    ind = indicator(project, organizer, target=50000, values=[(10, 12500)])
    assert ind.progress == Decimal("0.25")
    assert (ind.progress_percent, ind.bar_percent, ind.reached) == (25, 25, False)


def test_progress_from_a_baseline(project, organizer):
    ind = indicator(project, organizer, target=800, baseline=120, values=[(1, 460)])
    assert (ind.progress_percent, ind.reached) == (50, False)


def test_target_reached_exactly(project, organizer):
    ind = indicator(project, organizer, target=50000, values=[(1, 50000)])
    assert (ind.progress_percent, ind.bar_percent, ind.reached) == (100, 100, True)


def test_over_target_is_reported_but_the_bar_is_capped(project, organizer):
    ind = indicator(project, organizer, target=3, values=[(1, 4)])
    assert (ind.progress_percent, ind.bar_percent, ind.reached) == (133, 100, True)


def test_below_baseline_and_decreasing_targets(project, organizer):
    ind = indicator(project, organizer, target=100, baseline=50, values=[(1, 40)])
    assert (ind.progress_percent, ind.bar_percent, ind.reached) == (-20, 0, False)
    waste = indicator(project, organizer, target=10, baseline=50, values=[(1, 30)])
    assert (waste.progress_percent, waste.reached) == (50, False)


def test_not_measured_has_no_progress(project, organizer):
    ind = indicator(project, organizer, target=50000)
    assert (ind.current, ind.progress, ind.progress_percent, ind.bar_percent) == (
        None,
        None,
        None,
        0,
    )
    assert not ind.reached


def test_target_equal_to_baseline_is_refused(project, organizer):
    with pytest.raises(ValidationError):
        indicator(project, organizer, target=10, baseline=10)


def test_history_current_follows_the_latest_date(project, organizer):
    ind = indicator(project, organizer, target=100, values=[(2, 30), (10, 5)])
    assert ind.current == 30  # back-filling an older value does not change today's figure
    services.indicator_record_value(
        actor=organizer,
        indicator=ind,
        value=Decimal(35),
        measured_on=timezone.localdate() - timedelta(days=2),
    )
    ind.refresh_from_db()
    assert ind.current == 35
    assert [v.value for v in ind.values.all()] == [5, 35]  # same date replaced, ordered
    with pytest.raises(ValidationError):
        services.indicator_record_value(
            actor=organizer,
            indicator=ind,
            value=Decimal(1),
            measured_on=timezone.localdate() + timedelta(days=1),
        )


def test_milestones_late_and_done(project, organizer):
    today = timezone.localdate()
    late = services.milestone_create(
        actor=organizer, project=project, title="A", due_on=today - timedelta(days=1)
    )
    due_today = services.milestone_create(actor=organizer, project=project, title="B", due_on=today)
    assert late.is_late and not due_today.is_late
    services.milestone_update(actor=organizer, milestone=late, done_on=today)
    assert not Milestone.objects.get(pk=late.pk).is_late


def test_followers_are_notified_of_phase_changes_and_updates(
    project, organizer, partner, expert, member, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr(
        notify,
        "deliver",
        lambda users, kind, p, payload: sent.append((kind, sorted(u.username for u in users))),
    )
    services.project_follow(actor=expert, project=project)
    services.project_follow(actor=member, project=project)
    services.project_follow(actor=member, project=project)  # idempotent
    with pytest.raises(Forbidden):
        services.project_update(actor=partner, project=project, summary_fr="x")
    services.project_member_add(actor=organizer, project=project, user=member, role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_advance_phase(actor=member, project=project, phase="co_creation")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post_update(actor=organizer, project=project, text="Du nouveau")
    # Made private: the outside follower (an expert) is no longer told anything.
    services.project_update(actor=organizer, project=project, visibility="private")
    with django_capture_on_commit_callbacks(execute=True):
        services.project_post_update(actor=organizer, project=project, text="Secret")
    assert sent == [
        ("project.phase_changed", ["expertise"]),  # the actor (member) is not told
        ("project.update_posted", ["expertise", "membre"]),
        ("project.update_posted", ["membre"]),
    ]


def test_cannot_follow_what_one_cannot_see(organizer, expert):
    hidden = factories.make_project(actor=organizer, visibility="private")
    with pytest.raises(Forbidden):
        services.project_follow(actor=expert, project=hidden)


def test_story_draft_then_published(project, organizer):
    story = services.story_save(actor=organizer, project=project, narrative_en="Draft")
    assert story.published_at is None
    story = services.story_save(actor=organizer, project=project, publish=True)
    first = story.published_at
    assert first is not None
    story = services.story_save(actor=organizer, project=project, lessons_fr="Leçons")
    assert story.published_at == first and story.narrative == "Draft"
    with pytest.raises(ValidationError):
        services.story_save(actor=organizer, project=project, narrative_en="")
