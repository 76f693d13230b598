"""The board's transport: log a change, push it to the room after commit, flush later.

Services keep the rules (who may write what, when); this module keeps the plumbing they
share (docs/architecture.md, "The realtime layer"):

* ``send_board_event_on_commit``: append one ``BoardEvent`` with ``seq = last + 1`` inside
  the writer's transaction and push it to the room after commit (Zulip's
  ``send_event_on_commit``), plus its webhook delivery;
* ``broadcast``: hand one serialised message to the room from the writing thread without
  waiting for the fan-out (the server's event loop does it);
* ``flush_soon``: run a coalesced flush (vote tallies, poll results) once per window and
  room on the server's event loop, or at once without one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import weakref
from collections.abc import Callable
from contextvars import Context
from functools import partial

from asgiref.sync import SyncToAsync, async_to_sync
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Max

from ..models import BoardEvent
from ..outbound import publish as emit_webhook
from ..selectors.board import dumps
from . import fanout

logger = logging.getLogger(__name__)


def group_name(event_id: int) -> str:
    """The room of one event's board (channel-layer group and in-process fan-out)."""
    return f"event_{event_id}"


def send_board_event_on_commit(*, event_id: int, type: str, payload: dict) -> BoardEvent:
    """Append one logged change and push it to the room once the transaction commits.

    Must run inside the writer's transaction, after it took the event's row lock
    (``ateliers.services.board.lock_board``): the lock is what makes ``seq`` gapless.
    A push lost after commit is caught up by ``seq`` (clients and consumers read the log).
    """
    last = BoardEvent.objects.filter(event_id=event_id).aggregate(m=Max("seq"))["m"] or 0
    row = BoardEvent.objects.create(event_id=event_id, seq=last + 1, type=type, payload=payload)
    transaction.on_commit(partial(broadcast, event_id, row.as_message()))
    emit_webhook(f"board.{type}", {"event": event_id, **row.as_message()}, event_id=event_id)
    return row


def broadcast(event_id: int, message: dict) -> None:
    """Send one logged event to the room, serialised once. A lost push is caught up by seq."""
    layer = get_channel_layer()
    if layer is None:
        return
    text = dumps(message)
    envelope = {"type": "board.event", "seq": message["seq"], "text": text}
    loop = server_loop()
    if loop is not None:
        # Fire and forget on the server's loop: the writing thread (the one database
        # thread) must not wait for a fan-out to 1,000 sockets before the next write.
        # Order is kept (FIFO callbacks); consumers re-order by seq in any case.
        loop.call_soon_threadsafe(
            _group_send_soon, layer, group_name(event_id), envelope, context=Context()
        )
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:  # called synchronously from async code (a test harness): no loop to hop to
        logger.debug("no server loop for the push of %s#%s", event_id, message["seq"])
        return
    try:
        async_to_sync(layer.group_send)(group_name(event_id), envelope)
    except Exception:
        logger.exception("broadcast of %s#%s failed; clients will catch up", event_id, message)


_pending_sends: set = set()


def _group_send_soon(layer, group: str, envelope: dict) -> None:
    if fanout.is_local(layer):
        task = asyncio.ensure_future(fanout.deliver(group, envelope))
    else:
        task = asyncio.ensure_future(layer.group_send(group, envelope))
    _pending_sends.add(task)
    task.add_done_callback(_sent)


def _sent(task) -> None:
    _pending_sends.discard(task)
    if not task.cancelled() and task.exception() is not None:
        logger.error("a board push failed; clients will catch up", exc_info=task.exception())


def server_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop of the ASGI server when called from its sync worker thread."""
    loop = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    same_process = getattr(SyncToAsync.threadlocal, "main_event_loop_pid", None) == os.getpid()
    if loop is None or not same_process or not loop.is_running() or loop.is_closed():
        return None
    return loop


# --- coalesced flushes (vote tallies, poll results) -------------------------------------

_armed: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def flush_soon(flush: Callable[..., object], event_id: int) -> None:
    """Run ``flush(event_id=event_id)`` in ``VOTE_COALESCE_SECONDS``, once per window,
    flush and room, on the server's event loop; without a loop (a command, a plain test)
    or with no delay, at once.

    ``flush`` must be idempotent and keep its "what moved" state in the database, so a
    process that dies before its timer loses nothing (the next flush logs it).
    """
    delay = float(settings.LIVINGLAB["VOTE_COALESCE_SECONDS"])
    loop = server_loop()
    if delay <= 0 or loop is None:
        flush(event_id=event_id)
        return
    # A fresh context: the caller's says "inside a sync thread", which would make the
    # flush's database_sync_to_async refuse to run (asgiref's deadlock guard).
    loop.call_soon_threadsafe(_arm, loop, flush, event_id, delay, context=Context())


def _arm(loop: asyncio.AbstractEventLoop, flush, event_id: int, delay: float) -> None:
    armed = _armed.setdefault(loop, set())
    key = (flush, event_id)
    if key in armed:
        return
    armed.add(key)
    loop.create_task(_flush_later(armed, key, delay))


async def _flush_later(armed: set, key: tuple, delay: float) -> None:
    flush, event_id = key
    await asyncio.sleep(delay)
    armed.discard(key)
    try:
        await database_sync_to_async(flush)(event_id=event_id)
    except Exception:
        logger.exception("%s for event %s failed; the next one logs it", flush.__name__, event_id)
