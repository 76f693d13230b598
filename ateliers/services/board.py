"""The live ideas board's writes. Each change is logged with its ``seq`` (ARCHITECTURE.md).

Every function here is one transaction: it takes the event's row lock (PostgreSQL;
SQLite's IMMEDIATE transactions already serialise writers), checks, writes the change,
appends its ``BoardEvent`` with ``seq = last + 1`` and broadcasts after commit (the
transport: ``ateliers.realtime.board.send_board_event_on_commit``). Votes are
the exception that proves the rule: a vote changes the counter at once and is logged by
``votes_flush`` in a coalesced ``votes.changed`` event (at most one per
``VOTE_COALESCE_SECONDS`` per room), see docs/protocol.md.
"""

from __future__ import annotations

import hashlib
import uuid
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import BoardEventType, BoardModeration, EventStatus, IdeaStatus, ModerationAction
from ..exceptions import Conflict, Forbidden, NotFound
from ..models import BoardEvent, Comment, Event, Idea, Participant, User, Vote
from ..models.events import normalize_join_code
from ..permissions import can_moderate_event, is_account
from ..realtime.board import flush_soon, send_board_event_on_commit
from ..selectors.board import comment_dict, idea_dict
from ..text import clean_text

TOKEN_SALT = "livinglab.board.participant-token"


# --- guest identity -------------------------------------------------------------------


def participant_token(participant: Participant) -> str:
    """A signed, event-scoped token: it names the participant and the event, nothing else."""
    return signing.dumps({"p": participant.pk, "e": participant.event_id}, salt=TOKEN_SALT)


def token_claims(token) -> dict | None:
    """What a guest token says (``{"p": participant, "e": event}``), checked but not
    looked up; ``None`` if it is forged or expired."""
    if not isinstance(token, str) or not token or len(token) > 500:
        return None
    try:
        data = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.LIVINGLAB["PARTICIPANT_TOKEN_MAX_AGE"]
        )
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


def participant_from_token(token: str) -> Participant | None:
    """The participant a token names, or ``None`` if it is forged, expired or stale."""
    data = token_claims(token)
    if data is None:
        return None
    return (
        Participant.objects.select_related("event")
        .filter(pk=data.get("p"), event_id=data.get("e"), erased_at__isnull=True)
        .first()
    )


def _clean_display_name(display_name: str) -> str:
    name = " ".join(clean_text(str(display_name or ""), field="display_name").split())
    if not name:
        raise ValidationError({"display_name": _("Give a name to show on the board.")})
    if len(name) > 80:
        raise ValidationError({"display_name": _("Keep the name under 80 characters.")})
    return name


def device_digest(device: str | None) -> str:
    """What is stored of a browser's device cookie (never the cookie itself)."""
    if not isinstance(device, str) or not 16 <= len(device) <= 128:
        return ""
    return hashlib.sha256(device.encode()).hexdigest()


@transaction.atomic
def participant_join(
    *,
    code: str,
    display_name: str,
    user: User | None = None,
    device: str | None = None,
    anonymous: bool = False,
) -> Participant:
    """Join an event's board with its code; an account gets (or creates) its own identity,
    and so does a browser (its ``device`` cookie): joining again is not a second guest.

    ``anonymous``: the guest chose to show no name; the name typed (if any) is dropped and
    their ideas are signed "Anonymous" (in the language they joined in)."""
    event = Event.objects.filter(join_code=normalize_join_code(code)).first()
    if event is None or event.status == EventStatus.DRAFT:
        raise NotFound(_("No open event has this code."), code="bad_code")
    if event.status == EventStatus.CLOSED:
        raise Conflict(_("This event is closed."), code="event_closed")
    if anonymous:
        display_name = _("Anonymous")
    name = _clean_display_name(display_name or (user.public_name if is_account(user) else ""))
    if is_account(user):
        participant = Participant.objects.filter(event=event, user=user).first()
        if participant is not None:
            return participant
    digest = device_digest(device)
    if digest:
        participant = Participant.objects.filter(event=event, device=digest).first()
        if participant is not None:
            return participant
    participant = Participant(
        event=event, display_name=name, user=user if is_account(user) else None, device=digest
    )
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def participant_for_user(*, event: Event, user: User) -> Participant:
    """The board identity of an account on one event, created on first use."""
    if not is_account(user):
        raise Forbidden(_("Join the event with its code first."))
    participant, _created = Participant.objects.get_or_create(
        event=event, user=user, defaults={"display_name": user.public_name[:80]}
    )
    return participant


