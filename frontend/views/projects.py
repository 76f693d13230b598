"""Project pages: directory, project page, team editing, partner dashboard, stories.

Every page starts from ``projets.selectors``; forms call ``projets.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ateliers.exceptions import DomainError
from ateliers.models import HelpRequest, Idea, Meeting, Organization, Theme
from ateliers.permissions import can_see_event, is_account, is_organizer
from projets import charts, selectors, services
from projets.choices import CYCLE, Phase, ProjectRole, Visibility, allowed_moves
from projets.filtersets import ProjectFilterSet
from projets.models import (
    Follow,
    Indicator,
    IndicatorValue,
    Milestone,
    PhaseCriterion,
    PhaseTransition,
    Project,
    ProjectMember,
    Story,
)
from projets.permissions import can_edit_project, can_manage_project

# --- forms -----------------------------------------------------------------------------


class IdsField(forms.ModelMultipleChoiceField):
    """Ids out of the database's integer range are invalid choices (SQLite would raise)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if text.isdigit() and not 0 < int(text) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)


class ProjectForm(forms.Form):
    title_fr = forms.CharField(label=gettext_lazy("Title (French)"), max_length=200, required=False)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    summary_fr = forms.CharField(
        label=gettext_lazy("Summary (French)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    summary_en = forms.CharField(
        label=gettext_lazy("Summary (English)"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    region = forms.CharField(label=gettext_lazy("Region"), max_length=100, required=False)
    visibility = forms.ChoiceField(label=gettext_lazy("Visibility"), choices=Visibility.choices)
    partners = IdsField(
        label=gettext_lazy("Partners"),
        queryset=Organization.objects.order_by("name", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    organizations = IdsField(
        label=gettext_lazy("Organisations involved"),
        queryset=Organization.objects.order_by("name", "id"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    source_help_requests = IdsField(
        queryset=HelpRequest.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    source_ideas = IdsField(
        queryset=Idea.objects.all(), required=False, widget=forms.MultipleHiddenInput
    )
    source_meetings = IdsField(
        queryset=Meeting.objects.select_related("schedule__event"),
        required=False,
        widget=forms.MultipleHiddenInput,
    )
    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("Make another project from this source anyway"), required=False
    )

    def __init__(
        self, *args, manage: bool = True, creating: bool = False, duplicate=False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not manage:
            for name in ("visibility", "partners", "organizations"):
                del self.fields[name]
        if not creating:
            del self.fields["source_help_requests"]
            del self.fields["source_ideas"]
            del self.fields["source_meetings"]
        if not duplicate:
            del self.fields["confirm_duplicate"]


class TransitionForm(forms.Form):
    phase = forms.ChoiceField(label=gettext_lazy("New phase"), choices=Phase.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Entry criteria met"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Tick every criterion of the phase the project enters."),
    )
    confirm_backward = forms.BooleanField(
        label=gettext_lazy("I confirm moving the project back to an earlier phase"),
        required=False,
    )

    def __init__(self, *args, current: str = Phase.EXPLORATION, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        moves = allowed_moves(current)
        self.fields["phase"].choices = [(v, lbl) for v, lbl in Phase.choices if v in moves]
        # The default is the next step forward, never a step back.
        forward = [m for m in moves if not services.is_backward_move(current, m)]
        self.fields["phase"].initial = forward[0] if forward else None
        self.criteria = list(
            PhaseCriterion.objects.filter(phase__in=forward, active=True).order_by("position", "id")
        )
        if self.criteria:
            labels = dict(Phase.choices)
            self.fields["criteria"].choices = [
                (str(c.pk), f"{labels[c.phase]} — {c.text}") for c in self.criteria
            ]
        else:
            del self.fields["criteria"]
        if not any(services.is_backward_move(current, m) for m in moves):
            del self.fields["confirm_backward"]

    def clean(self):
        data = super().clean()
        phase = data.get("phase")
        backward = phase and services.is_backward_move(self.current, phase)
        if backward and not data.get("confirm_backward"):
            self.add_error(
                "confirm_backward",
                _("Moving back is recorded and told to the followers: confirm it."),
            )
        ticked = {int(pk) for pk in data.get("criteria") or ()}
        data["criteria"] = [c.pk for c in self.criteria if c.phase == phase and c.pk in ticked]
        data.pop("confirm_backward", None)
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=200)
    title_en = forms.CharField(
        label=gettext_lazy("Milestone in English (optional)"), max_length=200, required=False
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"),
        min_value=1,
        max_value=100,
        initial=1,
        help_text=gettext_lazy("How much of the project's work it stands for (1 to 100)."),
    )


class MilestoneEditForm(forms.Form):
    """Rename a milestone, move its due date, change its weight (blank: unchanged)."""

    milestone = forms.ModelChoiceField(
        label=gettext_lazy("Milestone"), queryset=Milestone.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("New title"), max_length=200, required=False)
    title_en = forms.CharField(
        label=gettext_lazy("New title in English"), max_length=200, required=False
    )
    due_on = forms.DateField(
        label=gettext_lazy("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"), min_value=1, max_value=100, required=False
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        self.fields["milestone"].label_from_instance = lambda m: m.title_shown


class UpdateForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text_en = forms.CharField(
        label=gettext_lazy("In English (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class IndicatorForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Indicator"), max_length=200)
    name_en = forms.CharField(
        label=gettext_lazy("Indicator in English (optional)"), max_length=200, required=False
    )
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=50, required=False)
    target = forms.DecimalField(label=gettext_lazy("Target"), max_digits=14, decimal_places=2)
    baseline = forms.DecimalField(
        label=gettext_lazy("Baseline"), max_digits=14, decimal_places=2, required=False
    )


class ValueForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=gettext_lazy("Indicator"), queryset=Indicator.objects.none()
    )
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=14, decimal_places=2)
    measured_on = forms.DateField(
        label=gettext_lazy("Measured on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(project=project)
        self.fields["indicator"].label_from_instance = lambda i: i.name_shown


class MilestoneDoneForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=gettext_lazy("Milestone"), queryset=Milestone.objects.none()
    )
    done = forms.BooleanField(label=gettext_lazy("Done"), required=False)
    done_on = forms.DateField(
        label=gettext_lazy("Done on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for today."),
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        self.fields["milestone"].label_from_instance = lambda m: m.title_shown


class MilestoneRemoveForm(forms.Form):
    milestone = forms.ModelChoiceField(
        label=gettext_lazy("Milestone"), queryset=Milestone.objects.none()
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = Milestone.objects.filter(project=project)
        self.fields["milestone"].label_from_instance = lambda m: m.title_shown


class MemberRemoveForm(forms.Form):
    member = forms.ModelChoiceField(
        label=gettext_lazy("Team member"), queryset=ProjectMember.objects.none()
    )

    def __init__(self, *args, project=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = ProjectMember.objects.filter(
            project=project
        ).select_related("user")
        self.fields["member"].label_from_instance = lambda m: (
            f"{m.user.public_name} ({m.get_role_display()})"
        )


class MemberForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ProjectRole.choices)


class StoryForm(forms.Form):
    title_fr = forms.CharField(label=gettext_lazy("Title (French)"), max_length=200, required=False)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    narrative_fr = forms.CharField(
        label=gettext_lazy("Narrative (French)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea,
    )
    narrative_en = forms.CharField(
        label=gettext_lazy("Narrative (English)"),
        max_length=20000,
        required=False,
        widget=forms.Textarea,
    )
    worked_fr = forms.CharField(
        label=gettext_lazy("What worked (French)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    worked_en = forms.CharField(
        label=gettext_lazy("What worked (English)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    did_not_work_fr = forms.CharField(
        label=gettext_lazy("What did not work (French)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    did_not_work_en = forms.CharField(
        label=gettext_lazy("What did not work (English)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lessons_fr = forms.CharField(
        label=gettext_lazy("Lessons (French)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lessons_en = forms.CharField(
        label=gettext_lazy("Lessons (English)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    publish = forms.BooleanField(label=gettext_lazy("Published"), required=False)


def _apply_errors(form: forms.Form, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    elif isinstance(exc, ValidationError):
        form.add_error(None, exc.messages)
    else:
        form.add_error(None, getattr(exc, "message", str(exc)))


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
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, DomainError) as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Project opened."))
            return redirect("frontend:project-edit", pk=project.pk)
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


EDIT_FORMS = (
    "project",
    "transition",
    "milestone",
    "done",
    "update",
    "indicator",
    "value",
    "member",
    "milestone_remove",
    "member_remove",
    "milestone_edit",
)


@login_required
def project_edit(request, pk: int):
    """The team's page: every form posts here with ``form=<name>`` and calls one service."""
    project = _visible_project(request, pk, detail=True)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    manage = can_manage_project(request.user, project)
    initial = {
        "title_fr": project.title_fr,
        "title_en": project.title_en,
        "summary_fr": project.summary_fr,
        "summary_en": project.summary_en,
        "region": project.region,
        "visibility": project.visibility,
        "partners": list(project.partners.all()),
        "organizations": list(project.organizations.all()),
    }
    which = request.POST.get("form") if request.method == "POST" else None
    if request.method == "POST" and which not in EDIT_FORMS:
        return render(request, "frontend/errors/error.html", {"status": 400}, status=400)

    def bound(name, cls, **kwargs):
        data = request.POST if which == name else None
        return cls(data, prefix=name, **kwargs)

    forms_ = {
        "project": bound("project", ProjectForm, manage=manage, initial=initial),
        "transition": bound("transition", TransitionForm, current=project.phase),
        "milestone": bound("milestone", MilestoneForm),
        "done": bound("done", MilestoneDoneForm, project=project),
        "update": bound("update", UpdateForm),
        "indicator": bound("indicator", IndicatorForm),
        "value": bound("value", ValueForm, project=project),
        "member": bound("member", MemberForm),
        "milestone_remove": bound("milestone_remove", MilestoneRemoveForm, project=project),
        "member_remove": bound("member_remove", MemberRemoveForm, project=project),
        "milestone_edit": bound("milestone_edit", MilestoneEditForm, project=project),
    }
    if which:
        form = forms_[which]
        if form.is_valid():
            try:
                _save(which, request.user, project, form.cleaned_data)
            except (ValidationError, DomainError) as exc:
                _apply_errors(form, exc)
            else:
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


def _save(which: str, actor, project, data: dict) -> None:
    if which == "project":
        services.project_update(actor=actor, project=project, **data)
    elif which == "transition":
        services.project_advance_phase(actor=actor, project=project, **data)
    elif which == "milestone":
        services.milestone_create(actor=actor, project=project, **data)
    elif which == "done":
        from django.utils import timezone

        done_on = (data.get("done_on") or timezone.localdate()) if data["done"] else None
        services.milestone_update(actor=actor, milestone=data["milestone"], done_on=done_on)
    elif which == "milestone_edit":
        changes = {k: data[k] for k in ("title", "title_en", "due_on", "weight") if data.get(k)}
        services.milestone_update(actor=actor, milestone=data["milestone"], **changes)
    elif which == "update":
        services.project_post_update(
            actor=actor, project=project, text=data["text"], text_en=data.get("text_en", "")
        )
    elif which == "indicator":
        services.indicator_create(actor=actor, project=project, **data)
    elif which == "value":
        services.indicator_record_value(
            actor=actor,
            indicator=data["indicator"],
            value=data["value"],
            measured_on=data.get("measured_on"),
        )
    elif which == "milestone_remove":
        services.milestone_delete(actor=actor, milestone=data["milestone"])
    elif which == "member_remove":
        services.project_member_remove(actor=actor, member=data["member"])
    elif which == "member":
        from ateliers.models import User

        user = User.objects.filter(username=data["username"]).first()
        if user is None:
            raise ValidationError({"username": _("No account has this username.")})
        services.project_member_add(actor=actor, project=project, user=user, role=data["role"])


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
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.story_save(
                actor=request.user, project=project, publish=data.pop("publish"), **data
            )
        except (ValidationError, DomainError) as exc:
            _apply_errors(form, exc)
        else:
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
