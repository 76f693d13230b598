from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_profile(request):
    user = request.user
    memberships = user.memberships.select_related("organization")
    registrations = user.registrations.select_related("event", "organization").order_by(
        "-event__starts_at"
    )
    return render(
        request,
        "frontend/profiles/me.html",
        {
            "memberships": memberships,
            "registrations": registrations,
            "expert_profile": getattr(user, "expert_profile", None),
        },
    )
