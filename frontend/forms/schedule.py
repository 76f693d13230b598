"""Consultation schedule: generate the rounds, pin a meeting, one's consultation wishes."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.choices import RegistrationRole
from ateliers.models import Registration


class GenerateForm(forms.Form):
    """Rounds of equal length, one after the other with a break between them."""

    first_start = forms.DateTimeField(
        label=gettext_lazy("First round starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    rounds = forms.IntegerField(label=gettext_lazy("Number of rounds"), min_value=1, max_value=48)
    minutes = forms.IntegerField(
        label=gettext_lazy("Length of a round (minutes)"), min_value=5, max_value=240
    )
    break_minutes = forms.IntegerField(
        label=gettext_lazy("Break between rounds (minutes)"), min_value=0, max_value=120
    )
    tables = forms.IntegerField(label=gettext_lazy("Tables"), min_value=1, max_value=1000)
    max_meetings_per_organization = forms.IntegerField(
        label=gettext_lazy("At most this many meetings per organisation"),
        min_value=1,
        max_value=48,
        required=False,
        help_text=gettext_lazy("Empty: as many as there are rounds."),
    )
    max_meetings_per_expert = forms.IntegerField(
        label=gettext_lazy("At most this many meetings per expert"),
        min_value=1,
        max_value=48,
        required=False,
        help_text=gettext_lazy(
            "Balances the experts' load. Empty: each expert's own limit, or every round."
        ),
    )

    def rounds_list(self) -> list[dict[str, str]]:
        data = self.cleaned_data
        start = data["first_start"]
        step = timedelta(minutes=data["minutes"] + data["break_minutes"])
        length = timedelta(minutes=data["minutes"])
        return [
            {
                "starts_at": (start + i * step).isoformat(),
                "ends_at": (start + i * step + length).isoformat(),
            }
            for i in range(data["rounds"])
        ]


class PinForm(forms.Form):
    """Put an organisation and an expert together in a round, pinned."""

    organization = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    expert = forms.TypedChoiceField(label=gettext_lazy("Expert"), coerce=int)
    round = forms.TypedChoiceField(label=gettext_lazy("Round"), coerce=int)
    table = forms.IntegerField(
        label=gettext_lazy("Table"),
        min_value=1,
        required=False,
        help_text=gettext_lazy("Empty: any free table."),
    )

    def __init__(self, *args, event, schedule, **kwargs):
        super().__init__(*args, **kwargs)
        regs = Registration.objects.filter(event=event).select_related("organization", "user")
        self.fields["organization"].choices = [
            (r.organization_id, r.organization.name)
            for r in regs
            if r.role == RegistrationRole.ORGANIZATION
        ]
        self.fields["expert"].choices = [
            (r.user_id, r.user.public_name) for r in regs if r.role == RegistrationRole.EXPERT
        ]
        self.fields["round"].choices = [
            (n, _("Round %(n)d") % {"n": n}) for n in range(1, len(schedule.rounds) + 1)
        ]


class WishesForm(forms.Form):
    """One registration's consultation wishes: how many meetings, and when (one window of
    the event's day; empty: all day)."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
    max_meetings = forms.IntegerField(
        label=gettext_lazy("At most this many consultations"),
        required=False,
        min_value=0,
        max_value=48,
        help_text=gettext_lazy("Empty: as many as the schedule allows."),
    )
    available_from = forms.TimeField(
        label=gettext_lazy("Available from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    available_until = forms.TimeField(
        label=gettext_lazy("Available until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("available_from"), data.get("available_until")
        if bool(start) != bool(end):
            raise ValidationError(_("Give both times, or neither for the whole day."))
        if start and end and end <= start:
            raise ValidationError(_("The end comes after the start."))
        return data
