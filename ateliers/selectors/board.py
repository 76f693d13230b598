"""Reads of the live board shared by the API, the WebSocket consumer and the pages.

The dictionaries built here are the wire format: the same ``idea_dict`` goes into the log
(``BoardEvent.payload``), the snapshot, the REST catch-up and the WebSocket.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import get_language

from ..choices import NOT_ON_BOARD, IdeaStatus
from ..models import BoardEvent, Comment, Event, Idea, Participant, Vote
from ..permissions import can_moderate_event
from .compiled import chunks, compiled

UNPUBLISHED = (IdeaStatus.PENDING, IdeaStatus.REJECTED)


def dumps(value) -> str:
    """The wire JSON: what the sockets send, and what the parts' byte budget counts."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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


def _seq_subquery(event_ref: str) -> Subquery:
    return Subquery(
        BoardEvent.objects.filter(event_id=OuterRef(event_ref)).order_by("-seq").values("seq")[:1]
    )


def hello_participants(claims: list[tuple]) -> dict[int, Participant]:
    """Guests saying ``hello``, in two queries: ``{pk: participant}`` for the ``(pk,
    event_id)`` pairs their tokens name, each with its event (``.event``), the board's
    ``seq`` (``.board_seq``) and whether it has voted at all (``.has_votes``: a new phone
    has not, so its ``my_votes`` needs no query). Erased guests are not found.

    The hot path of a connect storm: the SQL is the ORM's, compiled once per process
    and batch size (``selectors/compiled.py``), and run as a raw query (the ORM's
    converters, no query building per hello); the events come from a second one.
    """
    pairs = {
        (pk, event_id)
        for pk, event_id in claims
        if isinstance(pk, int) and isinstance(event_id, int) and 0 < pk < 2**63
    }
    if not pairs:
        return {}
    found: dict[int, Participant] = {}
    for keys in chunks(sorted({pk for pk, _e in pairs})):
        sql, params = compiled("hello participants", keys, _hello_participants_query)
        for row in Participant.objects.raw(sql, params):
            if (row.pk, row.event_id) in pairs:
                found[row.pk] = row
    events = {}
    for keys in chunks(sorted({participant.event_id for participant in found.values()})):
        sql, params = compiled("hello events", keys, _events_query)
        events.update((event.pk, event) for event in Event.objects.raw(sql, params))
    hello = {}
    for pk, participant in found.items():
        event = events.get(participant.event_id)
        if event is not None:  # else deleted between the two reads
            participant.event = event
            participant.has_votes = bool(participant.has_votes)  # 0/1 on SQLite
            hello[pk] = participant
    return hello


def _hello_participants_query(keys: list[int]) -> QuerySet[Participant]:
    return (
        Participant.objects.annotate(
            board_seq=_seq_subquery("event_id"),
            has_votes=Exists(Vote.objects.filter(participant_id=OuterRef("pk"))),
        )
        .filter(pk__in=keys, erased_at__isnull=True)
        .order_by()
    )


def _events_query(keys: list[int]) -> QuerySet[Event]:
    return Event.objects.filter(pk__in=keys).order_by()


def event_with_seq(event_id: int) -> Event | None:
    """An event and its board's ``seq`` (``.board_seq``) in one query."""
    rows = list(Event.objects.annotate(board_seq=_seq_subquery("pk")).filter(pk=event_id)[:1])
    return rows[0] if rows else None


GENERATION_SECONDS = 1.0
_generations: dict[int, tuple[str, float]] = {}


def board_generation(event_id: int) -> str:
    """What else than ``seq`` the cached board state depends on (the themes): changed by
    ``board_state_changed``; part of every per-seq cache key of the head and the bodies.
    Read from the shared cache at most once a second per process (a theme renamed in
    another process shows within a second; in this one at once)."""
    now = time.monotonic()
    known = _generations.get(event_id)
    if known is not None and now < known[1]:
        return known[0]
    value = str(cache.get(f"board:{event_id}:gen") or 0)
    _generations[event_id] = (value, now + GENERATION_SECONDS)
    return value


def board_state_changed(event_id: int) -> None:
    """A change to the board state that logs no event (a theme renamed, added, removed):
    every cache keyed by ``seq`` is to be built again."""
    value = time.time_ns()
    cache.set(f"board:{event_id}:gen", value, None)
    _generations[event_id] = (str(value), time.monotonic() + GENERATION_SECONDS)


def ideas_visible_to(user, event: Event) -> QuerySet[Idea]:
    """REST lists: the event's moderators see every idea (hidden, awaiting moderation);
    everyone else the board's, and a guest its own ideas awaiting moderation too."""
    qs = Idea.objects.filter(event=event).select_related("author")
    if not can_moderate_event(user, event):
        qs = qs.filter(on_board_or_own(user))
    return qs


