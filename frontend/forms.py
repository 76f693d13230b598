"""Forms of the pages. They parse and validate input; the services do the writing.

ModelForms are used for their labels, lengths and model ``clean()`` (so "give a title in
French or English" shows next to the right field), never for ``save()``: views pass
``cleaned_data`` to a service.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.choices import Language
from ateliers.models import Event, ExpertProfile, Organization, Skill, Theme, TimeSlot, User

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker (``<input type=datetime-local>``)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def _datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


def _url_field(label) -> forms.URLField:
    return forms.URLField(label=label, max_length=300, required=False, assume_scheme="https")


class EventForm(forms.ModelForm):
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))
    online_url = _url_field(_("Online link"))

    class Meta:
        model = Event
        fields = [
            "title_fr",
            "title_en",
            "description_fr",
            "description_en",
            "starts_at",
            "ends_at",
            "venue",
            "online_url",
            "region",
            "languages",
            "capacity",
            "status",
            "moderation",
        ]
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
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))

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


class OrganizationForm(forms.ModelForm):
    website = _url_field(_("Website"))

    class Meta:
        model = Organization
        fields = ["name", "description", "languages", "website", "region"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class MemberAddForm(forms.Form):
    username = forms.CharField(label=_("Username of the person to add"), max_length=150)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(_("No account has this username."))
        self.user = user
        return username


class SkillChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ExpertProfileForm(forms.ModelForm):
    # Slugs, not ids: what the service takes, and no 20-digit id overflowing SQLite's integers.
    skills = SkillChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ExpertProfile
        fields = ["skills", "languages", "bio", "availability"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language of the pages and emails"),
        choices=Language.choices[:2],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = User
        fields = ["display_name", "email", "language", "email_notifications"]
        labels = {
            "display_name": _("Name shown to others"),
            "email": _("Email (never shown to others)"),
            "email_notifications": _("Send me emails about my events and requests"),
        }
