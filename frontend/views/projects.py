"""Project pages: directory, project page, team editing, partner dashboard, stories.

Every page starts from ``projets.selectors``; forms call ``projets.services``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers.exceptions import DomainError
from ateliers.models import Organization, Theme, User
from ateliers.permissions import can_see_event, is_account, is_organizer
from projets import charts, selectors, services
from projets.choices import CYCLE, Phase
from projets.filtersets import ProjectFilterSet
from projets.models import (
    Follow,
    Indicator,
    IndicatorValue,
    PhaseTransition,
    Project,
    Story,
)
from projets.permissions import can_edit_project, can_manage_project

from ..errors import save_posted
from ..forms.projects import (
    IndicatorForm,
    MemberForm,
    MemberRemoveForm,
    MilestoneDoneForm,
    MilestoneEditForm,
    MilestoneForm,
    MilestoneRemoveForm,
    ProjectForm,
    StoryForm,
    TransitionForm,
    UpdateForm,
    ValueForm,
)

# --- helpers ----------------------------------------------------------------------------


def _visible_project(request, pk: int, *, detail: bool = False):
    qs = selectors.project_list(request.user)
    if detail:
        qs = qs.prefetch_related(
            Prefetch(
                "transitions",
                queryset=PhaseTransition.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            ),
            Prefetch(
                "indicators",
                queryset=Indicator.objects.prefetch_related(
                    Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on"))
                ),
            ),
        )
    return get_object_or_404(qs, pk=pk)


def _timeline(project) -> list[dict]:
    """The cycle as steps: done, current, to come (``closed`` shown only when closed)."""
    order = [p.value for p in CYCLE]
    phases = [*CYCLE, Phase.CLOSED] if project.phase == Phase.CLOSED else list(CYCLE)
    current = order.index(project.phase) if project.phase in order else len(order)
    steps = []
    for index, phase in enumerate(phases):
        state = "done" if index < current else "current" if index == current else "todo"
        steps.append({"value": phase.value, "label": phase.label, "state": state})
    return steps


def _indicator_cards(project) -> list[dict]:
    cards = []
    for indicator in project.indicators.all():
        chart = None
        if indicator.values.all():
            chart = charts.indicator_chart(
                indicator,
                title=_("History of “%(name)s”") % {"name": indicator.name_shown},
                description=_(
                    "Bar chart of the measured values by date; the line marks the target "
                    "(%(target)s). The same figures are in the table below."
                )
                % {"target": charts._fmt(indicator.target)},
                target_label=_("Target"),
            )
        cards.append({"indicator": indicator, "chart": chart})
    return cards


# --- pages ------------------------------------------------------------------------------


def project_list(request):
    """The public directory (and more for those who may see more): filters and search."""
    base = selectors.project_list(request.user)
    filterset = ProjectFilterSet(request.GET or None, queryset=base)
    # Offer only partners and regions of projects the visitor may see: a choice list must
    # not reveal who partners a hidden project.
    visible_ids = selectors.projects_visible_to(request.user).values("pk")
    filterset.form.fields["partner"].queryset = (
        Organization.objects.filter(partnered_projects__in=visible_ids).distinct().order_by("name")
    )
    themes = (
        Theme.objects.filter(projects__in=visible_ids)
        .distinct()
        .order_by("event_id", "position", "id")
    )
    regions = (
        selectors.projects_visible_to(request.user)
        .exclude(region="")
        .order_by("region")
        .values_list("region", flat=True)
        .distinct()
    )
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(qs.order_by("-updated_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/projects/list.html",
        {
            "page": page,
            "filterset": filterset,
            "regions": list(regions),
            "themes": list(themes),
            "phases": Phase.choices,
            "can_create": is_organizer(request.user),
        },
    )


def project_detail(request, pk: int):
    project = _visible_project(request, pk, detail=True)
    milestones = list(project.milestones.all())
    updates = list(project.updates.select_related("author")[:5])
    story = selectors.stories_visible_to(request.user).filter(project=project).first()
    following = (
        is_account(request.user)
        and Follow.objects.filter(user=request.user, project=project).exists()
    )
    return render(
        request,
        "frontend/projects/detail.html",
        {
            "project": project,
            # A draft event's title stays with the organizers (an organizer may have
            # linked one; the services refuse it to everyone else).
            "source_event": (
                project.event
                if project.event and can_see_event(request.user, project.event)
                else None
            ),
            "timeline": _timeline(project),
            "milestones": milestones,
            "updates": updates,
            "indicator_cards": _indicator_cards(project),
            "story": story,
            "following": following,
            "can_edit": can_edit_project(request.user, project),
        },
    )


@require_POST
@login_required
def project_follow(request, pk: int):
    project = _visible_project(request, pk)
    follow = request.POST.get("follow") != "0"
    try:
        services.project_follow(actor=request.user, project=project, follow=follow)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(
        request,
        _("You follow this project.") if follow else _("You no longer follow this project."),
    )
    return redirect("frontend:project-detail", pk=project.pk)


@login_required
def project_create(request):
    if not is_organizer(request.user):
        raise PermissionDenied
    initial = {}
    source = _source_help_request(request)
    idea = _source_idea(request)
    meeting = _source_meeting(request)
    if meeting is not None:
        initial = {
            "title_fr": _("Consultation: %(org)s with %(expert)s")
            % {"org": meeting.organization.name, "expert": meeting.expert.public_name},
            "organizations": [meeting.organization],
            "source_meetings": [meeting],
            "visibility": "private",
        }
    elif source is not None:
        initial = {
            "title_fr": source.title,
            "summary_fr": source.description,
            "organizations": [source.organization],
            "source_help_requests": [source],
            "visibility": "private",
        }
    elif idea is not None:
        initial = {
            "title_fr": idea.text[:200],
            "summary_fr": idea.text,
            "source_ideas": [idea],
            "visibility": "private",
        }
    # The warning before a second project from the same source: the existing ones are
    # listed and a confirmation box appears (the service refuses without it).
    existing = _existing_from_sources(request, idea, source, meeting)
    form = ProjectForm(
        request.POST or None, initial=initial, creating=True, duplicate=bool(existing)
    )
    posted = save_posted(
        request, form, lambda: services.project_create(actor=request.user, **form.cleaned_data)
    )
    if posted:
        messages.success(request, _("Project opened."))
        return redirect("frontend:project-edit", pk=posted.value.pk)
    return render(
        request,
        "frontend/projects/create.html",
        {
            "form": form,
            "source": source,
            "idea": idea,
            "meeting": meeting,
            "existing": existing,
        },
    )


def _existing_from_sources(request, idea, source, meeting) -> list:
    if request.method == "POST":
        form = ProjectForm(request.POST, creating=True)
        form.is_valid()
        data = form.cleaned_data
        ideas = data.get("source_ideas") or ()
        requests_ = data.get("source_help_requests") or ()
        meetings = data.get("source_meetings") or ()
    else:
        ideas = [idea] if idea else ()
        requests_ = [source] if source else ()
        meetings = [meeting] if meeting else ()
    return services.sources_in_projects(ideas, requests_, meetings)


def _source_meeting(request):
    """``?meeting=<id>``: "create a project from this consultation" (organizers)."""
    raw = request.GET.get("meeting", "")
    if not raw.isdigit() or len(raw) > 9:
        return None
    return selectors._meetings_visible_to(request.user).filter(pk=int(raw)).first()


def _source_idea(request):
    """``?idea=<id>``: "create a project from this idea" (and its merged group)."""
    raw = request.GET.get("idea", "")
    if not raw.isdigit() or len(raw) > 9:
        return None
    return selectors._ideas_visible_to(request.user).filter(pk=int(raw)).first()


def _source_help_request(request):
    """``?help_request=<id>``: "create a project from this request" prefills the form."""
    raw = request.GET.get("help_request", "")
    if not raw.isdigit() or len(raw) > 9:
        return None
    from ateliers.selectors.help import help_requests_visible_to

    return help_requests_visible_to(request.user).filter(pk=int(raw)).first()


# --- the team's page: one small action per form ----------------------------------------
#
# Every form of the edit page posts to the page itself with ``form=<name>``; the page binds
# that one form, and its action (one service call) runs when the form is valid.


def _save_project(actor, project, data: dict) -> None:
    services.project_update(actor=actor, project=project, **data)


def _advance_phase(actor, project, data: dict) -> None:
    services.project_advance_phase(actor=actor, project=project, **data)


def _add_milestone(actor, project, data: dict) -> None:
    services.milestone_create(actor=actor, project=project, **data)


def _mark_milestone_done(actor, project, data: dict) -> None:
    done_on = (data.get("done_on") or timezone.localdate()) if data["done"] else None
    services.milestone_update(actor=actor, milestone=data["milestone"], done_on=done_on)


def _edit_milestone(actor, project, data: dict) -> None:
    """Blank fields stay as they are."""
    changes = {k: data[k] for k in ("title", "title_en", "due_on", "weight") if data.get(k)}
    services.milestone_update(actor=actor, milestone=data["milestone"], **changes)


def _post_update(actor, project, data: dict) -> None:
    services.project_post_update(
        actor=actor, project=project, text=data["text"], text_en=data.get("text_en", "")
    )


def _add_indicator(actor, project, data: dict) -> None:
    services.indicator_create(actor=actor, project=project, **data)


def _record_value(actor, project, data: dict) -> None:
    services.indicator_record_value(
        actor=actor,
        indicator=data["indicator"],
        value=data["value"],
        measured_on=data.get("measured_on"),
    )


def _add_member(actor, project, data: dict) -> None:
    user = User.objects.filter(username=data["username"]).first()
    if user is None:
        raise ValidationError({"username": _("No account has this username.")})
    services.project_member_add(actor=actor, project=project, user=user, role=data["role"])


def _remove_milestone(actor, project, data: dict) -> None:
    services.milestone_delete(actor=actor, milestone=data["milestone"])


def _remove_member(actor, project, data: dict) -> None:
    services.project_member_remove(actor=actor, member=data["member"])


def _project_initial(project) -> dict:
    return {
        "title_fr": project.title_fr,
        "title_en": project.title_en,
        "summary_fr": project.summary_fr,
        "summary_en": project.summary_en,
        "region": project.region,
        "visibility": project.visibility,
        "partners": list(project.partners.all()),
        "organizations": list(project.organizations.all()),
    }


def _own_rows(project, manage: bool) -> dict:
    """For the forms whose choices are the project's own milestones, indicators, members."""
    return {"project": project}


