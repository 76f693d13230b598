"""Live polls: create, open and close (the event's moderators and facilitators), answer
(guests, one answer each, replaced when they answer again).

Opening and closing log a ``poll.updated`` board event at once, through the board's own
log and broadcast (``ateliers.realtime.board.send_board_event_on_commit`` under the
board's lock: same ``seq``, same catch-up). Answers
only bump ``Poll.version``; their ``poll.updated`` is coalesced like vote tallies (at
most one per ``VOTE_COALESCE_SECONDS`` per room) by ``polls_flush``, which logs every
poll whose ``version`` moved since the last one it logged, so none is lost.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..choices import BoardEventType, EventStatus, PollKind, PollStatus
from ..exceptions import Conflict, Forbidden
from ..i18n import CONTENT_LANGUAGES
from ..models import BoardEvent, Event, Participant, Poll, PollAnswer, PollChoice, User
from ..models.polls import LABEL_MAX_LENGTH, MAX_CHOICES, QUESTION_MAX_LENGTH, WORD_MAX_LENGTH
from ..permissions import can_run_polls
from ..realtime.board import flush_soon, send_board_event_on_commit
from ..selectors.polls import poll_dict
from ..textnorm import word_key
from . import board as board_services

# status → the statuses it may come from
_OPENS_FROM = {
    PollStatus.OPEN: (PollStatus.DRAFT, PollStatus.CLOSED),
    PollStatus.CLOSED: (PollStatus.OPEN,),
}


def _text(value, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Give a text.")})
    value = " ".join(value.split())
    if len(value) > limit:
        raise ValidationError({field: _("Keep it under %(limit)d characters.") % {"limit": limit}})
    return value


def _log(poll: Poll) -> BoardEvent:
    """Log the poll as it is now, through the board's log; its answers count as logged."""
    Poll.objects.filter(pk=poll.pk).update(version_logged=F("version"))
    fresh = Poll.objects.prefetch_related("choices").get(pk=poll.pk)
    return send_board_event_on_commit(
        event_id=poll.event_id,
        type=BoardEventType.POLL_UPDATED,
        payload={"poll": poll_dict(fresh, lang=settings.LANGUAGE_CODE)},
    )


@transaction.atomic
def poll_create(
    *,
    actor: User,
    event: Event,
    kind: str,
    question_fr: str = "",
    question_en: str = "",
    choices: list[dict] | tuple = (),
) -> Poll:
    """A draft poll; choices (2 to ``MAX_CHOICES``) for single and multiple choice only."""
    if not can_run_polls(actor, event):
        raise Forbidden(_("Only this event's moderators and facilitators can run polls."))
    if kind not in PollKind.values:
        raise ValidationError({"kind": _("Choose single, multiple or words.")})
    poll = Poll(
        event=event,
        kind=kind,
        question_fr=_text(question_fr, "question_fr", QUESTION_MAX_LENGTH),
        question_en=_text(question_en, "question_en", QUESTION_MAX_LENGTH),
        created_by=actor,
    )
    if not (poll.question_fr or poll.question_en):
        raise ValidationError(
            {
                f"question_{code}": _("Give this in French or in English (at least one).")
                for code in CONTENT_LANGUAGES
            }
        )
    cleaned = []
    for position, choice in enumerate(choices or ()):
        if not isinstance(choice, dict):
            raise ValidationError({"choices": _("Each choice is {label_fr, label_en}.")})
        labels = {
            f"label_{code}": _text(choice.get(f"label_{code}"), "choices", LABEL_MAX_LENGTH)
            for code in CONTENT_LANGUAGES
        }
        if not any(labels.values()):
            raise ValidationError({"choices": _("Each choice needs a label.")})
        cleaned.append(PollChoice(position=position, **labels))
    if kind == PollKind.WORDS and cleaned:
        raise ValidationError({"choices": _("A word cloud has no choices.")})
    if kind != PollKind.WORDS and not 2 <= len(cleaned) <= MAX_CHOICES:
        raise ValidationError(
            {"choices": _("Give between 2 and %(max)d choices.") % {"max": MAX_CHOICES}}
        )
    poll.full_clean()
    poll.save()
    for choice in cleaned:
        choice.poll = poll
    PollChoice.objects.bulk_create(cleaned)
    return poll