# --- the log --------------------------------------------------------------------------


def lock_board(event_id: int, *, participant: Participant | None = None) -> dict:
    """Take the event's row lock (a no-op on SQLite, where BEGIN IMMEDIATE serialises):
    every writer of the board's log (ideas, votes, polls) takes it before
    ``send_board_event_on_commit``, so ``seq`` stays gapless.

    With ``participant``, whether that guest is banned is read in the same query (a
    guest's socket holds the ``Participant`` it joined with, so the flag must come from
    the database)."""
    events = Event.objects.select_for_update()
    fields = ["board_locked", "status", "moderation"]
    if participant is not None:
        banned = Participant.objects.filter(pk=participant.pk, banned_at__isnull=False)
        events = events.annotate(banned=Exists(banned.only("pk")))
        fields.append("banned")
    try:
        return events.values(*fields).get(pk=event_id)
    except Event.DoesNotExist as exc:
        raise NotFound(_("This event does not exist.")) from exc


def _require_open(event_id: int, participant: Participant | None = None) -> dict:
    """Lock the event for a write; refuse it on a locked board or from a banned guest."""
    state = lock_board(event_id, participant=participant)
    if state.get("banned"):
        raise Forbidden(_("A moderator has stopped you from writing on this board."), code="banned")
    if state["board_locked"] or state["status"] == EventStatus.CLOSED:
        raise Conflict(_("The board is locked."), code="board_locked")
    return state


def refuse_banned(participant: Participant) -> None:
    """For the room's other writers (poll answers, allowed on a locked board): a banned
    guest writes nothing on its event."""
    if Participant.objects.filter(pk=participant.pk, banned_at__isnull=False).exists():
        raise Forbidden(_("A moderator has stopped you from writing on this board."), code="banned")


def _log_ideas(event_id: int, type: str, **ideas: int) -> BoardEvent:
    """Log ideas as they are now; their tallies count as logged from here on."""
    fresh = Idea.objects.select_related("author").in_bulk(list(ideas.values()))
    Idea.objects.filter(pk__in=list(ideas.values())).update(votes_logged=F("votes"))
    payload = {key: idea_dict(fresh[pk]) for key, pk in ideas.items()}
    return send_board_event_on_commit(event_id=event_id, type=type, payload=payload)


def _uuid(value, field: str = "client_id") -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValidationError({field: _("Give a UUID.")}) from exc


def _clean_text(text, field: str, limit: int) -> str:
    if isinstance(text, str):
        text = clean_text(text, field=field)  # NUL refused, controls dropped (every door)
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({field: _("Write something first.")})
    text = text.strip()
    if len(text) > limit:
        raise ValidationError({field: _("Keep it under %(limit)d characters.") % {"limit": limit}})
    return text


def _same_event(participant: Participant, idea: Idea) -> None:
    if participant.event_id != idea.event_id:
        raise Forbidden(_("This idea belongs to another event."))


# --- writes ---------------------------------------------------------------------------


