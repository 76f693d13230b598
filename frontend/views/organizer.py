"""The organizer's pages: events, themes, time slots, registrations and check-in.

Every write is a POST form that calls a service of ``ateliers.services.events``; the
pages work without JavaScript.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ateliers.choices import EventStatus, RegistrationRole
from ateliers.filtersets import RegistrationFilterSet
from ateliers.models import Event, Registration, Theme, TimeSlot
from ateliers.permissions import is_organizer
from ateliers.selectors import events as event_selectors
from ateliers.selectors import people as people_selectors
from ateliers.services import events as event_services

from ..errors import act, save_posted
from ..forms.events import EventForm, ThemeForm, TimeSlotForm


def organizer_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_organizer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def posted_data(request):
    """The POST data to bind a form to, even when empty (``request.POST or None`` is not)."""
    return request.POST if request.method == "POST" else None


def _event(pk: int) -> Event:
    return get_object_or_404(Event, pk=pk)


@organizer_required
def dashboard(request):
    events = event_selectors.event_list(request.user).order_by("-starts_at", "id")
    return render(request, "frontend/organizer/dashboard.html", {"events": events})


@organizer_required
def event_create(request):
    form = EventForm(posted_data(request), initial={"languages": ["fr", "en"]})
    posted = save_posted(
        request,
        form,
        lambda: event_services.event_create(actor=request.user, **form.cleaned_data),
    )
    if posted:
        event = posted.value
        messages.success(
            request, _("Event created. Its join code is %(code)s.") % {"code": event.join_code}
        )
        return redirect("frontend:organizer-event", pk=event.pk)
    return render(
        request,
        "frontend/organizer/form.html",
        {"form": form, "title": _("New event"), "submit": _("Create the event")},
    )


@organizer_required
def event_manage(request, pk: int):
    event = _event(pk)
    themes = list(event.themes.all())
    slots = event.slots.select_related("theme")
    counts = dict(
        event.registrations.values_list("role").annotate(n=Count("id")).values_list("role", "n")
    )
    return render(
        request,
        "frontend/organizer/event.html",
        {
            "event": event,
            "themes": themes,
            "slots": slots,
            "counts": counts,
            "total": sum(counts.values()),
            "statuses": EventStatus,
        },
    )


@organizer_required
def event_edit(request, pk: int):
    event = _event(pk)
    form = EventForm(posted_data(request), instance=event)
    if save_posted(
        request,
        form,
        lambda: event_services.event_update(actor=request.user, event=event, **form.cleaned_data),
    ):
        messages.success(request, _("Event saved."))
        return redirect("frontend:organizer-event", pk=event.pk)
    return render(
        request,
        "frontend/organizer/form.html",
        {
            "form": form,
            "event": event,
            "title": _("Edit the event"),
            "submit": _("Save"),
            "cancel": reverse("frontend:organizer-event", args=[event.pk]),
        },
    )


STATUS_MESSAGES = {
    EventStatus.PUBLISHED: _("The event is published."),
    EventStatus.CLOSED: _("The event is closed."),
    EventStatus.DRAFT: _("The event is back to draft."),
}


@organizer_required
@require_POST
def event_status(request, pk: int):
    """Publish, close or reopen an event with one button."""
    event = _event(pk)
    status = request.POST.get("status", "")
    if status not in EventStatus.values:
        messages.error(request, _("Unknown status."))
    else:
        act(
            request,
            lambda: event_services.event_update(actor=request.user, event=event, status=status),
            done=str(STATUS_MESSAGES[status]),
        )
    return redirect("frontend:organizer-event", pk=event.pk)


def _child_form_page(request, *, event, form, title, submit):
    return render(
        request,
        "frontend/organizer/form.html",
        {
            "form": form,
            "event": event,
            "title": title,
            "submit": submit,
            "cancel": reverse("frontend:organizer-event", args=[event.pk]),
        },
    )


@organizer_required
def theme_create(request, pk: int):
    event = _event(pk)
    form = ThemeForm(posted_data(request), instance=Theme(event=event))
    posted = save_posted(
        request,
        form,
        lambda: event_services.theme_create(actor=request.user, event=event, **form.cleaned_data),
    )
    if posted:
        theme = posted.value
        messages.success(request, _("Theme “%(name)s” added.") % {"name": theme.name})
        return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#themes")
    return _child_form_page(
        request, event=event, form=form, title=_("New theme"), submit=_("Add the theme")
    )


@organizer_required
def theme_edit(request, pk: int, theme_pk: int):
    event = _event(pk)
    theme = get_object_or_404(Theme, pk=theme_pk, event=event)
    form = ThemeForm(posted_data(request), instance=theme)
    if save_posted(
        request,
        form,
        lambda: event_services.theme_update(actor=request.user, theme=theme, **form.cleaned_data),
    ):
        messages.success(request, _("Theme saved."))
        return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#themes")
    return _child_form_page(
        request, event=event, form=form, title=_("Edit the theme"), submit=_("Save")
    )


def _confirm_delete(request, *, event, what: str, anchor: str):
    """A deletion cannot be undone: GET asks first, without JavaScript; POST deletes."""
    return render(
        request,
        "frontend/organizer/confirm_delete.html",
        {
            "event": event,
            "what": what,
            "cancel": reverse("frontend:organizer-event", args=[event.pk]) + anchor,
        },
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def theme_delete(request, pk: int, theme_pk: int):
    event = _event(pk)
    theme = get_object_or_404(Theme, pk=theme_pk, event=event)
    if request.method == "GET":
        what = _("the theme “%(name)s”") % {"name": theme.name}
        return _confirm_delete(request, event=event, what=what, anchor=f"#theme-{theme.pk}")
    name = theme.name
    event_services.theme_delete(actor=request.user, theme=theme)
    messages.success(request, _("Theme “%(name)s” deleted.") % {"name": name})
    return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#themes")


@organizer_required
@require_POST
def theme_move(request, pk: int, theme_pk: int):
    """Move a theme one place up or down; positions are renumbered 0…n-1."""
    event = _event(pk)
    themes = list(event.themes.all())
    index = next((i for i, t in enumerate(themes) if t.pk == theme_pk), None)
    if index is None:
        raise Http404
    step = -1 if request.POST.get("direction") == "up" else 1
    target = index + step
    if 0 <= target < len(themes):
        themes[index], themes[target] = themes[target], themes[index]
        for position, theme in enumerate(themes):
            if theme.position != position:
                event_services.theme_update(actor=request.user, theme=theme, position=position)
        messages.success(request, _("Theme “%(name)s” moved.") % {"name": themes[target].name})
    return redirect(reverse("frontend:organizer-event", args=[event.pk]) + f"#theme-{theme_pk}")


@organizer_required
def slot_create(request, pk: int):
    event = _event(pk)
    form = TimeSlotForm(posted_data(request), event=event)
    if save_posted(
        request,
        form,
        lambda: event_services.slot_create(actor=request.user, event=event, **form.cleaned_data),
    ):
        messages.success(request, _("Time slot added."))
        return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#slots")
    return _child_form_page(
        request, event=event, form=form, title=_("New time slot"), submit=_("Add the slot")
    )


@organizer_required
def slot_edit(request, pk: int, slot_pk: int):
    event = _event(pk)
    slot = get_object_or_404(TimeSlot, pk=slot_pk, event=event)
    form = TimeSlotForm(posted_data(request), instance=slot, event=event)
    if save_posted(
        request,
        form,
        lambda: event_services.slot_update(actor=request.user, slot=slot, **form.cleaned_data),
    ):
        messages.success(request, _("Time slot saved."))
        return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#slots")
    return _child_form_page(
        request, event=event, form=form, title=_("Edit the time slot"), submit=_("Save")
    )


@organizer_required
@require_http_methods(["GET", "POST"])
def slot_delete(request, pk: int, slot_pk: int):
    event = _event(pk)
    slot = get_object_or_404(TimeSlot, pk=slot_pk, event=event)
    if request.method == "GET":
        what = _("the time slot “%(title)s”") % {"title": slot.title}
        return _confirm_delete(request, event=event, what=what, anchor="#slots")
    event_services.slot_delete(actor=request.user, slot=slot)
    messages.success(request, _("Time slot deleted."))
    return redirect(reverse("frontend:organizer-event", args=[event.pk]) + "#slots")


@organizer_required
def registrations(request, pk: int):
    event = _event(pk)
    base = people_selectors.registrations_visible_to(request.user, event).order_by(
        "role", "organization__name", "user__username", "id"
    )
    filterset = RegistrationFilterSet(request.GET or None, queryset=base)
    filterset.form.fields["organization"].queryset = filterset.form.fields[
        "organization"
    ].queryset.filter(registrations__event=event)
    fields = filterset.form.fields
    fields["role"].choices = [("", _("All roles")), *RegistrationRole.choices]
    fields["checked_in"].widget = forms.Select(
        choices=[("", _("Everyone")), ("true", _("Checked in")), ("false", _("Not yet"))]
    )
    fields["organization"].empty_label = _("All organisations")
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/organizer/registrations.html",
        {"event": event, "filterset": filterset, "page": page},
    )


@organizer_required
@require_POST
def check_in(request, pk: int, registration_pk: int):
    """One button at the door: check in, or undo a mistaken check-in."""
    event = _event(pk)
    registration = get_object_or_404(Registration, pk=registration_pk, event=event)
    undo = request.POST.get("undo") == "1"
    registration = event_services.registration_check_in(
        actor=request.user, registration=registration, undo=undo
    )
    who = registration.organization or registration.user
    if undo:
        messages.success(request, _("%(who)s is no longer checked in.") % {"who": who})
    else:
        messages.success(request, _("%(who)s is checked in.") % {"who": who})
    fallback = reverse("frontend:organizer-registrations", args=[event.pk])
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith(fallback):
        target = fallback
    # Back to the same row: a volunteer checking people in keeps their place in the list.
    return redirect(f"{target.split('#')[0]}#reg-{registration.pk}")
