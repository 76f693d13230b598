"""The product's sockets: the live board ``/ws/events/<id>/board/`` and one person's
notifications ``/ws/notifications/`` (docs/protocol.md). Both stand on
``realtime.sockets.LimitedConsumer`` (token auth, size and rate limits, error replies).

The board socket is thin: parse, authorise, call one sync service through ``board_db``
(its own thread), answer. Broadcasts arrive already serialised (``{"type":
"board.event", "seq", "text"}``) and are forwarded as they are, in ``seq`` order, never
twice: this consumer remembers the last ``seq`` it sent and fills a gap from the log if a
push went missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
import weakref
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import DatabaseSyncToAsync, database_sync_to_async
from channels.exceptions import StopConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation

from .exceptions import DomainError
from .models import Event, Idea, Participant
from .permissions import can_moderate_event, can_see_event, is_account
from .realtime import budget, fanout, messages
from .realtime.board import group_name
from .realtime.notifications import user_group
from .realtime.sockets import (
    CLOSE_FLOOD,
    CLOSE_NO_EVENT,
    CLOSE_TOO_SLOW,
    CLOSE_UNAUTHORIZED,
    CLOSE_WRONG_EVENT,
    ClientError,
    FixedWindow,
    LimitedConsumer,
    TokenBucket,
    account_from_token,
    session_account,
    socket_language,
)
from .selectors import board as board_selectors
from .services import board as board_services

logger = logging.getLogger(__name__)

# The board's own database thread. Channels runs every sync call (each HTTP view, each
# consumer's database work) in one shared thread, first come first served: 100 anonymous
# board reads queued there made a guest's post wait for all of them (ack p95 ×12). The
# board socket's hellos and writes take their turn here instead; writers still serialise
# in the database (SQLite's IMMEDIATE transactions, PostgreSQL's event row lock).
_board_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-db")


def board_db(func):
    """``database_sync_to_async`` on the board's own thread (closes stale connections)."""
    return DatabaseSyncToAsync(func, thread_sensitive=False, executor=_board_executor)


GAP_WAIT_SECONDS = 0.5
PRESENCE_INTERVAL_SECONDS = 1.0
# While the channel layer (Redis) is unreachable a socket reads the log itself this often,
# and tries to join its room again; see BoardConsumer.__call__.
DEGRADED_POLL_SECONDS = 1.0

LAYER_ERRORS = fanout.LAYER_ERRORS

_presence: dict[int, int] = {}
# Open board sockets of this process per (event, principal) and per client address.
_sockets_per_principal: dict[tuple[int, str], int] = {}
_sockets_per_address: dict[str, int] = {}
_layer_probe: dict = {"at": 0.0, "up": True}


async def layer_is_up(layer) -> bool:
    """One cheap PUBLISH per process and second, shared by every degraded socket (a failed
    ``new_channel`` leaves its queue behind in the layer, so sockets must not each retry)."""
    now = time.monotonic()
    if now - _layer_probe["at"] < DEGRADED_POLL_SECONDS:
        return _layer_probe["up"]
    _layer_probe["at"] = now
    try:
        await layer.group_send("livinglab.probe", {"type": "layer.noop"})
    except LAYER_ERRORS:
        _layer_probe["up"] = False
    else:
        _layer_probe["up"] = True
    return _layer_probe["up"]


_presence_scheduled: set[int] = set()
# A presence broadcast is one frame per socket: a big room gets it less often (every
# second up to 250 sockets, every 4 s at 1,000), so a connect storm is not a storm of
# presence frames too.
PRESENCE_SOCKETS_PER_SECOND = 250


def presence_interval(count: int) -> float:
    return max(PRESENCE_INTERVAL_SECONDS, count / PRESENCE_SOCKETS_PER_SECOND)


def presence_count(event_id: int) -> int:
    """Connected clients of this process (in-process counter: per daphne, see docs)."""
    return _presence.get(event_id, 0)


