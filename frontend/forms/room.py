"""The room: appoint a co-moderator or a facilitator."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.choices import ModeratorRole
from ateliers.models import User


class AppointForm(forms.Form):
    account = forms.CharField(
        label=gettext_lazy("Account (user name or e-mail address)"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Role"),
        choices=ModeratorRole.choices,
        initial=ModeratorRole.MODERATOR,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "A co-moderator hides, shows, pins and merges ideas, locks the board and runs "
            "polls; a facilitator runs polls only. Both on this event only."
        ),
    )

    def clean_account(self) -> User:
        value = self.cleaned_data["account"].strip()
        matches = list(
            User.objects.filter(Q(username__iexact=value) | Q(email__iexact=value), is_active=True)[
                :2
            ]
        )
        if len(matches) != 1:
            raise ValidationError(_("No single active account has this user name or e-mail."))
        return matches[0]
