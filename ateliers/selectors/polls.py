"""Reads of live polls shared by the API, the pages and the board log.

``poll_dict`` is the wire format of ``poll.updated`` (docs/polls.md): the same dictionary
goes into the board log, the REST answers and the pages' live updates.
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from ..choices import PollKind, PollStatus
from ..i18n import CONTENT_LANGUAGES, localized
from ..models import Event, Poll, PollAnswer, PollChoice
from ..permissions import can_run_polls

# A word cloud shows its most frequent answers; the long tail stays in the database.
WORDS_SHOWN = 60


def polls_visible_to(user, event: Event | int) -> QuerySet[Poll]:
    """Drafts are for the people who run the event's polls; everyone sees the others."""
    qs = Poll.objects.filter(event=event).prefetch_related(
        Prefetch("choices", queryset=PollChoice.objects.order_by("position", "id"))
    )
    if not can_run_polls(user, event):
        qs = qs.exclude(status=PollStatus.DRAFT)
    return qs.order_by("-id")


def poll_results(poll: Poll, *, lang: str | None = None) -> dict:
    """``{answers, choices: [{id, label, count}]}`` or ``{answers, words: [{text, count}]}``
    (words: the most frequent first, shown in their most used spelling)."""
    answers = PollAnswer.objects.filter(poll=poll).count()
    if poll.kind == PollKind.WORDS:
        spellings: dict[str, dict[str, int]] = {}
        rows = (
            PollAnswer.objects.filter(poll=poll)
            .exclude(key="")
            .values("key", "text")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            spellings.setdefault(row["key"], {})
            spelling = row["text"].lower()
            spellings[row["key"]][spelling] = spellings[row["key"]].get(spelling, 0) + row["n"]
        counted = [
            {"text": min(forms, key=lambda s: (-forms[s], s)), "count": sum(forms.values())}
            for forms in spellings.values()
        ]
        counted.sort(key=lambda w: (-w["count"], w["text"]))
        return {"answers": answers, "words": counted[:WORDS_SHOWN]}
    choices = (
        PollChoice.objects.filter(poll=poll)
        .annotate(count=Count("answers"))
        .order_by("position", "id")
    )
    return {
        "answers": answers,
        "choices": [
            {"id": c.pk, "label": localized(c, "label", lang), "count": c.count} for c in choices
        ],
    }


def poll_dict(poll: Poll, *, results: bool = True, lang: str | None = None) -> dict:
    """A poll as every client sees it: both languages, and ``question``/``label`` in
    ``lang`` (default: the active language) for clients that take one."""
    data = {
        "id": poll.pk,
        "event": poll.event_id,
        "kind": poll.kind,
        "status": poll.status,
        "question": localized(poll, "question", lang),
        **{f"question_{code}": getattr(poll, f"question_{code}") for code in CONTENT_LANGUAGES},
        "choices": [
            {
                "id": choice.pk,
                "label": localized(choice, "label", lang),
                **{f"label_{code}": getattr(choice, f"label_{code}") for code in CONTENT_LANGUAGES},
            }
            for choice in poll.choices.all()
        ],
    }
    if results:
        data["results"] = poll_results(poll, lang=lang)
    return data


def my_answer(poll: Poll, participant) -> PollAnswer | None:
    if participant is None:
        return None
    return (
        PollAnswer.objects.filter(poll=poll, participant=participant)
        .prefetch_related("choices")
        .first()
    )


def answer_counts(polls) -> dict[int, int]:
    """``{poll id: answers}`` for a list of polls, in one query."""
    rows = (
        PollAnswer.objects.filter(poll__in=polls)
        .values("poll_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["poll_id"]: row["n"] for row in rows}
