"""Reads of the live board shared by the API, the WebSocket consumer and the pages.

The dictionaries built here are the wire format: the same ``idea_dict`` goes into the log
(``BoardEvent.payload``), the snapshot, the REST catch-up and the WebSocket.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from django.conf import settings
from django.db.models import QuerySet

from .choices import IdeaStatus
from .models import BoardEvent, Comment, Event, Idea, Participant
from .permissions import can_moderate_event


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def idea_dict(idea: Idea, *, logged_votes: bool = False) -> dict:
    """An idea as every board client sees it; a hidden idea's text is never broadcast.

    ``logged_votes`` gives the tally as of the log (snapshots): a vote not yet in a
    ``votes.changed`` reaches the client through that event, not through the snapshot.
    """
    hidden = idea.status == IdeaStatus.HIDDEN
    return {
        "id": idea.pk,
        "text": "" if hidden else idea.text,
        "theme": idea.theme_id,
        "author_name": "" if hidden else idea.author.display_name,
        "votes": idea.votes_logged if logged_votes else idea.votes,
        "comment_count": idea.comment_count,
        "status": idea.status,
        "pinned": idea.pinned,
        "merged_into": idea.merged_into_id,
        "created_at": _iso(idea.created_at),
    }


def comment_dict(comment: Comment) -> dict:
    return {
        "id": comment.pk,
        "idea": comment.idea_id,
        "text": comment.text,
        "author_name": comment.participant.display_name,
        "created_at": _iso(comment.created_at),
    }


def participant_dict(participant: Participant | None) -> dict | None:
    if participant is None:
        return None
    return {"id": participant.pk, "display_name": participant.display_name}


def board_seq(event: Event | int) -> int:
    event_id = getattr(event, "pk", event)
    last = (
        BoardEvent.objects.filter(event_id=event_id)
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return last or 0


def ideas_visible_to(user, event: Event) -> QuerySet[Idea]:
    """REST lists: the event's moderators see hidden ideas too, everyone else does not."""
    qs = Idea.objects.filter(event=event).select_related("author")
    if not can_moderate_event(user, event):
        qs = qs.exclude(status=IdeaStatus.HIDDEN)
    return qs


def comments_visible_to(user, idea: Idea) -> QuerySet[Comment]:
    return Comment.objects.filter(idea=idea).select_related("participant").order_by("id")


def board_snapshot(event: Event, viewer=None) -> dict:
    """The whole board at one ``seq``; the log replayed onto it gives any later snapshot.

    The shared part (``seq``, ``board_locked``, ``themes``, ``ideas``, ``comments``) is the
    same for everyone; ``my_votes`` is the viewer's own and is not in the log.
    """
    # seq first: a change committed while we read is then replayed on top (payloads are
    # absolute state, so applying it twice is harmless); reading seq last could skip one.
    seq = board_seq(event)
    event = Event.objects.get(pk=event.pk)
    ideas = Idea.objects.filter(event=event).select_related("author").order_by("id")
    comments = (
        Comment.objects.filter(idea__event=event).select_related("participant").order_by("id")
    )
    snapshot = {
        "seq": seq,
        "board_locked": event.board_locked or event.status == "closed",
        "themes": [
            {"id": theme.pk, "name": theme.name, "position": theme.position}
            for theme in event.themes.all()
        ],
        "ideas": [idea_dict(idea, logged_votes=True) for idea in ideas],
        "comments": [comment_dict(comment) for comment in comments],
    }
    participant = getattr(viewer, "participant", viewer)
    if isinstance(participant, Participant):
        snapshot["my_votes"] = sorted(
            participant.votes.filter(idea__event=event).values_list("idea_id", flat=True)
        )
    return snapshot


_shared_snapshots: dict[int, tuple[int, float, dict]] = {}
SNAPSHOT_REUSE_SECONDS = 2.0


def board_snapshot_cached(event: Event, viewer=None) -> dict:
    """``board_snapshot`` for a crowd arriving at once: the shared part is built once per
    ``seq`` (and at most every ``SNAPSHOT_REUSE_SECONDS``, since themes are not logged),
    so 300 phones opening the board cost one snapshot, not 300."""
    seq = board_seq(event)
    now = time.monotonic()
    hit = _shared_snapshots.get(event.pk)
    if hit is not None and hit[0] == seq and hit[1] > now:
        shared = hit[2]
    else:
        shared = board_snapshot(event)
        shared.pop("my_votes", None)
        if shared["seq"] == seq:
            _shared_snapshots[event.pk] = (seq, now + SNAPSHOT_REUSE_SECONDS, shared)
    snapshot = dict(shared)
    participant = getattr(viewer, "participant", viewer)
    if isinstance(participant, Participant):
        snapshot["my_votes"] = sorted(
            participant.votes.filter(idea__event=event).values_list("idea_id", flat=True)
        )
    return snapshot


def board_events_since(event: Event | int, since: int, limit: int | None = None) -> list | None:
    """The logged events after ``since`` in order, or ``None`` when more than ``limit``
    (the caller then sends a snapshot instead)."""
    event_id = getattr(event, "pk", event)
    limit = settings.LIVINGLAB["BOARD_REPLAY_LIMIT"] if limit is None else limit
    rows = list(
        BoardEvent.objects.filter(event_id=event_id, seq__gt=since).order_by("seq")[: limit + 1]
    )
    if len(rows) > limit:
        return None
    if since > 0 and not rows and since > board_seq(event_id):
        return None  # a seq from another database (or the future): start afresh
    return [row.as_message() for row in rows]
