"""Profiles, kept once and reused: organisations and their members, experts, preferences."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.choices import Language
from ateliers.models import ExpertProfile, Organization, Skill, User

from .base import url_field


class OrganizationForm(forms.ModelForm):
    website = url_field(_("Website"))

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