@dataclass(frozen=True)
class EditAction:
    """One form of the edit page: how to build it, and the service call it makes."""

    form: type[forms.Form]
    save: Callable[[User, Project, dict], None]
    form_kwargs: Callable[[Project, bool], dict] = field(default=lambda project, manage: {})


# In the order the forms are built (the phase form reads the phase criteria).
EDIT_ACTIONS: dict[str, EditAction] = {
    "project": EditAction(
        ProjectForm,
        _save_project,
        lambda project, manage: {"manage": manage, "initial": _project_initial(project)},
    ),
    "transition": EditAction(
        TransitionForm, _advance_phase, lambda project, manage: {"current": project.phase}
    ),
    "milestone": EditAction(MilestoneForm, _add_milestone),
    "done": EditAction(MilestoneDoneForm, _mark_milestone_done, _own_rows),
    "update": EditAction(UpdateForm, _post_update),
    "indicator": EditAction(IndicatorForm, _add_indicator),
    "value": EditAction(ValueForm, _record_value, _own_rows),
    "member": EditAction(MemberForm, _add_member),
    "milestone_remove": EditAction(MilestoneRemoveForm, _remove_milestone, _own_rows),
    "member_remove": EditAction(MemberRemoveForm, _remove_member, _own_rows),
    "milestone_edit": EditAction(MilestoneEditForm, _edit_milestone, _own_rows),
}


