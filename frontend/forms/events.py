"""The organizer's forms: an event, its themes and its time slots."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.models import Event, Theme, TimeSlot
from ateliers.models.events import EVENT_CONTENT_FIELDS

from .base import datetime_field, url_field


class EventForm(forms.ModelForm):
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))
    online_url = url_field(_("Online link"))

    class Meta:
        model = Event
        fields = [*EVENT_CONTENT_FIELDS, "moderation"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 5, "lang": "fr"}),
            "description_en": forms.Textarea(attrs={"rows": 5, "lang": "en"}),
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
            "capacity": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
        }
        help_texts = {
            "title_fr": _("Give the title in French, in English, or both."),
            "capacity": _("Leave empty for no limit."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted before the choice existed keeps the event's current moderation.
        self.fields["moderation"].required = False

    def clean_moderation(self):
        return self.cleaned_data.get("moderation") or self.instance.moderation


class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name_fr", "name_en", "description_fr", "description_en"]
        widgets = {
            "name_fr": forms.TextInput(attrs={"lang": "fr"}),
            "name_en": forms.TextInput(attrs={"lang": "en"}),
            "description_fr": forms.Textarea(attrs={"rows": 3, "lang": "fr"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "lang": "en"}),
        }
        help_texts = {"name_fr": _("Give the name in French, in English, or both.")}


class TimeSlotForm(forms.ModelForm):
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))

    class Meta:
        model = TimeSlot
        fields = ["title_fr", "title_en", "kind", "starts_at", "ends_at", "room", "theme"]
        widgets = {
            "title_fr": forms.TextInput(attrs={"lang": "fr"}),
            "title_en": forms.TextInput(attrs={"lang": "en"}),
        }

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.event = event
        self.fields["theme"].queryset = event.themes.all()
        self.fields["theme"].label_from_instance = lambda theme: theme.name
