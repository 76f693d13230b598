"""In-process fan-out of board broadcasts, without a task wake-up per socket.

With the in-process layer every socket lives in this process, so a broadcast can be
handed to each room member directly, in one pass on the event loop: no per-socket queue,
no per-socket task switch. Profiling 300 sockets showed that Channels' per-message
machinery (queue, task, dispatch) cost about as much as daphne's own frame writing.
With Redis (several processes) each process subscribes once per room (``subscribe``)
and hands what arrives to its members the same way.
"""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)

rooms: dict[str, set] = {}


def join(group: str, member) -> None:
    rooms.setdefault(group, set()).add(member)


def leave(group: str, member) -> None:
    members = rooms.get(group)
    if members is not None:
        members.discard(member)
        if not members:
            del rooms[group]


def is_local(layer) -> bool:
    from .layers import LocalChannelLayer

    return isinstance(layer, LocalChannelLayer)


async def deliver(group: str, message: dict) -> None:
    """Hand one serialised message to every member (``member.receive_broadcast``)."""
    for member in list(rooms.get(group, ())):
        try:
            await member.receive_broadcast(message)
        except Exception:
            logger.exception("a socket failed to take a broadcast; it will catch up")


# --- several processes (Redis): one room subscription per process ---------------------

try:  # what a channel layer raises when its server is unreachable
    from redis.exceptions import RedisError

    LAYER_ERRORS: tuple = (OSError, asyncio.TimeoutError, RedisError)
except ImportError:  # pragma: no cover - redis is installed with channels-redis
    LAYER_ERRORS = (OSError, asyncio.TimeoutError)

LISTEN_RETRY_SECONDS = 1.0
_subscriptions: dict[str, tuple[str, asyncio.Task]] = {}
_locks: dict[str, asyncio.Lock] = {}


async def subscribe(layer, group: str) -> bool:
    """Make sure this process listens to ``group`` (one channel, one ``SUBSCRIBE``, one
    task, whatever the number of sockets); ``False`` when the layer cannot be reached.

    Each message that arrives is handed to every member here by ``deliver``, as with the
    in-process layer: no channel, no queue and no task wake-up per socket.
    """
    current = _subscriptions.get(group)
    if current is not None and not current[1].done():
        return True
    lock = _locks.setdefault(group, asyncio.Lock())
    async with lock:  # a connect storm subscribes once
        current = _subscriptions.get(group)
        if current is not None and not current[1].done():
            return True
        try:
            channel = await layer.new_channel()
            await layer.group_add(group, channel)
        except LAYER_ERRORS as exc:
            logger.warning("channel layer unavailable, room %s not subscribed: %r", group, exc)
            return False
        _subscriptions[group] = (channel, asyncio.ensure_future(_listen(layer, group, channel)))
    return True


async def _listen(layer, group: str, channel: str) -> None:
    while True:
        try:
            message = await layer.receive(channel)
        except LAYER_ERRORS as exc:  # Redis went away: its client reconnects; pushes of the
            logger.warning("room %s: receive failed: %r", group, exc)  # outage come as gaps
            await asyncio.sleep(LISTEN_RETRY_SECONDS)
            continue
        await deliver(group, message)


async def unsubscribe(layer, group: str) -> None:
    """Stop listening to ``group`` once its last socket here has left."""
    if rooms.get(group):
        return
    current = _subscriptions.pop(group, None)
    _locks.pop(group, None)
    if current is None:
        return
    channel, task = current
    task.cancel()
    try:
        await layer.group_discard(group, channel)
    except LAYER_ERRORS as exc:  # Redis down: the membership expires on its own
        logger.warning("room %s: could not leave: %r", group, exc)