# --- sync halves: one thread hop each ---------------------------------------------------


def _authenticate(
    event_id: int, token, scope_user, found: dict | None = None, claims=False
) -> tuple[Participant | None, object | None]:
    """(participant, account) for a hello; raises ClientError with the close code's name.

    A guest's participant comes with its event, the board's seq and whether it voted
    (``board_selectors.hello_participants``); ``found``: already read for a batch, and
    ``claims``: the token's, already checked (``False``: not yet)."""
    if token in (None, ""):
        return None, session_account(scope_user)
    if not isinstance(token, str) or len(token) > 500:
        raise ClientError("bad_token", "This token is not valid.")
    if claims is False:
        claims = board_services.token_claims(token)
    if claims is not None:
        pair = (claims.get("p"), claims.get("e"))
        if found is None:
            found = board_selectors.hello_participants([pair])
        participant = found.get(pair[0])
        if participant is not None and participant.event_id == pair[1]:
            if participant.event_id != event_id:
                raise ClientError("wrong_event", "This token is for another event.")
            return participant, None
    user = account_from_token(token)
    if user is None:
        raise ClientError("bad_token", "This token is not valid.")
    return None, user


_hello_flushes: dict[int, float] = {}
HELLO_FLUSH_SECONDS = 1.0


def _flush_now_and_then(event_id: int) -> bool:
    """A hello logs pending vote tallies (the safety net for a process that died before
    its coalesced flush), but a connect storm does it once a second, not once a socket.
    ``True`` when it logged something (the board's seq moved)."""
    now = time.monotonic()
    if now - _hello_flushes.get(event_id, 0.0) >= HELLO_FLUSH_SECONDS:
        _hello_flushes[event_id] = now
        return board_services.votes_flush(event_id=event_id) is not None
    return False


def hello_many(requests: list[dict]) -> list:
    """The hellos waiting for the board's thread, answered together: their guests and
    events in two queries (``hello_participants``), each token checked once, the head
    read once; a result (``hello_sync``'s) or the exception, per hello."""
    claims = [board_services.token_claims(request.get("token")) for request in requests]
    found = board_selectors.hello_participants(
        [(c.get("p"), c.get("e")) for c in claims if c is not None]
    )
    memo: dict = {}
    results = []
    for request, request_claims in zip(requests, claims, strict=True):
        try:
            results.append(hello_sync(**request, found=found, memo=memo, claims=request_claims))
        except Exception as exc:  # noqa: BLE001 - raised again in its own socket's hello
            results.append(exc)
    return results


HELLO_BATCH = 200