def on_board_or_own(user) -> Q:
    """Ideas on the board, or the caller's own that a moderator has not published."""
    visible = ~Q(status__in=NOT_ON_BOARD)
    participant = getattr(user, "participant", None)
    if isinstance(participant, Participant):
        return visible | Q(author=participant, status__in=UNPUBLISHED)
    if getattr(user, "is_authenticated", False) and getattr(user, "pk", None):
        return visible | Q(author__user=user, status__in=UNPUBLISHED)
    return visible


def comments_visible_to(user, idea: Idea) -> QuerySet[Comment]:
    return Comment.objects.filter(idea=idea).select_related("participant").order_by("id")


def _my_votes(viewer, event: Event, idea_ids=None) -> list[int] | None:
    participant = getattr(viewer, "participant", viewer)
    if not isinstance(participant, Participant):
        return None
    votes = participant.votes.filter(idea__event=event).exclude(idea__status__in=NOT_ON_BOARD)
    if idea_ids is not None:
        votes = votes.filter(idea_id__in=idea_ids)
    return sorted(votes.values_list("idea_id", flat=True))


def _board_ideas(event: Event) -> QuerySet[Idea]:
    """The ideas of the board state: visible and merged; a hidden idea is not there, nor
    one awaiting moderation."""
    return Idea.objects.filter(event=event).exclude(status__in=NOT_ON_BOARD)


def _board_comments(event: Event) -> QuerySet[Comment]:
    """The comments of the board state: none on a hidden idea."""
    return Comment.objects.filter(idea__event=event).exclude(idea__status__in=NOT_ON_BOARD)


def _themes(event: Event) -> list[dict]:
    return [
        {"id": theme.pk, "name": theme.name, "position": theme.position}
        for theme in event.themes.all()
    ]


def board_snapshot(event: Event, viewer=None) -> dict:
    """The whole board at one ``seq``, unbounded: the reference state (tests, the parts'
    sum). Clients get it in parts (``board_head`` + ``board_part``), never whole.

    A hidden idea and the comments on it are not in it, for anyone (hidden is gone).
    """
    # seq first: a change committed while we read is then replayed on top (payloads are
    # absolute state, so applying it twice is harmless); reading seq last could skip one.
    seq = board_seq(event)
    event = Event.objects.get(pk=event.pk)
    ideas = _board_ideas(event).select_related("author").order_by("id")
    comments = _board_comments(event).select_related("participant").order_by("id")
    snapshot = {
        "seq": seq,
        "board_locked": event.board_locked or event.status == "closed",
        "themes": _themes(event),
        "ideas": [idea_dict(idea, logged_votes=True) for idea in ideas],
        "comments": [comment_dict(comment) for comment in comments],
    }
    my_votes = _my_votes(viewer, event)
    if my_votes is not None:
        snapshot["my_votes"] = my_votes
    return snapshot


# --- the board state in bounded parts (docs/protocol.md, "Board state in parts") -------


def _encoded_size(value) -> int:
    return len(dumps(value).encode())


@dataclass(frozen=True)
class PartCursor:
    """Where the next part starts: ``ideas`` after an id (skipping the head's ideas),
    then ``comments`` after an id. Encoded in the ``part`` query parameter."""

    kind: str
    after: int = 0
    skip: tuple[int, ...] = ()

    def encode(self) -> str:
        text = f"{self.kind[0]}{self.after}"
        return text + ("." + "-".join(map(str, self.skip)) if self.skip else "")

    @classmethod
    def decode(cls, text: str) -> PartCursor:
        """Raises ``ValueError`` on anything this module did not write."""
        if not isinstance(text, str) or len(text) > 2000 or text[:1] not in ("i", "c"):
            raise ValueError(text)
        head, _dot, skip = text[1:].partition(".")
        after = int(head)
        ids = tuple(int(x) for x in skip.split("-")) if skip else ()
        if after < 0 or after > 2**62 or any(x < 1 or x > 2**62 for x in ids):
            raise ValueError(text)
        if text[0] == "c" and ids:
            raise ValueError(text)
        return cls("ideas" if text[0] == "i" else "comments", after, ids)


def _part_budget() -> int:
    return int(settings.LIVINGLAB["BOARD_PART_BYTES"])


def _shared_cached(key: str, build):
    """One build per board ``seq`` for everyone (the key carries the seq): a crowd
    opening the board, or 100 anonymous readers, cost one build until the next change."""
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, PART_CACHE_SECONDS)
    return value


PART_CACHE_SECONDS = 120


