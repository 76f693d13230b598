"""Running an event's room: the organizer appoints co-moderators and facilitators.

Plain POST forms over ``ateliers.services.moderators``; no JavaScript needed.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ateliers.choices import ModeratorRole
from ateliers.exceptions import DomainError
from ateliers.models import Event, EventModerator, User
from ateliers.permissions import can_moderate_event, is_account
from ateliers.services import moderators as moderator_services

from .board import _event as board_event
from .organizer import apply_errors, organizer_required, posted_data


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


@organizer_required
def moderators(request, pk: int):
    """List the event's appointed people and appoint one more."""
    event = get_object_or_404(Event, pk=pk)
    form = AppointForm(posted_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            appointment, _created = moderator_services.moderator_appoint(
                actor=request.user,
                event=event,
                user=form.cleaned_data["account"],
                role=form.cleaned_data["role"],
            )
        except (ValidationError, DomainError) as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now helps run this event.") % {"name": appointment.user.public_name},
            )
            return redirect("frontend:organizer-moderators", pk=event.pk)
    appointed = EventModerator.objects.filter(event=event).select_related("user")
    return render(
        request,
        "frontend/organizer/moderators.html",
        {"event": event, "form": form, "appointed": appointed},
        status=400 if form.errors else 200,
    )


@organizer_required
@require_POST
def moderator_remove(request, pk: int, user_pk: int):
    event = get_object_or_404(Event, pk=pk)
    user = get_object_or_404(User, pk=user_pk)
    try:
        moderator_services.moderator_remove(actor=request.user, event=event, user=user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(name)s no longer helps run this event.") % {"name": user.public_name}
        )
    return redirect("frontend:organizer-moderators", pk=event.pk)


@cache_control(no_store=True)
def duplicates(request, pk: int):
    """The moderation page's "likely duplicates" section alone: ``duplicates.js`` fetches
    it again when ideas arrive."""
    if not is_account(request.user):
        raise PermissionDenied
    event = board_event(request, pk)
    if not can_moderate_event(request.user, event):
        raise PermissionDenied
    return render(request, "frontend/board/_duplicates_fragment.html", {"event": event})
