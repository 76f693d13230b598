"""The form a moderator or facilitator fills to create a poll."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.choices import PollKind
from ateliers.models.polls import QUESTION_MAX_LENGTH


class PollForm(forms.Form):
    question_fr = forms.CharField(
        label=_("Question in French"), max_length=QUESTION_MAX_LENGTH, required=False
    )
    question_en = forms.CharField(
        label=_("Question in English"), max_length=QUESTION_MAX_LENGTH, required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PollKind.choices, initial=PollKind.SINGLE, widget=forms.RadioSelect
    )
    choices_fr = forms.CharField(
        label=_("Choices in French, one a line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Two to twelve choices; none for a word cloud."),
    )
    choices_en = forms.CharField(
        label=_("Choices in English, one a line, in the same order"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def choices(self) -> list[dict]:
        """Pair the two languages' lines: line n in French with line n in English."""
        fr = [line.strip() for line in self.cleaned_data["choices_fr"].splitlines()]
        en = [line.strip() for line in self.cleaned_data["choices_en"].splitlines()]
        fr = [line for line in fr if line]
        en = [line for line in en if line]
        size = max(len(fr), len(en))
        fr += [""] * (size - len(fr))
        en += [""] * (size - len(en))
        return [{"label_fr": a, "label_en": b} for a, b in zip(fr, en, strict=True)]
