"""Profiles, kept once and reused: organisations (with members), experts, preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers.exceptions import DomainError
from ateliers.filtersets import OrganizationFilterSet
from ateliers.models import ExpertProfile, Organization, User
from ateliers.permissions import can_manage_organization
from ateliers.selectors import people as people_selectors
from ateliers.services import accounts, people

from ..errors import save_posted
from ..forms.profiles import ExpertProfileForm, MemberAddForm, OrganizationForm, PreferencesForm
from .organizer import posted_data


@login_required
def my_profile(request):
    user = request.user
    memberships = user.memberships.select_related("organization")
    registrations = user.registrations.select_related("event", "organization").order_by(
        "-event__starts_at"
    )
    profile = ExpertProfile.objects.filter(user=user).prefetch_related("skills").first()
    return render(
        request,
        "frontend/profiles/me.html",
        {
            "memberships": memberships,
            "registrations": registrations,
            "expert_profile": profile,
            "rooms": user.moderated_events.select_related("event").order_by("-event__starts_at"),
        },
    )


@login_required
def preferences(request):
    user = request.user
    form = PreferencesForm(posted_data(request), instance=user)
    if save_posted(
        request,
        form,
        lambda: accounts.user_update_profile(user=user, **form.cleaned_data),
        catch=ValidationError,
    ):
        translation.activate(user.language)
        messages.success(request, _("Your preferences are saved."))
        response = redirect("frontend:my-profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            user.language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
        return response
    return render(
        request,
        "frontend/profiles/form.html",
        {"form": form, "title": _("My preferences"), "submit": _("Save")},
    )


@login_required
def expert_profile(request):
    """Create the caller's expert profile, or edit it when it exists."""
    profile = ExpertProfile.objects.filter(user=request.user).first()
    form = ExpertProfileForm(
        posted_data(request), instance=profile or ExpertProfile(user=request.user)
    )

    def save():
        data = dict(form.cleaned_data)
        data["skills"] = [skill.slug for skill in data["skills"]]
        if profile is None:
            return people.expert_profile_create(user=request.user, **data)
        return people.expert_profile_update(actor=request.user, profile=profile, **data)

    if save_posted(request, form, save):
        messages.success(request, _("Your expert profile is saved."))
        return redirect("frontend:my-profile")
    return render(
        request,
        "frontend/profiles/form.html",
        {
            "form": form,
            "title": _("My expert profile") if profile else _("Become an expert"),
            "intro": _(
                "Describe what you can help with once: your profile is reused at every event."
            ),
            "submit": _("Save my profile"),
        },
    )


def organization_list(request):
    base = people_selectors.organizations_list().annotate(member_count=Count("memberships"))
    filterset = OrganizationFilterSet(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(qs.order_by("name", "id"), 30).get_page(request.GET.get("page"))
    return render(
        request, "frontend/profiles/organization_list.html", {"page": page, "filterset": filterset}
    )


def organization_detail(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    can_manage = can_manage_organization(request.user, org)
    members = (
        org.memberships.select_related("user").order_by("user__username") if can_manage else []
    )
    return render(
        request,
        "frontend/profiles/organization_detail.html",
        {
            "org": org,
            "can_manage": can_manage,
            "members": members,
            "member_form": MemberAddForm() if can_manage else None,
        },
    )


@login_required
def organization_create(request):
    form = OrganizationForm(posted_data(request), initial={"languages": ["fr"]})
    posted = save_posted(
        request,
        form,
        lambda: people.organization_create(creator=request.user, **form.cleaned_data),
    )
    if posted:
        messages.success(request, _("Organisation created. You are its administrator."))
        return redirect("frontend:organization-detail", pk=posted.value.pk)
    return render(
        request,
        "frontend/profiles/form.html",
        {
            "form": form,
            "title": _("New organisation"),
            "intro": _("Describe your organisation once: it is reused at every event."),
            "submit": _("Create the organisation"),
        },
    )


@login_required
def organization_edit(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    if not can_manage_organization(request.user, org):
        raise PermissionDenied
    form = OrganizationForm(posted_data(request), instance=org)
    if save_posted(
        request,
        form,
        lambda: people.organization_update(
            actor=request.user, organization=org, **form.cleaned_data
        ),
    ):
        messages.success(request, _("Organisation saved."))
        return redirect("frontend:organization-detail", pk=org.pk)
    return render(
        request,
        "frontend/profiles/form.html",
        {"form": form, "title": _("Edit the organisation"), "submit": _("Save"), "org": org},
    )


@login_required
@require_POST
def organization_member_add(request, pk: int):
    org = get_object_or_404(Organization, pk=pk)
    if not can_manage_organization(request.user, org):
        raise PermissionDenied
    form = MemberAddForm(request.POST)
    if save_posted(
        request,
        form,
        lambda: people.organization_add_member(
            actor=request.user, organization=org, user=form.user
        ),
    ):
        messages.success(request, _("%(name)s is now a member.") % {"name": form.user.public_name})
        return redirect("frontend:organization-detail", pk=org.pk)
    members = org.memberships.select_related("user").order_by("user__username")
    return render(
        request,
        "frontend/profiles/organization_detail.html",
        {"org": org, "can_manage": True, "members": members, "member_form": form},
        status=400,
    )


@login_required
@require_POST
def organization_member_remove(request, pk: int, user_pk: int):
    org = get_object_or_404(Organization, pk=pk)
    user = get_object_or_404(User, pk=user_pk, memberships__organization=org)
    try:
        people.organization_remove_member(actor=request.user, organization=org, user=user)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("%(name)s is no longer a member.") % {"name": user.public_name})
    if user == request.user:
        return redirect("frontend:my-profile")
    return redirect("frontend:organization-detail", pk=org.pk)