@transaction.atomic
def idea_post(*, participant: Participant, text: str, theme=None, client_id) -> tuple[Idea, bool]:
    """Post an idea; a retry with the same ``client_id`` returns the first one, unchanged."""
    from ..models.board import IDEA_MAX_LENGTH

    client_id = _uuid(client_id)
    existing = Idea.objects.select_related("author").filter(author=participant, client_id=client_id)
    if (idea := existing.first()) is not None:
        return idea, False
    text = _clean_text(text, "text", IDEA_MAX_LENGTH)
    state = _require_open(participant.event_id, participant)
    if theme is not None and theme.event_id != participant.event_id:
        raise ValidationError({"theme": _("This theme belongs to another event.")})
    pending = state["moderation"] == BoardModeration.PRE and not (
        participant.user_id and can_moderate_event(participant.user, participant.event_id)
    )
    idea = Idea(
        event_id=participant.event_id,
        theme=theme,
        author=participant,
        text=text,
        client_id=client_id,
        status=IdeaStatus.PENDING if pending else IdeaStatus.VISIBLE,
    )
    idea.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            idea.save()
    except IntegrityError:
        return existing.get(), False
    if pending:
        # Nobody but its author and the moderators sees it: the log says only that the
        # queue grew (moderators' pages refresh it), never the text or the author.
        idea.board_seq = _log_pending(idea.event_id).seq
    else:
        idea.board_seq = _log_ideas(idea.event_id, BoardEventType.IDEA_CREATED, idea=idea.pk).seq
    return idea, True


def _log_pending(event_id: int) -> BoardEvent:
    count = Idea.objects.filter(event_id=event_id, status=IdeaStatus.PENDING).count()
    return send_board_event_on_commit(
        event_id=event_id, type=BoardEventType.BOARD_UPDATED, payload={"pending": count}
    )


@transaction.atomic
def idea_edit(*, participant: Participant, idea: Idea, text: str) -> Idea:
    """Authors edit their own visible ideas while the board is open."""
    from ..models.board import IDEA_MAX_LENGTH

    if idea.author_id != participant.pk:
        raise Forbidden(_("You can only edit your own ideas."))
    text = _clean_text(text, "text", IDEA_MAX_LENGTH)
    _require_open(idea.event_id, participant)
    updated = Idea.objects.filter(pk=idea.pk, status=IdeaStatus.VISIBLE).update(text=text)
    if not updated:
        raise Conflict(_("This idea can no longer be edited."), code="idea_not_editable")
    row = _log_ideas(idea.event_id, BoardEventType.IDEA_UPDATED, idea=idea.pk)
    idea.refresh_from_db()
    idea.board_seq = row.seq
    return idea


def vote_set(*, participant: Participant, idea: Idea, value) -> Idea:
    """Vote (``value`` 1) or withdraw (0); idempotent. Logged later, coalesced."""
    if value not in (0, 1, True, False):
        raise ValidationError({"value": _("A vote is 1 or 0.")})
    _same_event(participant, idea)
    with transaction.atomic():
        _require_open(idea.event_id, participant)
        if not Idea.objects.filter(pk=idea.pk, status=IdeaStatus.VISIBLE).exists():
            raise Conflict(_("This idea is not open for votes."), code="idea_not_votable")
        if value:
            changed = False
            try:
                with transaction.atomic():
                    Vote.objects.create(participant=participant, idea=idea)
                    changed = True
            except IntegrityError:
                pass
            if changed:
                Idea.objects.filter(pk=idea.pk).update(votes=F("votes") + 1)
        else:
            deleted, _rows = Vote.objects.filter(participant=participant, idea=idea).delete()
            changed = bool(deleted)
            if changed:
                Idea.objects.filter(pk=idea.pk, votes__gt=0).update(votes=F("votes") - 1)
        if changed:
            transaction.on_commit(partial(schedule_votes_flush, idea.event_id))
    idea.refresh_from_db(fields=["votes", "votes_logged"])
    return idea


@transaction.atomic
def comment_post(
    *, participant: Participant, idea: Idea, text: str, client_id
) -> tuple[Comment, bool]:
    from ..models.board import COMMENT_MAX_LENGTH

    client_id = _uuid(client_id)
    existing = Comment.objects.select_related("participant").filter(
        participant=participant, client_id=client_id
    )
    if (comment := existing.first()) is not None:
        return comment, False
    _same_event(participant, idea)
    text = _clean_text(text, "text", COMMENT_MAX_LENGTH)
    _require_open(idea.event_id, participant)
    if not Idea.objects.filter(pk=idea.pk, status=IdeaStatus.VISIBLE).exists():
        raise Conflict(_("This idea is not open for comments."), code="idea_not_commentable")
    comment = Comment(idea=idea, participant=participant, text=text, client_id=client_id)
    comment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        return existing.get(), False
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    count = Idea.objects.values_list("comment_count", flat=True).get(pk=idea.pk)
    row = send_board_event_on_commit(
        event_id=idea.event_id,
        type=BoardEventType.COMMENT_CREATED,
        payload={
            "comment": comment_dict(comment),
            "idea": {"id": idea.pk, "comment_count": count},
        },
    )
    comment.board_seq = row.seq
    return comment, True


