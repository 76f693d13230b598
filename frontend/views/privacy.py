"""Privacy pages: what is kept and for how long, and deleting one's own account."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ateliers.services import privacy
from ateliers.services.privacy import GUEST_RETENTION_DAYS

from .organizer import apply_errors, posted_data


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Your password"),
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def privacy_page(request):
    return render(
        request,
        "frontend/privacy.html",
        {"guest_days": GUEST_RETENTION_DAYS, "neutral_name": privacy.neutral_name()},
    )


@login_required
def account_delete(request):
    form = AccountDeleteForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            privacy.user_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted."))
            return redirect("frontend:home")
    return render(
        request,
        "frontend/profiles/form.html",
        {
            "form": form,
            "title": _("Delete my account"),
            "intro": _(
                "Your account, profile, memberships, registrations and notifications are "
                "deleted. What you wrote (ideas, comments, messages, project news) stays, "
                "under the name “%(name)s”. This cannot be undone."
            )
            % {"name": privacy.neutral_name()},
            "submit": _("Delete my account"),
        },
    )
