"""Help-request pages: list and filters, ask/edit, follow a request, the expert's dashboard,
notifications. Every action is a plain POST form (no JavaScript needed) calling a service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ateliers.choices import HelpStatus
from ateliers.filtersets import HelpRequestFilterSet
from ateliers.models import ExpertProfile, HelpRequest
from ateliers.permissions import (
    can_claim_help_request,
    can_edit_help_request,
    can_see_help_contacts,
    can_see_help_stats,
    can_talk_on_help_request,
    can_work_on_help_request,
    is_expert,
    is_organizer,
)
from ateliers.selectors import events as event_selectors
from ateliers.selectors import help as help_selectors
from ateliers.selectors import matching as matching_selectors
from ateliers.services import help as help_services
from ateliers.services import notifications as notification_services

from ..errors import act, save_posted
from ..forms.help import HelpRequestForm


def _my_org_ids(user) -> set[int]:
    return set(user.memberships.values_list("organization_id", flat=True))


@login_required
def help_list(request):
    """All requests an account may read, filtered with the API's FilterSet."""
    base = help_selectors.help_requests_visible_to(request.user).order_by("-created_at", "-id")
    mine = request.GET.get("mine") == "1"
    if mine:
        base = base.filter(
            Q(organization__memberships__user=request.user) | Q(claimed_by=request.user)
        ).distinct()
    filterset = HelpRequestFilterSet(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/help/list.html",
        {
            "page": page,
            "filterset": filterset,
            "mine": mine,
            "can_ask": is_organizer(request.user) or bool(_my_org_ids(request.user)),
        },
    )


def _help_data(form: HelpRequestForm) -> dict:
    """The form's values as the help-request services take them (skills by slug)."""
    data = dict(form.cleaned_data)
    data["skills"] = [s.slug for s in data["skills"]]
    return data


@login_required
def help_create(request):
    form = HelpRequestForm(request.POST or None, user=request.user)
    if not form.fields["organization"].queryset.exists():
        messages.info(request, _("Join or create an organisation to ask for help."))
    posted = save_posted(
        request,
        form,
        lambda: help_services.help_request_create(actor=request.user, **_help_data(form)),
    )
    if posted:
        messages.success(request, _("Your request is published."))
        return redirect("frontend:help-detail", pk=posted.value.pk)
    return render(request, "frontend/help/form.html", {"form": form, "editing": False})


@login_required
def help_edit(request, pk: int):
    help_request = get_object_or_404(help_selectors.help_requests_visible_to(request.user), pk=pk)
    if not can_edit_help_request(request.user, help_request):
        raise PermissionDenied
    initial = {
        "title": help_request.title,
        "description": help_request.description,
        "skills": list(help_request.skills.all()),
        "language": help_request.language,
        "urgency": help_request.urgency,
        "format": help_request.format,
        "event": help_request.event,
    }
    form = HelpRequestForm(request.POST or None, user=request.user, editing=True, initial=initial)
    if save_posted(
        request,
        form,
        lambda: help_services.help_request_update(
            actor=request.user, help_request=help_request, **_help_data(form)
        ),
    ):
        messages.success(request, _("Your changes are saved."))
        return redirect("frontend:help-detail", pk=help_request.pk)
    return render(
        request,
        "frontend/help/form.html",
        {"form": form, "editing": True, "help_request": help_request},
    )