_TRANSITIONS = {
    ModerationAction.HIDE: ({"status": IdeaStatus.VISIBLE}, {"status": IdeaStatus.HIDDEN}),
    ModerationAction.SHOW: ({"status": IdeaStatus.HIDDEN}, {"status": IdeaStatus.VISIBLE}),
    ModerationAction.PIN: ({"pinned": False}, {"pinned": True}),
    ModerationAction.UNPIN: ({"pinned": True}, {"pinned": False}),
}


@transaction.atomic
def idea_moderate(*, actor: User, idea: Idea, action: str, into: Idea | None = None) -> Idea:
    """Hide, show, pin, unpin or merge (the event's moderators; allowed on a locked board).

    Compare-and-set: an action that finds the idea already in the target state is a
    no-op (nothing logged); one that no longer applies (hiding a merged idea) is a 409.
    """
    if not can_moderate_event(actor, idea.event_id):
        raise Forbidden(_("Only this event's moderators can moderate the board."))
    if action not in ModerationAction.values:
        raise ValidationError(
            {"action": _("Choose approve, reject, hide, show, pin, unpin or merge.")}
        )
    lock_board(idea.event_id)
    current = Idea.objects.get(pk=idea.pk)
    if action in (ModerationAction.APPROVE, ModerationAction.REJECT):
        return _decide(current, approve=action == ModerationAction.APPROVE)
    if current.status in (IdeaStatus.PENDING, IdeaStatus.REJECTED):
        raise Conflict(
            _("Approve this idea first: it is not on the board."), code="idea_not_published"
        )
    if action == ModerationAction.MERGE:
        return _merge(current, into)
    before, after = _TRANSITIONS[action]
    if all(getattr(current, k) == v for k, v in after.items()):
        return current
    if current.status == IdeaStatus.MERGED:
        raise Conflict(_("This idea was merged into another."), code="idea_merged")
    if not Idea.objects.filter(pk=idea.pk, **before).update(**after):
        raise Conflict(_("This idea changed in the meantime."), code="conflict")
    if action == ModerationAction.HIDE:
        _redact_log(idea.event_id, idea.pk)
    row = _log_ideas(idea.event_id, BoardEventType.IDEA_UPDATED, idea=idea.pk)
    if action == ModerationAction.SHOW:
        _republish_comments(idea.event_id, idea.pk)
    current.refresh_from_db()
    current.board_seq = row.seq
    return current


def _decide(idea: Idea, *, approve: bool) -> Idea:
    """Pre-moderation: an approved idea reaches the board as a new one (``idea.created``);
    a rejected one stays its author's alone. Deciding again the same way is a no-op."""
    target = IdeaStatus.VISIBLE if approve else IdeaStatus.REJECTED
    if idea.status == target:
        return idea
    if idea.status != IdeaStatus.PENDING:
        raise Conflict(_("This idea is not awaiting moderation."), code="idea_not_pending")
    if not Idea.objects.filter(pk=idea.pk, status=IdeaStatus.PENDING).update(status=target):
        raise Conflict(_("This idea changed in the meantime."), code="conflict")
    created = None
    if approve:
        created = _log_ideas(idea.event_id, BoardEventType.IDEA_CREATED, idea=idea.pk)
    row = created or _log_pending(idea.event_id)
    if created is not None:
        _log_pending(idea.event_id)
    idea.refresh_from_db()
    idea.board_seq = row.seq
    return idea


