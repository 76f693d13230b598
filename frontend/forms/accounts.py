"""Accounts: sign up, delete one's own account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class SignupForm(forms.Form):
    username = forms.RegexField(
        label=gettext_lazy("Username"),
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label=gettext_lazy("Name shown to others"), max_length=80, required=False
    )
    email = forms.EmailField(
        label=gettext_lazy("Email (never shown to others)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
