"""In-process fan-out of board broadcasts, without a task wake-up per socket.

With the in-process layer every socket lives in this process, so a broadcast can be
handed to each room member directly, in one pass on the event loop: no per-socket queue,
no per-socket task switch. Profiling 300 sockets showed that Channels' per-message
machinery (queue, task, dispatch) cost about as much as daphne's own frame writing.
With Redis (several processes) broadcasts go through the channel layer as usual.
"""

from __future__ import annotations

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