@login_required
def project_edit(request, pk: int):
    """The team's page: every form posts here with ``form=<name>`` and runs its action."""
    project = _visible_project(request, pk, detail=True)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    manage = can_manage_project(request.user, project)
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and which not in EDIT_ACTIONS:
        return render(request, "frontend/errors/error.html", {"status": 400}, status=400)
    forms_ = {
        name: action.form(
            request.POST if name == which else None,
            prefix=name,
            **action.form_kwargs(project, manage),
        )
        for name, action in EDIT_ACTIONS.items()
    }
    if which:
        form, save = forms_[which], EDIT_ACTIONS[which].save
        if save_posted(request, form, lambda: save(request.user, project, form.cleaned_data)):
            messages.success(request, _("Saved."))
            return redirect("frontend:project-edit", pk=project.pk)
    status = 400 if which and forms_[which].errors else 200
    return render(
        request,
        "frontend/projects/edit.html",
        {
            "project": project,
            "forms": forms_,
            "manage": manage,
            "milestones": list(project.milestones.all()),
            "has_members": project.members.exists(),
            "timeline": _timeline(project),
        },
        status=status,
    )


@login_required
def story_edit(request, pk: int):
    project = _visible_project(request, pk)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    story = Story.objects.filter(project=project).first()
    initial = {}
    if story:
        initial = {
            name: getattr(story, name) for name in StoryForm.base_fields if name != "publish"
        }
        initial["publish"] = story.is_published
    form = StoryForm(request.POST or None, initial=initial)

    def save():
        data = dict(form.cleaned_data)
        return services.story_save(
            actor=request.user, project=project, publish=data.pop("publish"), **data
        )

    if save_posted(request, form, save):
        messages.success(request, _("Story saved."))
        return redirect("frontend:project-detail", pk=project.pk)
    return render(
        request,
        "frontend/projects/story_edit.html",
        {"project": project, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def dashboard(request):
    """The partner's view (the funder's portfolio): every project I follow or support, at
    a glance, with charts; filterable by event, phase, theme, region and partner, exported
    as CSV and as one PDF with the same filters.

    Paginated (50 a page) so an organizer, who sees every project, gets a bounded page;
    the phase chart and the late count cover all the filtered ones (aggregate queries).
    """
    filterset, mine = selectors.portfolio(request.user, request.GET)
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    projects = list(page.object_list)
    totals = selectors.portfolio_summary(mine)
    counts = {value: totals["phases"].get(value, 0) for value, _label in Phase.choices}
    phase_chart = charts.bar_chart(
        key="phases",
        title=_("Projects by phase"),
        description=_(
            "Bar chart of the number of my projects in each phase; the same "
            "figures are in the table below."
        ),
        points=[(str(label), counts[value]) for value, label in Phase.choices],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "frontend/projects/dashboard.html",
        {
            "projects": projects,
            "page": page,
            "total": totals["total"],
            "phase_chart": phase_chart,
            "late_total": totals["late"],
            "filterset": filterset,
            "query": query.urlencode(),
            **_portfolio_choices(request.user),
        },
    )


def _portfolio_choices(user) -> dict:
    """Filter choices drawn only from my projects (a list must not reveal hidden ones)."""
    from ateliers.models import Event

    mine = selectors.my_project_ids(user)
    return {
        "events": list(Event.objects.filter(projects__in=mine).distinct().order_by("starts_at")),
        "themes": list(
            Theme.objects.filter(projects__in=mine).distinct().order_by("event_id", "position")
        ),
        "regions": list(
            Project.objects.filter(pk__in=mine)
            .exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        ),
        "partners": list(
            Organization.objects.filter(partnered_projects__in=mine).distinct().order_by("name")
        ),
        "phases": Phase.choices,
    }


def story_list(request):
    stories = selectors.stories_visible_to(request.user).filter(published_at__isnull=False)
    page = Paginator(stories.order_by("-published_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "frontend/projects/stories.html", {"page": page})


def story_detail(request, pk: int):
    story = get_object_or_404(selectors.stories_visible_to(request.user), project__pk=pk)
    return render(
        request, "frontend/projects/story.html", {"story": story, "project": story.project}
    )