@transaction.atomic
def participant_ban(
    *, actor: User, participant: Participant, banned: bool = True, hide_ideas: bool = False
) -> Participant:
    """Stop a guest writing on this event (or let it write again, ``banned=False``).

    A ban withdraws the guest's votes (the tallies drop, logged like any vote) and, with
    ``hide_ideas``, hides its ideas on the board (and rejects those still pending)."""
    if not can_moderate_event(actor, participant.event_id):
        raise Forbidden(_("Only this event's moderators can ban a participant."))
    event_id = participant.event_id
    lock_board(event_id)
    if not banned:
        Participant.objects.filter(pk=participant.pk).update(banned_at=None)
        participant.banned_at = None
        return participant
    Participant.objects.filter(pk=participant.pk, banned_at__isnull=True).update(
        banned_at=timezone.now()
    )
    voted = list(Vote.objects.filter(participant=participant).values_list("idea_id", flat=True))
    if voted:
        Vote.objects.filter(participant=participant).delete()
        Idea.objects.filter(pk__in=voted, votes__gt=0).update(votes=F("votes") - 1)
        transaction.on_commit(partial(schedule_votes_flush, event_id))
    if hide_ideas:
        ideas = Idea.objects.filter(author=participant)
        if ideas.filter(status=IdeaStatus.PENDING).update(status=IdeaStatus.REJECTED):
            _log_pending(event_id)
        hidden = list(ideas.filter(status=IdeaStatus.VISIBLE).values_list("pk", flat=True))
        if hidden:
            Idea.objects.filter(pk__in=hidden).update(status=IdeaStatus.HIDDEN)
            _redact_log(event_id, *hidden)  # the log is read and rewritten once, not per idea
            for pk in hidden:
                _log_ideas(event_id, BoardEventType.IDEA_UPDATED, idea=pk)
    participant.refresh_from_db()
    return participant


def redact_payload(type: str, payload: dict, idea_id: int) -> tuple[str, dict]:
    """A logged change as it must read once ``idea_id`` is hidden: the idea without its
    text and author (``status: hidden``), a comment on it as ``comment.removed``."""
    if type == BoardEventType.COMMENT_CREATED:
        if payload.get("comment", {}).get("idea") != idea_id:
            return type, payload
        comment = payload["comment"]
        return BoardEventType.COMMENT_REMOVED, {"comment": {"id": comment["id"], "idea": idea_id}}
    payload = dict(payload)
    for key in ("idea", "into"):
        value = payload.get(key)
        if isinstance(value, dict) and value.get("id") == idea_id and "text" in value:
            payload[key] = {**value, "text": "", "author_name": "", "status": IdeaStatus.HIDDEN}
    return type, payload


def _redact_log(event_id: int, *idea_ids: int) -> int:
    """Rewrite every logged change that shows a now hidden idea or a comment on it, so
    no replay (``since``, however old) returns them; ``seq`` numbers stay as they are."""
    rows = BoardEvent.objects.filter(event_id=event_id).filter(
        Q(payload__idea__id__in=idea_ids) | Q(payload__into__id__in=idea_ids)
    )
    changed = []
    for row in rows:
        type, payload = row.type, row.payload
        for idea_id in idea_ids:
            type, payload = redact_payload(type, payload, idea_id)
        if (type, payload) != (row.type, row.payload):
            row.type, row.payload = type, payload
            changed.append(row)
    BoardEvent.objects.bulk_update(changed, ["type", "payload"], batch_size=500)
    return len(changed)


def _republish_comments(event_id: int, idea_id: int) -> BoardEvent | None:
    """An idea shown again: its comments were redacted from the log, so a client holding
    a state from while it was hidden gets them back as ``comment.created`` events."""
    row = None
    comments = Comment.objects.filter(idea_id=idea_id).select_related("participant")
    count = Idea.objects.values_list("comment_count", flat=True).get(pk=idea_id)
    for comment in comments.order_by("id"):
        row = send_board_event_on_commit(
            event_id=event_id,
            type=BoardEventType.COMMENT_CREATED,
            payload={
                "comment": comment_dict(comment),
                "idea": {"id": idea_id, "comment_count": count},
            },
        )
    return row


