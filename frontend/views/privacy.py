"""Privacy pages: what is kept and for how long, and deleting one's own account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ateliers.permissions import is_account
from ateliers.selectors import events as event_selectors
from ateliers.services import board as board_services
from ateliers.services import privacy
from ateliers.services.privacy import GUEST_RETENTION_DAYS

from ..errors import save_posted
from ..forms.accounts import AccountDeleteForm
from .organizer import posted_data


def privacy_page(request):
    return render(
        request,
        "frontend/privacy.html",
        {"guest_days": GUEST_RETENTION_DAYS, "neutral_name": privacy.neutral_name()},
    )


@login_required
def account_delete(request):
    form = AccountDeleteForm(posted_data(request))
    if save_posted(
        request,
        form,
        lambda: privacy.user_delete(user=request.user, password=form.cleaned_data["password"]),
        catch=ValidationError,
    ):
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


def guest_forget(request, pk: int):
    """A board guest removes its name (like ``DELETE /api/participants/me/``): its ideas,
    comments and votes stay under the neutral name, and this browser forgets the guest."""
    from .board import SESSION_KEY

    event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
    tokens = dict(request.session.get(SESSION_KEY, {}))
    token = tokens.get(str(event.pk))
    participant = board_services.participant_from_token(token) if token else None
    if is_account(request.user) or participant is None or participant.event_id != event.pk:
        return redirect("frontend:board", pk=event.pk)
    if request.method == "POST":
        privacy.participant_erase(participant=participant)
        tokens.pop(str(event.pk), None)
        request.session[SESSION_KEY] = tokens
        messages.success(request, _("Your name is removed from this board."))
        return redirect("frontend:board", pk=event.pk)
    return render(
        request,
        "frontend/board/forget.html",
        {
            "event": event,
            "title": _("Remove my name from this board"),
            "intro": _(
                "“%(name)s” becomes “%(neutral)s” on everything you posted here; your "
                "ideas, comments and votes stay. This cannot be undone."
            )
            % {"name": participant.display_name, "neutral": privacy.neutral_name()},
        },
    )
