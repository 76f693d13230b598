"""The polls' parts of the board pages, as inclusion tags: the board, projector and
moderation views stay as they are, each template adds one line."""

from __future__ import annotations

from django import template

from ateliers.choices import PollKind, PollStatus
from ateliers.models import Poll
from ateliers.permissions import can_run_polls
from ateliers.selectors import polls as poll_selectors

from ..forms.polls import PollForm

register = template.Library()

# The board and the projector show the open polls and the last closed one's results.
CLOSED_SHOWN = 1


def _shown_polls(event) -> list[Poll]:
    qs = poll_selectors.polls_visible_to(None, event)
    polls = list(qs.filter(status=PollStatus.OPEN))
    polls += list(qs.filter(status=PollStatus.CLOSED).order_by("-updated_at", "-id")[:CLOSED_SHOWN])
    return polls


def _weights(results: dict) -> None:
    """A size class 1–5 per word of a word cloud (CSS classes: no inline styles)."""
    words = results.get("words") or []
    top = max((w["count"] for w in words), default=1)
    for word in words:
        word["weight"] = 1 + round(4 * (word["count"] - 1) / max(top - 1, 1))


@register.inclusion_tag("frontend/board/_polls.html", takes_context=True)
def board_polls(context, mode: str = "board"):
    event = context["event"]
    participant = context.get("participant")
    items = []
    for poll in _shown_polls(event):
        results = poll_selectors.poll_results(poll)
        _weights(results)
        mine = poll_selectors.my_answer(poll, participant) if mode == "board" else None
        items.append(
            {
                "poll": poll,
                "results": results,
                "mine_text": mine.text if mine else "",
                "mine_choices": {c.pk for c in mine.choices.all()} if mine else set(),
                "answered": mine is not None,
            }
        )
    return {
        "event": event,
        "items": items,
        "mode": mode,
        "participant": participant,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "kinds": PollKind,
    }


@register.inclusion_tag("frontend/board/_polls_manage.html", takes_context=True)
def poll_manager(context):
    request = context["request"]
    event = context["event"]
    polls = list(poll_selectors.polls_visible_to(request.user, event)[:30])
    answers = poll_selectors.answer_counts(polls)
    return {
        "event": event,
        "polls": [(poll, answers.get(poll.pk, 0)) for poll in polls],
        "can_run": can_run_polls(request.user, event),
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "kinds": PollKind,
        "form": context.get("poll_form") or PollForm(auto_id="poll_%s"),
    }