def _merge(idea: Idea, into: Idea | None) -> Idea:
    """Merge a duplicate: its distinct voters' votes move to ``into``; the rest go."""
    if into is None:
        raise ValidationError({"into": _("Choose the idea to merge into.")})
    if into.pk == idea.pk:
        raise ValidationError({"into": _("An idea cannot be merged into itself.")})
    if into.event_id != idea.event_id:
        raise ValidationError({"into": _("This idea belongs to another event.")})
    if not Idea.objects.filter(pk=into.pk, status=IdeaStatus.VISIBLE).exists():
        raise Conflict(_("Merge into a visible idea."), code="bad_merge_target")
    updated = Idea.objects.filter(
        pk=idea.pk, status__in=[IdeaStatus.VISIBLE, IdeaStatus.HIDDEN]
    ).update(status=IdeaStatus.MERGED, merged_into=into, pinned=False)
    if not updated:
        raise Conflict(_("This idea was already merged."), code="idea_merged")
    target_voters = Vote.objects.filter(idea=into).values("participant_id")
    Vote.objects.filter(idea=idea).exclude(participant_id__in=target_voters).update(idea=into)
    Vote.objects.filter(idea=idea).delete()
    Idea.objects.filter(pk=into.pk).update(votes=Vote.objects.filter(idea=into).count())
    Idea.objects.filter(pk=idea.pk).update(votes=0)
    row = _log_ideas(idea.event_id, BoardEventType.IDEA_MERGED, idea=idea.pk, into=into.pk)
    idea.refresh_from_db()
    idea.board_seq = row.seq
    return idea


@transaction.atomic
def board_set_locked(*, actor: User, event: Event, locked: bool) -> Event:
    if not can_moderate_event(actor, event):
        raise Forbidden(_("Only this event's moderators can lock the board."))
    lock_board(event.pk)
    if Event.objects.filter(pk=event.pk).exclude(board_locked=locked).update(board_locked=locked):
        send_board_event_on_commit(
            event_id=event.pk,
            type=BoardEventType.BOARD_UPDATED,
            payload={"board_locked": bool(locked)},
        )
    event.board_locked = locked
    return event


def board_announce_locked(*, event_id: int) -> BoardEvent:
    """Log the board's effective lock (locked, or its event closed) for open phones."""
    state = lock_board(event_id)
    locked = bool(state["board_locked"]) or state["status"] == EventStatus.CLOSED
    return send_board_event_on_commit(
        event_id=event_id, type=BoardEventType.BOARD_UPDATED, payload={"board_locked": locked}
    )


# --- coalesced vote tallies -------------------------------------------------------------


def votes_flush(*, event_id: int) -> BoardEvent | None:
    """Log one ``votes.changed`` with the absolute tallies of every idea whose count moved.

    Idempotent and safe from any process: the "moved" state is in the database
    (``votes != votes_logged``), so a process that dies before flushing loses nothing;
    the next flush (a vote, a client's catch-up, the REST board) logs it.
    """
    dirty = Idea.objects.filter(event_id=event_id).exclude(votes=F("votes_logged"))
    if not dirty.exists():
        return None
    with transaction.atomic():
        lock_board(event_id)
        rows = list(dirty.order_by("id").values_list("id", "votes"))
        if not rows:
            return None
        Idea.objects.filter(pk__in=[pk for pk, _v in rows]).update(votes_logged=F("votes"))
        return send_board_event_on_commit(
            event_id=event_id,
            type=BoardEventType.VOTES_CHANGED,
            payload={"votes": [{"idea": pk, "votes": votes} for pk, votes in rows]},
        )


def schedule_votes_flush(event_id: int) -> None:
    """Flush this room's tallies in ``VOTE_COALESCE_SECONDS`` (once per window); inside
    daphne on the server's event loop, without a loop (a command, a test) at once."""
    flush_soon(votes_flush, event_id)
