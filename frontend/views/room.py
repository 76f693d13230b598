"""Running an event's room: the organizer appoints co-moderators and facilitators.

Plain POST forms over ``ateliers.services.moderators``; no JavaScript needed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from ateliers.exceptions import DomainError
from ateliers.models import Event, EventModerator, User
from ateliers.permissions import can_moderate_event, is_account
from ateliers.services import moderators as moderator_services

from ..errors import act, save_posted
from ..forms.room import AppointForm
from .board import _event as board_event
from .organizer import organizer_required, posted_data


@organizer_required
def moderators(request, pk: int):
    """List the event's appointed people and appoint one more."""
    event = get_object_or_404(Event, pk=pk)
    form = AppointForm(posted_data(request))
    posted = save_posted(
        request,
        form,
        lambda: moderator_services.moderator_appoint(
            actor=request.user,
            event=event,
            user=form.cleaned_data["account"],
            role=form.cleaned_data["role"],
        ),
    )
    if posted:
        appointment, _created = posted.value
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
    act(
        request,
        lambda: moderator_services.moderator_remove(actor=request.user, event=event, user=user),
        done=_("%(name)s no longer helps run this event.") % {"name": user.public_name},
        catch=DomainError,
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
