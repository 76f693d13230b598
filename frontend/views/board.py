"""The board without JavaScript: join with the code, then post, vote and refresh.

The guest's signed token lives in the session (one per event), so a phone keeps its
identity between requests; an account uses its own participant. Every write calls the
same services as the API and the WebSocket.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ateliers import board_selectors, selectors
from ateliers.choices import IdeaStatus
from ateliers.exceptions import DomainError
from ateliers.models import Event, Idea, Participant
from ateliers.permissions import is_account
from ateliers.services import board as board_services

SESSION_KEY = "board_tokens"


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _participant(request, event: Event, *, create: bool = False) -> Participant | None:
    token = request.session.get(SESSION_KEY, {}).get(str(event.pk))
    participant = board_services.participant_from_token(token) if token else None
    if participant is not None and participant.event_id == event.pk:
        return participant
    if is_account(request.user):
        if create:
            return board_services.participant_for_user(event=event, user=request.user)
        return Participant.objects.filter(event=event, user=request.user).first()
    return None


def _error(request, exc: Exception) -> None:
    if isinstance(exc, DomainError):
        messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(exc.messages))


def join(request):
    """``GET``: the code form (``?code=`` pre-fills it, e.g. from the QR code).
    ``POST``: join, keep the token in the session, go to the board."""
    code = request.GET.get("code", "")[:12]
    if request.method == "POST":
        code = request.POST.get("code", "")[:40]
        try:
            participant = board_services.participant_join(
                code=code,
                display_name=request.POST.get("display_name", ""),
                user=request.user if is_account(request.user) else None,
            )
        except (DomainError, ValidationError) as exc:
            _error(request, exc)
        else:
            tokens = dict(request.session.get(SESSION_KEY, {}))
            tokens[str(participant.event_id)] = board_services.participant_token(participant)
            request.session[SESSION_KEY] = tokens
            return redirect("frontend:board", pk=participant.event_id)
    return render(request, "frontend/events/join.html", {"code": code})


def board(request, pk: int):
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    participant = _participant(request, event)
    ideas = (
        board_selectors.ideas_visible_to(None, event)
        .exclude(status=IdeaStatus.MERGED)
        .select_related("theme")
        .order_by("-pinned", "-votes", "id")
    )
    my_votes = set()
    if participant is not None:
        my_votes = set(participant.votes.values_list("idea_id", flat=True))
    return render(
        request,
        "frontend/board/board.html",
        {
            "event": event,
            "participant": participant,
            "can_write": participant is not None or is_account(request.user),
            "ideas": ideas,
            "themes": event.themes.all(),
            "my_votes": my_votes,
            "client_id": uuid.uuid4(),
            "locked": event.board_locked or event.status == "closed",
        },
    )


def _writer(request, event: Event) -> Participant | None:
    participant = _participant(request, event, create=True)
    if participant is None:
        messages.error(request, _("Join the board with the event's code first."))
    return participant


@require_POST
def board_post(request, pk: int):
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    participant = _writer(request, event)
    if participant is None:
        return redirect(reverse("frontend:join") + f"?code={event.join_code}")
    theme = event.themes.filter(pk=_int(request.POST.get("theme"))).first()
    try:
        _idea, created = board_services.idea_post(
            participant=participant,
            text=request.POST.get("text", ""),
            theme=theme,
            client_id=request.POST.get("client_id") or uuid.uuid4(),
        )
    except (DomainError, ValidationError) as exc:
        _error(request, exc)
    else:
        if created:
            messages.success(request, _("Your idea is on the board."))
    return redirect("frontend:board", pk=event.pk)


@require_POST
def board_vote(request, pk: int):
    event = get_object_or_404(selectors.events_visible_to(request.user), pk=pk)
    participant = _writer(request, event)
    if participant is None:
        return redirect(reverse("frontend:join") + f"?code={event.join_code}")
    idea = Idea.objects.filter(event=event, pk=_int(request.POST.get("idea"))).first()
    if idea is None:
        messages.error(request, _("This idea is no longer on the board."))
    else:
        try:
            board_services.vote_set(
                participant=participant, idea=idea, value=int(request.POST.get("value") == "1")
            )
        except (DomainError, ValidationError) as exc:
            _error(request, exc)
    anchor = f"#idea-{idea.pk}" if idea is not None else ""
    return redirect(reverse("frontend:board", args=[event.pk]) + anchor)