@login_required
def help_detail(request, pk: int):
    help_request = get_object_or_404(help_selectors.help_requests_visible_to(request.user), pk=pk)
    user = request.user
    can_talk = can_talk_on_help_request(user, help_request)
    can_edit = can_edit_help_request(user, help_request)
    held = help_request.status in (HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS)
    works_on = can_work_on_help_request(user, help_request)
    suggestions = []
    if (can_edit or is_organizer(user)) and help_request.status == HelpStatus.OPEN:
        suggestions = matching_selectors.suggest_experts(help_request, limit=5)
    return render(
        request,
        "frontend/help/detail.html",
        {
            "help_request": help_request,
            "history": help_selectors.help_request_history(help_request),
            "thread": help_selectors.help_request_thread(help_request) if can_talk else None,
            "can_talk": can_talk,
            "can_edit": can_edit and help_request.status != HelpStatus.RESOLVED,
            "can_claim": help_request.status == HelpStatus.OPEN
            and can_claim_help_request(user, help_request),
            "can_start": works_on and help_request.status == HelpStatus.CLAIMED,
            "can_resolve": works_on and held,
            "can_release": works_on and held,
            "show_contacts": can_see_help_contacts(user, help_request),
            "suggestions": suggestions,
        },
    )


TRANSITIONS = {
    "claim": (help_services.help_request_claim, gettext_lazy("You claimed this request.")),
    "start": (help_services.help_request_start, gettext_lazy("Marked as in progress.")),
    "resolve": (help_services.help_request_resolve, gettext_lazy("Marked as resolved.")),
    "release": (help_services.help_request_release, gettext_lazy("The request is open again.")),
}


@login_required
@require_POST
def help_transition(request, pk: int, verb: str):
    help_request = get_object_or_404(help_selectors.help_requests_visible_to(request.user), pk=pk)
    service, done = TRANSITIONS[verb]
    kwargs = {"actor": request.user, "help_request": help_request}
    if verb != "claim":
        kwargs["note"] = (request.POST.get("note") or "")[:2000]
    act(request, lambda: service(**kwargs), done=done)
    target = request.POST.get("next")
    if target in ("expert", "list"):
        return redirect("frontend:expert-dashboard" if target == "expert" else "frontend:help-list")
    return redirect("frontend:help-detail", pk=help_request.pk)


@login_required
@require_POST
def help_message(request, pk: int):
    help_request = get_object_or_404(help_selectors.help_requests_visible_to(request.user), pk=pk)
    act(
        request,
        lambda: help_services.help_message_post(
            actor=request.user, help_request=help_request, text=request.POST.get("text", "")
        ),
        done=_("Message sent."),
    )
    return redirect(f"{help_request_url(help_request)}#thread")


def help_request_url(help_request: HelpRequest) -> str:
    from django.urls import reverse

    return reverse("frontend:help-detail", args=[help_request.pk])


@login_required
def expert_dashboard(request):
    """Suggested requests with reasons and a claim button; the expert's own claims."""
    if not is_expert(request.user):
        raise PermissionDenied
    profile = ExpertProfile.objects.filter(user=request.user).prefetch_related("skills").first()
    suggestions = (
        matching_selectors.suggest_requests(
            profile, queryset=help_selectors.help_requests_visible_to(request.user), limit=20
        )
        if profile
        else []
    )
    claims = (
        help_selectors.help_requests_visible_to(request.user)
        .filter(claimed_by=request.user)
        .order_by("status", "-claimed_at", "-id")
    )
    return render(
        request,
        "frontend/help/expert.html",
        {"profile": profile, "suggestions": suggestions, "claims": claims},
    )


@login_required
def notification_list(request):
    if request.method == "POST":
        ids = None
        if request.POST.get("id", "").isdigit():
            ids = [int(request.POST["id"])]
        notification_services.notification_mark_read(user=request.user, ids=ids)
        return redirect("frontend:notifications")
    qs = help_selectors.notifications_for(request.user)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "frontend/help/notifications.html",
        {"page": page, "unread": notification_services.unread_count(request.user)},
    )


@login_required
def help_desk_stats(request, pk: int):
    """Organizers: the event's help desk — open, claimed, resolved, the median wait, each
    expert's load and rating; ``help-stats.js`` refreshes the figures from the API."""
    if not can_see_help_stats(request.user):
        raise PermissionDenied
    event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
    return render(
        request,
        "frontend/help/stats.html",
        {"event": event, "stats": help_selectors.help_stats(event)},
    )