def _build_head(event: Event) -> dict:
    """First paint: the pinned ideas, then the most supported of each theme, within the
    part budget; the counts of what the whole board holds."""
    per_theme = int(settings.LIVINGLAB["BOARD_HEAD_IDEAS_PER_THEME"])
    rows = list(
        Idea.objects.filter(event=event, status=IdeaStatus.VISIBLE)
        .order_by("-pinned", "-votes", "id")
        .values_list("pk", "theme_id", "pinned")
    )
    totals: dict = {}
    chosen: list[int] = []
    for pk, theme_id, pinned in rows:
        totals[theme_id] = totals.get(theme_id, 0) + 1
        if pinned or totals[theme_id] <= per_theme:
            chosen.append(pk)
    full = _board_ideas(event).select_related("author").in_bulk(chosen)
    budget = _part_budget() - 4096  # themes, counts and the envelope
    ideas = []
    for pk in chosen:
        item = idea_dict(full[pk], logged_votes=True)
        size = _encoded_size(item) + 1
        if budget < size:
            break
        budget -= size
        ideas.append(item)
    skip = tuple(sorted(item["id"] for item in ideas))
    head = {
        "ideas": ideas,
        "comments": [],
        "counts": {
            "ideas": len(rows),
            "comments": _board_comments(event).count(),
            "themes": [{"theme": key, "ideas": n} for key, n in totals.items()],
        },
        "next": PartCursor("ideas", 0, skip).encode(),
    }
    if len(rows) <= SMALL_BOARD_IDEAS and head["counts"]["comments"] <= SMALL_BOARD_COMMENTS:
        _complete_small_head(event, head, budget, skip)
    return head


SMALL_BOARD_IDEAS = 200
SMALL_BOARD_COMMENTS = 1000


def _complete_small_head(event: Event, head: dict, budget: int, skip: tuple) -> None:
    """A small board fits in its head: then there is no following part."""
    rest = _build_part(event, PartCursor("ideas", 0, skip), budget=budget, direct=True)
    if rest["next"] != "c0":
        return
    budget -= sum(_encoded_size(item) + 1 for item in rest["ideas"])
    comments = _build_part(event, PartCursor("comments", 0), budget=budget, direct=True)
    if comments["next"] is None:
        head["ideas"] = head["ideas"] + rest["ideas"]
        head["comments"] = comments["comments"]
        head["next"] = None


def _build_part(
    event: Event, cursor: PartCursor, budget: int | None = None, *, direct: bool = False
) -> dict:
    """One part after ``cursor``: ideas in id order, then comments, up to the budget."""
    budget = _part_budget() - 1024 if budget is None else budget
    fetch = int(settings.LIVINGLAB["BOARD_PART_MAX_ROWS"])
    if cursor.kind == "ideas":
        ids = _board_ideas(event).filter(pk__gt=cursor.after).exclude(pk__in=cursor.skip)
        model, related, make = Idea, "author", partial(idea_dict, logged_votes=True)
    else:
        ids = _board_comments(event).filter(pk__gt=cursor.after)
        model, related, make = Comment, "participant", comment_dict
    if direct:  # a small board: one query
        ids = list(ids.select_related(related).order_by("id")[:fetch])
        rows = iter(ids)
    else:  # ids first (a cheap sort), then the full rows in chunks, only while they fit
        ids = list(ids.order_by("id").values_list("id", flat=True)[:fetch])
        rows = (
            row
            for start in range(0, len(ids), 100)
            for row in model.objects.filter(pk__in=ids[start : start + 100])
            .select_related(related)
            .order_by("id")
        )
    items = []
    last = cursor.after
    full = True
    for row in rows:
        item = make(row)
        size = _encoded_size(item) + 1
        if budget < size and items:
            break
        budget -= size
        items.append(item)
        last = row.pk
    else:
        full = len(ids) == fetch
    if full:
        nxt = PartCursor(cursor.kind, last, cursor.skip if cursor.kind == "ideas" else ())
    elif cursor.kind == "ideas":
        nxt = PartCursor("comments", 0)
    else:
        nxt = None
    return {
        "ideas": items if cursor.kind == "ideas" else [],
        "comments": items if cursor.kind == "comments" else [],
        "next": nxt.encode() if nxt else None,
    }


def within_budget(events: list[dict]) -> tuple[list[dict], bool]:
    """The first events that fit in one part; ``True`` when some were left for later."""
    budget = _part_budget() - 1024
    for index, event in enumerate(events):
        budget -= _encoded_size(event) + 1
        if budget < 0 and index:
            return events[:index], True
    return events, False


