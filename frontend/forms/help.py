"""Help requests: ask for help, edit the request."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from ateliers.choices import EventStatus, HelpFormat, Language, Urgency
from ateliers.models import Event, Organization, Skill
from ateliers.permissions import is_organizer
from ateliers.selectors import events as event_selectors


class HelpRequestForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=Organization.objects.none()
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Describe the problem"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        required=False,
    )
    skills = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Skills needed"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    language = forms.ChoiceField(label=gettext_lazy("Language"), choices=Language.choices)
    urgency = forms.ChoiceField(
        label=gettext_lazy("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=HelpFormat.choices, initial=HelpFormat.EITHER
    )
    event = forms.ModelChoiceField(
        label=gettext_lazy("At an event (optional)"),
        queryset=Event.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.all() if is_organizer(user) else user.organizations.all()
        self.fields["organization"].queryset = orgs.order_by("name", "id")
        events = event_selectors.events_visible_to(user).exclude(status=EventStatus.CLOSED)
        self.fields["event"].queryset = events.order_by("-starts_at", "id")
        self.fields["event"].label_from_instance = lambda e: e.title
        if editing:
            del self.fields["organization"]