class _HelloQueue:
    """Hellos that arrive while the board's thread is busy wait here and go together:
    a connect storm of 1,000 guests costs a few dozen thread hops and queries, not
    thousands, so no handshake waits long enough for daphne's connect timeout."""

    def __init__(self) -> None:
        self.waiting: list[tuple[dict, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def ask(self, **request) -> dict:
        future = asyncio.get_running_loop().create_future()
        self.waiting.append((request, future))
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._run())
        return await future

    async def _run(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting[:HELLO_BATCH], self.waiting[HELLO_BATCH:]
            try:
                results = await board_db(hello_many)([request for request, _f in batch])
            except Exception as exc:  # noqa: BLE001 - raised again in each socket's hello
                results = [exc] * len(batch)
            for (_request, future), result in zip(batch, results, strict=True):
                if future.done():  # the socket went away meanwhile
                    continue
                if isinstance(result, BaseException):
                    future.set_exception(result)
                else:
                    future.set_result(result)


_hello_queues: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def hello_queue() -> _HelloQueue:
    """This event loop's queue (tests run several loops in one process)."""
    loop = asyncio.get_running_loop()
    queue = _hello_queues.get(loop)
    if queue is None:
        queue = _hello_queues[loop] = _HelloQueue()
    return queue


def hello_sync(
    *, event_id: int, token, since, scope_user, found: dict | None = None, memo=None, claims=False
) -> dict:
    """Everything a ``welcome`` needs. A guest at a seq already served costs two
    queries (its participant, seq and "has it voted"; its event: the head and themes are
    cached per seq), plus the vote-tally check once a second per event
    (tests/api/query_counts.json, "hello storm"); in a batch (``hello_many``) the same
    two for all of them, and the snapshot's JSON spliced from a part encoded once per
    seq (``snapshot_text``)."""
    participant, user = _authenticate(event_id, token, scope_user, found, claims)
    if participant is not None:
        event, seq = participant.event, participant.board_seq or 0
    else:
        event = board_selectors.event_with_seq(event_id)
        seq = (event.board_seq or 0) if event is not None else 0
    if event is None or not can_see_event(user, event):
        raise ClientError("no_event", "No such event.")
    no_votes = participant is not None and participant.has_votes is False
    if user is not None and is_account(user):
        participant = board_services.participant_for_user(event=event, user=user)
    if _flush_now_and_then(event_id):
        seq = board_selectors.board_seq(event_id)
    events = None
    if isinstance(since, int) and not isinstance(since, bool) and 0 <= since < 2**62:
        events = board_selectors.board_events_since(event, since, seq=seq)
    welcome = {
        "type": "welcome",
        "participant": board_selectors.participant_dict(participant),
        "can_moderate": can_moderate_event(user, event),
        "snapshot": None,
    }
    next_part = snapshot_text = None
    if events is None:
        head = board_selectors.board_head(event, participant, seq=seq, no_votes=no_votes, memo=memo)
        next_part = head.pop("next")
        head["complete"] = next_part is None
        welcome["seq"] = head["seq"]
        welcome["snapshot"] = head
        if memo is not None:
            snapshot_text = board_selectors.head_text(head, memo, event.pk, seq)
    else:
        welcome["seq"] = events[-1]["seq"] if events else since
    welcome["board_locked"] = event.board_locked or event.status == "closed"
    return {
        "participant": participant,
        "user": user,
        "event": event,
        "can_moderate": welcome["can_moderate"],
        "welcome": welcome,
        "events": events or [],
        "next_part": next_part,
        "snapshot_text": snapshot_text,  # the snapshot's JSON, when it could be spliced
    }


def part_sync(*, event: Event, cursor: str, participant) -> dict:
    return board_selectors.board_part(event, board_selectors.PartCursor.decode(cursor), participant)


def _parse(event_id: int, message: dict) -> dict:
    """A write's fields, read by its serializer (``realtime/messages.py``, the REST API's
    text rules); raises ClientError with the protocol's code for the first bad field."""
    serializer = messages.MESSAGES[message["type"]](data=message, context={"event_id": event_id})
    if not serializer.is_valid():
        raise ClientError(*messages.first_error(serializer, serializer.errors))
    return serializer.validated_data


def _created_seq(event_id: int, obj, kind: str, key: str) -> int | None:
    seq = getattr(obj, "board_seq", None)
    if seq is not None:
        return seq
    from .models import BoardEvent

    lookup = {f"payload__{key}__id": obj.pk}
    return (
        BoardEvent.objects.filter(event_id=event_id, type=kind, **lookup)
        .values_list("seq", flat=True)
        .first()
    )


def write_in_language(lang: str, **kwargs) -> dict:
    """``write_sync`` with the socket's language active: a refusal reads in the language
    of the page that opened the socket, not the server's."""
    with translation.override(lang):
        return write_sync(**kwargs)


def write_sync(*, event_id: int, participant, user, message: dict) -> dict:
    """Run one client write; returns the ack (without ``type``)."""
    kind = message["type"]
    if participant is not None or user is not None:
        wait = budget.take_write(budget.principal_ident(participant=participant, user=user))
        if wait is not None:
            raise ClientError(
                "rate_limited",
                f"Too many writes for this token (all its sockets and HTTP): "
                f"wait {math.ceil(wait)} s.",
            )
    if kind not in messages.MESSAGES:
        raise ClientError("unknown_type", f"Unknown message type: {kind}.")
    if kind not in ("moderate", "board.lock") and participant is None:
        raise ClientError("unauthorized", "Join the event with its code first.")
    data = _parse(event_id, message)
    if kind == "moderate":
        idea = board_services.idea_moderate(
            actor=user, idea=data["idea"], action=data["action"], into=data.get("into")
        )
        return {
            "idea": board_selectors.idea_dict(
                Idea.objects.select_related("author").get(pk=idea.pk)
            ),
            "seq": getattr(idea, "board_seq", None),
        }
    if kind == "board.lock":
        locked = data["locked"]
        event = Event.objects.get(pk=event_id)
        board_services.board_set_locked(actor=user, event=event, locked=locked)
        return {"board_locked": locked, "seq": board_selectors.board_seq(event_id)}
    if kind == "idea.create":
        idea, created = board_services.idea_post(
            participant=participant,
            text=data["text"],
            theme=data.get("theme"),
            client_id=data["client_id"],
        )
        return {
            "client_id": str(data["client_id"]),
            "seq": _created_seq(event_id, idea, "idea.created", "idea"),
            "created": created,
            "idea": board_selectors.idea_dict(idea),
        }
    if kind == "idea.edit":
        idea = board_services.idea_edit(
            participant=participant, idea=data["idea"], text=data["text"]
        )
        return {"seq": idea.board_seq, "idea": board_selectors.idea_dict(idea)}
    if kind == "vote":
        value = data["value"]
        idea = board_services.vote_set(participant=participant, idea=data["idea"], value=value)
        return {"seq": None, "idea": idea.pk, "value": int(value), "votes": idea.votes}
    client_id = data["client_id"]  # comment.create
    comment, created = board_services.comment_post(
        participant=participant, idea=data["idea"], text=data["text"], client_id=client_id
    )
    return {
        "client_id": str(client_id),
        "seq": _created_seq(event_id, comment, "comment.created", "comment"),
        "created": created,
        "comment": board_selectors.comment_dict(comment),
    }


def _valid_unicode(message: dict) -> bool:
    """False when a JSON escape left a lone surrogate (``"\\ud800"``): it cannot be
    stored, nor sent back in UTF-8."""
    try:
        json.dumps(message, ensure_ascii=False).encode("utf-8")
    except (UnicodeEncodeError, RecursionError):
        return False
    return True


WRITES = set(messages.MESSAGES)


def _validation_detail(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


class BoardConsumer(LimitedConsumer):
    too_large_detail = "Messages are limited to {max_bytes} bytes."
    flood_strikes = 100  # refused messages in a row before the socket is closed
    flood_detail = "Too many messages."
    slow_down_detail = "Too many messages: slow down."
    bad_json_detail = "This is not JSON (or it is nested too deeply)."
    principal_key = None
    address = None
    catching_up = False  # while the parts of a board state are sent (pushes are held)

    async def __call__(self, scope, receive, send):
        """Channels' ``AsyncConsumer.__call__``, but a dead channel layer is not fatal.

        Channels subscribes a channel per socket before anything else; with Redis down
        that raises and the handshake fails, so every client would crash-loop (and with
        Redis up it costs a ``SUBSCRIBE`` and a task per socket). Here the socket has no
        channel: it joins its room in this process (``fanout``), which subscribes once
        per room and process. If the layer cannot be reached the socket opens anyway, in
        *degraded* mode: it serves hello and writes from the database, reads the log
        every ``DEGRADED_POLL_SECONDS`` instead of receiving pushes, and joins its room
        as soon as the layer answers again.
        """
        self.scope = scope
        self.base_send = send
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = None  # pushes come through the room (fanout), not a channel
        self.degraded_task: asyncio.Task | None = None
        self.live = True
        with contextlib.suppress(StopConsumer):
            await await_many_dispatch([receive], self.dispatch)

    async def layer_noop(self, message):
        pass

    async def dispatch(self, message):
        """Run the handler without Channels' per-message ``aclose_old_connections()``.

        Channels hops to the single database thread before *every* handler to close stale
        connections: one thread hop per broadcast per socket, serialised, which made a
        broadcast to 1,000 sockets cost 1,000 hops. This consumer touches the database only
        through ``database_sync_to_async``, which closes stale connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        self.event_id = int(self.scope["url_route"]["kwargs"]["event_id"])
        self.group = group_name(self.event_id)
        self.ready = False
        self.joined = False
        self.closing = False
        self.participant = None
        self.user = None
        self.can_moderate = False
        self.last_seq = 0
        self.pending: dict[int, str] = {}
        self.gap_task: asyncio.Task | None = None
        self.strikes = 0
        limits = settings.LIVINGLAB
        self.max_bytes = int(limits["WS_MAX_MESSAGE_BYTES"])
        self.max_per_principal = int(limits["WS_SOCKETS_PER_TOKEN"])
        self.principal_key = None
        self.limiter = TokenBucket(limits["WS_RATE_PER_SECOND"], limits["WS_RATE_BURST"])
        self.hello_timer = None
        self.lang = socket_language(self.scope)
        address = (self.scope.get("client") or ("?", 0))[0]
        if _sockets_per_address.get(address, 0) >= int(limits["WS_SOCKETS_PER_ADDRESS"]):
            logger.warning("board socket refused: %s has too many open", address)
            self.closing = True
            await self.close()  # before accept: the handshake gets HTTP 403
            return
        _sockets_per_address[address] = _sockets_per_address.get(address, 0) + 1
        self.address = address
        await self.accept()
        self.start_hello_timer()

    async def disconnect(self, code):
        self.closing = True
        self.stop_hello_timer()
        if self.address is not None:
            left = _sockets_per_address.pop(self.address, 1) - 1
            if left > 0:
                _sockets_per_address[self.address] = left
            self.address = None
        if self.gap_task is not None:
            self.gap_task.cancel()
        if self.degraded_task is not None:
            self.degraded_task.cancel()
        if self.joined:
            await self._leave_room()
        if self.principal_key is not None:
            left = _sockets_per_principal.pop(self.principal_key, 1) - 1
            if left > 0:
                _sockets_per_principal[self.principal_key] = left
            self.principal_key = None
        if self.ready:
            self.ready = False
            _presence[self.event_id] = max(0, _presence.get(self.event_id, 1) - 1)
            if not _presence[self.event_id]:
                del _presence[self.event_id]
            self._schedule_presence()

    # --- incoming ---------------------------------------------------------------------

    async def handle(self, message, raw) -> None:
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            await self.error("bad_message", 'Send an object with a "type".')
            return
        if ("\\u" if isinstance(raw, str) else b"\\u") in raw and not _valid_unicode(message):
            await self.error("bad_message", "Text must be valid Unicode (no lone surrogates).")
            return
        kind = message["type"]
        if kind == "hello":
            await self.hello(message)
        elif not self.ready:
            await self.error("hello_required", "Say hello first.")
        elif kind == "ping":
            await self.send_json({"type": "pong", "seq": self.last_seq})
        elif kind in WRITES:
            await self.write(message)
        else:
            await self.error("unknown_type", f"Unknown message type: {kind[:40]}.")

    async def hello(self, message):
        if self.ready:
            await self.error("bad_message", "Already said hello.")
            return
        since = message.get("since")
        self.live = await self._join_room()
        try:
            result = await hello_queue().ask(
                event_id=self.event_id,
                token=message.get("token"),
                since=since,
                scope_user=self.scope.get("user"),
            )
        except ClientError as exc:
            await self._leave_room()
            code = {
                "wrong_event": CLOSE_WRONG_EVENT,
                "no_event": CLOSE_NO_EVENT,
            }.get(exc.code, CLOSE_UNAUTHORIZED)
            await self.close_with_error(code, exc.code, exc.detail)
            return
        self.hello_timer.cancel()
        self.participant = result["participant"]
        self.user = result["user"]
        if not self._count_principal():
            await self.close_with_error(
                CLOSE_FLOOD,
                "too_many_sockets",
                f"At most {self.max_per_principal} open boards per token: close one.",
            )
            return
        self.can_moderate = result["can_moderate"]
        self.ready = True
        _presence[self.event_id] = _presence.get(self.event_id, 0) + 1
        welcome = result["welcome"]
        welcome["presence"] = presence_count(self.event_id)
        if result.get("snapshot_text") is not None:  # the shared part encoded once per seq
            rest = board_selectors.dumps({k: v for k, v in welcome.items() if k != "snapshot"})
            await self.send(text_data=f'{rest[:-1]},"snapshot":{result["snapshot_text"]}}}')
        else:
            await self.send_json(welcome)
        for event in result["events"]:
            await self.send_json(event)
        self.last_seq = welcome["seq"]
        if result["next_part"] is not None:
            await self._send_parts(result["event"], result["next_part"])
            if not await self._catch_up_from_log():
                return
        await self._drain()  # pushes that arrived during the catch-up
        if self.pending and self.gap_task is None:
            self.gap_task = asyncio.ensure_future(self._fill_gap())
        if not self.live:
            await self.error(
                "live_unavailable",
                "Live updates are degraded: the board is read from the log every second.",
            )
            self.degraded_task = asyncio.ensure_future(self._degraded())
        self._schedule_presence()

    def _count_principal(self) -> bool:
        """Count this socket against its token's cap (per process); ``False`` if over."""
        if self.participant is None and self.user is None:
            return True
        ident = budget.principal_ident(participant=self.participant, user=self.user)
        key = (self.event_id, ident)
        if _sockets_per_principal.get(key, 0) >= self.max_per_principal:
            return False
        _sockets_per_principal[key] = _sockets_per_principal.get(key, 0) + 1
        self.principal_key = key
        return True

    async def _send_parts(self, event, cursor: str) -> None:
        """The rest of a bounded board state, one ``snapshot.part`` per message; pushes
        are held meanwhile, then the log after the welcome's ``seq`` is replayed on top
        (parts are read later than that ``seq``; replaying absolute state is harmless)."""
        self.catching_up = True
        try:
            while cursor is not None and not self.closing:
                part = await board_db(part_sync)(
                    event=event, cursor=cursor, participant=self.participant
                )
                cursor = part["next"]
                message = {
                    "type": "snapshot.part",
                    "ideas": part["ideas"],
                    "comments": part["comments"],
                    "last": cursor is None,
                }
                if "my_votes" in part:
                    message["my_votes"] = part["my_votes"]
                await self.send_json(message)
        finally:
            self.catching_up = False

    async def write(self, message):
        client_id = message.get("client_id")
        client_id = client_id if isinstance(client_id, str) and len(client_id) <= 64 else None
        try:
            ack = await board_db(write_in_language)(
                self.lang,
                event_id=self.event_id,
                participant=self.participant,
                user=self.user,
                message=message,
            )
        except ClientError as exc:
            await self.error(exc.code, exc.detail, client_id)
            return
        except DomainError as exc:
            await self.error(exc.code, exc.message, client_id)
            return
        except ValidationError as exc:
            with translation.override(self.lang):
                detail = _validation_detail(exc)
            await self.error("invalid", detail, client_id)
            return
        except Exception:
            logger.exception("board write failed")
            await self.error("server_error", "Something went wrong; try again.", client_id)
            return
        await self.send_json({"type": "ack", "ref": message["type"], **ack})

    # --- outgoing ---------------------------------------------------------------------

    # --- the room ---------------------------------------------------------------------

    async def _join_room(self) -> bool:
        """Join the room; ``False`` when the channel layer cannot be reached."""
        self.joined = True
        fanout.join(self.group, self)
        if self.channel_layer is None or fanout.is_local(self.channel_layer):
            return True
        return await fanout.subscribe(self.channel_layer, self.group)

    async def _leave_room(self):
        self.joined = False
        fanout.leave(self.group, self)
        if self.channel_layer is not None and not fanout.is_local(self.channel_layer):
            await fanout.unsubscribe(self.channel_layer, self.group)

    async def _degraded(self):
        """No pushes: read the log every second, and rejoin the room when the layer is back.

        The last read after joining closes the window between "joined" and "read": a push
        of that window arrives twice at most, and ``board_event`` drops what it has sent.
        """
        try:
            while not self.closing:
                await asyncio.sleep(DEGRADED_POLL_SECONDS)
                if self.closing:
                    return
                if await layer_is_up(self.channel_layer):
                    self.live = await self._join_room()
                if not await self._catch_up_from_log():
                    return
                if self.live:
                    logger.info("board socket of event %s live again", self.event_id)
                    return
        finally:
            self.degraded_task = None

    async def receive_broadcast(self, message):
        """The in-process fan-out's entry (``ateliers/realtime/fanout.py``)."""
        if message["type"] == "board.event":
            await self.board_event(message)
        elif message["type"] == "board.presence":
            await self.board_presence(message)

    async def board_event(self, message):
        """A logged event from the room: forward its text as is, in seq order, once."""
        if self.closing:
            return
        seq = message["seq"]
        if not self.ready or self.catching_up:  # still catching up: keep it, hello drains it
            self.pending[seq] = message["text"]
            return
        if seq <= self.last_seq:
            return
        if seq == self.last_seq + 1:
            await self.send(text_data=message["text"])
            self.last_seq = seq
            await self._drain()
            return
        self.pending[seq] = message["text"]
        if self.gap_task is None:
            self.gap_task = asyncio.ensure_future(self._fill_gap())

    async def _drain(self):
        while self.last_seq + 1 in self.pending:
            self.last_seq += 1
            await self.send(text_data=self.pending.pop(self.last_seq))
        for seq in [s for s in self.pending if s <= self.last_seq]:
            del self.pending[seq]

    async def _fill_gap(self):
        """A push went missing (or arrived out of order): wait a little, then read the log."""
        try:
            await asyncio.sleep(GAP_WAIT_SECONDS)
            if self.pending and not self.closing:
                await self._catch_up_from_log()
        finally:
            self.gap_task = None

    async def _catch_up_from_log(self) -> bool:
        """Send what the log has after ``last_seq``; ``False`` if the socket was closed."""
        missing = await board_db(board_selectors.board_events_since)(self.event_id, self.last_seq)
        if self.closing:
            return False
        if missing is None:  # too far behind: let the client start afresh
            await self.close_with_error(CLOSE_TOO_SLOW, "too_slow", "Reconnect with since.")
            return False
        for event in missing:
            if event["seq"] == self.last_seq + 1:
                self.pending.pop(event["seq"], None)
                await self.send_json(event)
                self.last_seq = event["seq"]
        await self._drain()
        return True

    async def board_presence(self, message):
        if self.ready:
            await self.send(text_data=message["text"])

    async def layer_overflow(self, message):
        """The layer could not queue more for this socket: the client reconnects with
        ``since`` and catches up from the log (nothing is lost, only delayed)."""
        await self.close_with_error(CLOSE_TOO_SLOW, "too_slow", "Reconnect with since to catch up.")

    # --- presence ---------------------------------------------------------------------

    def _schedule_presence(self):
        """At most one presence broadcast per second per room (not one per connection)."""
        if self.event_id in _presence_scheduled:
            return
        _presence_scheduled.add(self.event_id)
        asyncio.get_running_loop().call_later(
            presence_interval(presence_count(self.event_id)),
            lambda: asyncio.ensure_future(_broadcast_presence(self.channel_layer, self.event_id)),
        )


async def _broadcast_presence(layer, event_id: int) -> None:
    _presence_scheduled.discard(event_id)
    text = json.dumps({"type": "presence", "count": presence_count(event_id)})
    message = {"type": "board.presence", "text": text}
    group = group_name(event_id)
    if fanout.is_local(layer):
        await fanout.deliver(group, message)
        return
    try:
        await layer.group_send(group, message)
    except LAYER_ERRORS as exc:  # Redis down: presence is cosmetic
        logger.warning("presence broadcast failed: %r", exc)


# --- /ws/notifications/: one person's live notifications ---------------------------------


@database_sync_to_async
def _account_from_token(key: str):
    return account_from_token(key)


@database_sync_to_async
def _unread(user_id: int) -> int:
    from .models import Notification

    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


class NotificationConsumer(LimitedConsumer):
    """``/ws/notifications/``: the pushes of one person's ``user_<id>`` group.

    Protocol (docs/protocol.md):

    * client → ``{"type": "hello", "token": "<account token>"}`` first; a browser with a
      session may omit the token. Board guests' tokens are refused (accounts only).
    * server → ``{"type": "welcome", "user": <id>, "unread": <count>}``, then
      ``{"type": "notification.created", "notification": {...}, "unread": <count>}`` live.
    * client → ``{"type": "ping"}`` → ``{"type": "pong"}``.
    * Bad JSON, unknown types, a message before ``hello`` or an oversize message get
      ``{"type": "error", "code": ..., "detail": ...}``; a failed ``hello`` closes with
      4401, no ``hello`` within ``hello_timeout`` seconds with 4408, a flood (more than
      ``RATE_LIMIT`` messages in ``RATE_WINDOW`` seconds, oversize ones included) with 4429.
    """

    MAX_MESSAGE_BYTES = 4096
    RATE_LIMIT = 20
    RATE_WINDOW = 10.0

    hello_timeout = 10.0
    hello_timeout_detail = "No hello received in time."
    count_oversize = True
    flood_strikes = 1
    user_id: int | None = None

    async def connect(self):
        self.max_bytes = self.MAX_MESSAGE_BYTES
        self.limiter = FixedWindow(self.RATE_LIMIT, self.RATE_WINDOW)
        await self.accept()
        self.start_hello_timer()

    async def disconnect(self, code):
        self.closing = True
        self.stop_hello_timer()
        if self.user_id is not None:
            await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)

    async def handle(self, message, raw) -> None:
        if not isinstance(message, dict):
            await self.error("bad_json", self.bad_json_detail)
            return
        kind = message.get("type")
        if kind == "hello":
            await self.hello(message)
        elif not self.ready:
            await self.error("hello_required", "Send a hello message first.")
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.error("unknown_type", "Unknown message type.")

    async def hello(self, message: dict) -> None:
        if self.ready:
            await self.error("already_welcomed", "Hello was already received.")
            return
        token = message.get("token")
        if isinstance(token, str) and token:
            user = await _account_from_token(token[:100])
        else:
            user = session_account(self.scope.get("user"))
        if user is None:
            await self.close_with_error(
                CLOSE_UNAUTHORIZED, "unauthorized", "An account's token or session is required."
            )
            return
        self.user_id = user.pk
        self.ready = True
        self.stop_hello_timer()
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        unread = await _unread(user.pk)
        await self.send_json({"type": "welcome", "user": user.pk, "unread": unread})

    async def notification_created(self, event: dict) -> None:
        await self.send_json(
            {
                "type": "notification.created",
                "notification": event["notification"],
                "unread": event.get("unread"),
            }
        )