def board_head(
    event: Event,
    viewer=None,
    *,
    seq: int | None = None,
    no_votes: bool = False,
    memo: dict | None = None,
) -> dict:
    """The first part of the board state: ``{seq, board_locked, themes, counts, ideas,
    comments: [], my_votes, next}`` (``next``: the cursor of the following part).

    The head and the themes (in the active language) come from one cache read per
    ``seq`` and generation (``memo``: a dict shared by the hellos of one batch, which
    then read it once); ``no_votes``: the viewer is known to have no vote (no query).
    """
    seq = board_seq(event) if seq is None else seq
    language = get_language()
    found = memo.get((event.pk, seq, language)) if memo is not None else None
    if found is None:
        prefix = f"board:{event.pk}:{seq}:{board_generation(event.pk)}"
        keys = (f"{prefix}:head", f"{prefix}:themes:{language}")
        cached = cache.get_many(keys)
        found = cached.get(keys[0]), cached.get(keys[1])
        if found[0] is None:
            found = _build_head(event), found[1]
            cache.set(keys[0], found[0], PART_CACHE_SECONDS)
        if found[1] is None:
            found = found[0], _themes(event)
            cache.set(keys[1], found[1], PART_CACHE_SECONDS)
        found = (*found, prefix)
        if memo is not None:
            memo[(event.pk, seq, language)] = found
    shared, themes, prefix = found
    head = {
        "seq": seq,
        "board_locked": event.board_locked or event.status == "closed",
        "themes": themes,
        **shared,
    }
    participant = getattr(viewer, "participant", viewer)
    if no_votes and isinstance(participant, Participant):
        head["my_votes"] = []
        return head
    my_votes = _my_votes(viewer, event, [idea["id"] for idea in shared["ideas"]])
    if my_votes is not None:
        head["my_votes"] = my_votes
    return head


_HEAD_TEXTS = 8  # the shared parts' JSON kept per process, for the latest seqs
_head_texts: OrderedDict[str, str] = OrderedDict()


def head_text(head: dict, memo: dict, event_id: int, seq: int) -> str | None:
    """``dumps(head)`` for a head ``board_head`` just built with ``memo``, its part shared
    by everyone at this seq (the ideas, comments and counts: up to 190 KiB on a big
    board) serialised once per process; ``None`` if ``memo`` does not say where it came
    from. A connect storm on a board of 5,000 ideas no longer encodes 190 KiB per guest."""
    found = memo.get((event_id, seq, get_language()))
    if found is None:
        return None
    shared, _themes, prefix = found
    wire = [key for key in shared if key != "next"]  # the cursor is not in the message
    if "next" in head or any(head.get(key) is not shared[key] for key in wire):
        return None  # not the head built from this memo as it is sent
    text = _head_texts.get(prefix)
    if text is None:
        text = _head_texts[prefix] = dumps({key: shared[key] for key in wire})
        while len(_head_texts) > _HEAD_TEXTS:
            _head_texts.popitem(last=False)
    own = {key: value for key, value in head.items() if key not in shared}
    return dumps(own)[:-1] + "," + text[1:]


def board_part(event: Event, cursor: PartCursor, viewer=None, *, seq: int | None = None) -> dict:
    """A following part: ``{seq, ideas, comments, my_votes, next}``."""
    seq = board_seq(event) if seq is None else seq
    digest = hashlib.sha256(cursor.encode().encode()).hexdigest()[:32]
    key = f"board:{event.pk}:{seq}:{digest}"
    shared = _shared_cached(key, lambda: _build_part(event, cursor))
    part = {"seq": seq, **shared}
    if shared["ideas"]:
        my_votes = _my_votes(viewer, event, [idea["id"] for idea in shared["ideas"]])
        if my_votes is not None:
            part["my_votes"] = my_votes
    return part


def board_events_since(
    event: Event | int, since: int, limit: int | None = None, *, seq: int | None = None
) -> list | None:
    """The logged events after ``since`` in order, or ``None`` when more than ``limit``
    (the caller then sends a snapshot instead). ``seq``: the board's, if already read."""
    event_id = getattr(event, "pk", event)
    limit = settings.LIVINGLAB["BOARD_REPLAY_LIMIT"] if limit is None else limit
    if seq is not None and since >= seq:  # up to date (a reconnect storm): no query
        return [] if since == seq else None
    rows = list(
        BoardEvent.objects.filter(event_id=event_id, seq__gt=since).order_by("seq")[: limit + 1]
    )
    if len(rows) > limit:
        return None
    if since > 0 and not rows and since > (board_seq(event_id) if seq is None else seq):
        return None  # a seq from another database (or the future): start afresh
    return [row.as_message() for row in rows]


def _theme_changed(sender, instance, **kwargs) -> None:
    board_state_changed(instance.event_id)


def connect_signals() -> None:
    """Theme changes log no board event: they move the board's cache generation."""
    from django.db.models.signals import post_delete, post_save

    from ..models import Theme

    post_save.connect(_theme_changed, sender=Theme, dispatch_uid="board.theme_saved")
    post_delete.connect(_theme_changed, sender=Theme, dispatch_uid="board.theme_deleted")
