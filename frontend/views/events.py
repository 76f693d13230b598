from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers.choices import RegistrationRole
from ateliers.filtersets import EventFilterSet
from ateliers.models import Organization
from ateliers.permissions import is_expert
from ateliers.selectors import events as event_selectors
from ateliers.services import events as event_services

from ..errors import act


def home(request):
    upcoming = (
        event_selectors.events_visible_to(request.user)
        .exclude(status="draft")
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")[:5]
    )
    return render(request, "frontend/home.html", {"upcoming": upcoming})


def event_list(request):
    base = event_selectors.events_visible_to(request.user)
    filterset = EventFilterSet(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(qs.order_by("-starts_at", "id"), 20).get_page(request.GET.get("page"))
    return render(request, "frontend/events/list.html", {"page": page, "filterset": filterset})


def event_detail(request, pk: int):
    event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
    themes = event.themes.all()
    slots = event.slots.select_related("theme")
    my_registrations = []
    member_of = []
    if request.user.is_authenticated:
        my_registrations = list(
            event.registrations.filter(user=request.user).select_related("organization")
        )
        member_of = list(Organization.objects.filter(memberships__user=request.user))
    registered = set(
        event.registrations.filter(
            role=RegistrationRole.ORGANIZATION, organization__in=[o.pk for o in member_of]
        ).values_list("organization_id", flat=True)
        if member_of
        else ()
    )
    my_orgs = [o for o in member_of if o.pk not in registered]
    expert = is_expert(request.user)
    return render(
        request,
        "frontend/events/detail.html",
        {
            "event": event,
            "themes": themes,
            "slots": slots,
            "my_registrations": my_registrations,
            "my_orgs": my_orgs,
            "has_orgs": bool(member_of),
            "can_register_expert": expert
            and not any(r.role == RegistrationRole.EXPERT for r in my_registrations),
            "needs_expert_profile": request.user.is_authenticated and not is_expert(request.user),
            "can_register_participant": request.user.is_authenticated
            and not any(r.role == RegistrationRole.PARTICIPANT for r in my_registrations),
        },
    )


@login_required
@require_POST
def event_register(request, pk: int):
    """One click: the saved profile is reused, nothing is typed again."""
    event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
    role = request.POST.get("role", "")
    organization = None
    if role == RegistrationRole.ORGANIZATION:
        organization = Organization.objects.filter(
            pk=request.POST.get("organization") or 0, memberships__user=request.user
        ).first()
    act(
        request,
        lambda: event_services.registration_create(
            actor=request.user, event=event, role=role, organization=organization
        ),
        done=_("You are registered."),
    )
    return redirect("frontend:event-detail", pk=event.pk)
