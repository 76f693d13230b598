"""Living-lab projects: the project, its phase, milestones, news, indicators, team, story."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.models import HelpRequest, Idea, Meeting, Organization
from projets import services
from projets.choices import Phase, ProjectRole, Visibility, allowed_moves
from projets.models import Indicator, Milestone, PhaseCriterion, ProjectMember

from .base import IdsField


def _text(label, max_length: int, *, rows: int | None = None) -> forms.CharField:
    """An optional text area (without ``rows``: the browser's default size)."""
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.Textarea
    return forms.CharField(label=label, max_length=max_length, required=False, widget=widget)


class ProjectForm(forms.Form):
    title_fr = forms.CharField(label=gettext_lazy("Title (French)"), max_length=200, required=False)
    title_en = forms.CharField(
        label=gettext_lazy("Title (English)"), max_length=200, required=False
    )
    summary_fr = _text(gettext_lazy("Summary (French)"), 10000, rows=4)
    summary_en = _text(gettext_lazy("Summary (English)"), 10000, rows=4)
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
    note = _text(gettext_lazy("Note"), 5000, rows=3)

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
    text_en = _text(gettext_lazy("In English (optional)"), 5000, rows=3)


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
    narrative_fr = _text(gettext_lazy("Narrative (French)"), 20000)
    narrative_en = _text(gettext_lazy("Narrative (English)"), 20000)
    worked_fr = _text(gettext_lazy("What worked (French)"), 5000, rows=3)
    worked_en = _text(gettext_lazy("What worked (English)"), 5000, rows=3)
    did_not_work_fr = _text(gettext_lazy("What did not work (French)"), 5000, rows=3)
    did_not_work_en = _text(gettext_lazy("What did not work (English)"), 5000, rows=3)
    lessons_fr = _text(gettext_lazy("Lessons (French)"), 5000, rows=3)
    lessons_en = _text(gettext_lazy("Lessons (English)"), 5000, rows=3)
    publish = forms.BooleanField(label=gettext_lazy("Published"), required=False)
