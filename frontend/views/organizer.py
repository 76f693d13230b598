from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ateliers import selectors
from ateliers.permissions import is_organizer


def organizer_required(view):
    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_organizer(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@organizer_required
def dashboard(request):
    events = selectors.event_list(request.user).order_by("-starts_at")
    return render(request, "frontend/organizer/dashboard.html", {"events": events})