@transaction.atomic
def poll_set_status(*, actor: User, poll: Poll, status: str) -> Poll:
    """Open (from draft or closed) or close (from open); pushed live as ``poll.updated``.
    Compare-and-set: asking for the current status is a no-op, a stale request a 409."""
    if not can_run_polls(actor, poll.event_id):
        raise Forbidden(_("Only this event's moderators and facilitators can run polls."))
    if status not in _OPENS_FROM:
        raise ValidationError({"status": _("Choose open or closed.")})
    board_services.lock_board(poll.event_id)
    current = Poll.objects.get(pk=poll.pk)
    if current.status == status:
        return current
    if not Poll.objects.filter(pk=poll.pk, status__in=_OPENS_FROM[status]).update(status=status):
        raise Conflict(_("This poll changed in the meantime."), code="conflict")
    row = _log(current)
    current.refresh_from_db()
    current.board_seq = row.seq
    return current


def _choice_ids(poll: Poll, choices) -> list[int]:
    if not isinstance(choices, list | tuple) or not all(
        isinstance(c, int) and not isinstance(c, bool) for c in choices
    ):
        raise ValidationError({"choices": _("Give the ids of the chosen options.")})
    ids = sorted(set(choices))
    if not ids:
        raise ValidationError({"choices": _("Choose at least one option.")})
    if poll.kind == PollKind.SINGLE and len(ids) != 1:
        raise ValidationError({"choices": _("Choose one option.")})
    known = set(PollChoice.objects.filter(poll=poll, pk__in=ids).values_list("pk", flat=True))
    if known != set(ids):
        raise ValidationError({"choices": _("These options are not in this poll.")})
    return ids


@transaction.atomic
def poll_answer(
    *, participant: Participant, poll: Poll, choices=None, text=None
) -> tuple[PollAnswer, bool]:
    """A guest's answer, ``created`` False when it replaced the guest's earlier one.

    The poll's row lock (PostgreSQL; SQLite serialises writers) orders answers against
    closing and against ``polls_flush``: an answer either lands before the close, or is
    refused with a 409."""
    if participant.event_id != poll.event_id:
        raise Forbidden(_("This poll belongs to another event."))
    board_services.refuse_banned(participant)
    state = (
        Poll.objects.select_for_update(of=("self",))
        .filter(pk=poll.pk)
        .values("status", "kind", "event__status")
        .first()
    )
    if state is None or state["status"] == PollStatus.DRAFT:
        raise Conflict(_("This poll is not open."), code="poll_not_open")
    if state["status"] != PollStatus.OPEN or state["event__status"] == EventStatus.CLOSED:
        raise Conflict(_("This poll is closed."), code="poll_closed")
    poll.kind = state["kind"]
    if poll.kind == PollKind.WORDS:
        cleaned = _text(text, "text", WORD_MAX_LENGTH)
        key = word_key(cleaned)
        if not key:
            raise ValidationError({"text": _("Write a word or a few.")})
        ids: list[int] = []
    else:
        ids = _choice_ids(poll, choices)
        cleaned, key = "", ""
    answer = (
        PollAnswer.objects.select_for_update().filter(poll=poll, participant=participant).first()
    )
    created = answer is None
    if created:
        answer = PollAnswer(poll=poll, participant=participant, text=cleaned, key=key)
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:  # the same guest's other request won the race
            answer = PollAnswer.objects.select_for_update().get(poll=poll, participant=participant)
            created = False
    if not created:
        PollAnswer.objects.filter(pk=answer.pk).update(text=cleaned, key=key)
        answer.text, answer.key = cleaned, key
    if poll.kind != PollKind.WORDS:
        answer.choices.set(ids)
    Poll.objects.filter(pk=poll.pk).update(version=F("version") + 1)
    transaction.on_commit(lambda: schedule_polls_flush(poll.event_id))
    return answer, created


def polls_flush(*, event_id: int) -> list[BoardEvent]:
    """Log one ``poll.updated`` per poll whose answers moved since it was last logged.
    Idempotent, safe from any process: the "moved" state is in the database."""
    dirty = Poll.objects.filter(event_id=event_id).exclude(version=F("version_logged"))
    if not dirty.exists():
        return []
    with transaction.atomic():
        board_services.lock_board(event_id)
        polls = list(dirty.select_for_update().order_by("id"))
        return [_log(poll) for poll in polls]


def schedule_polls_flush(event_id: int) -> None:
    """Flush this room's poll results once per ``VOTE_COALESCE_SECONDS`` (on the server's
    event loop); without a loop (a command, a plain test) at once."""
    flush_soon(polls_flush, event_id)
