"""An in-process channel layer whose group sends cost O(members).

Channels' ``InMemoryChannelLayer`` scans every channel of the process for expired
messages on each send and deep-copies the message once per member; with 1,000 sockets
in a room one broadcast costs ~170 ms and, past ``capacity=100`` queued messages, it
drops silently. This layer keeps the channel-layer API (so Redis can replace it with no
code change) and:

* sends to a group in one pass over its members, sharing one message object (messages
  are treated as read-only by every consumer here);
* expires messages lazily, per channel, when that channel is read;
* never drops silently: a channel whose queue is full is removed from its groups and
  told so with a ``layer.overflow`` message, so its consumer can close and the client
  reconnect and catch up from the board log.
"""

from __future__ import annotations

import asyncio
import logging
import random
import string
import time
from collections import deque

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer

logger = logging.getLogger(__name__)


class _Channel:
    __slots__ = ("overflowed", "queue", "waiters")

    def __init__(self) -> None:
        self.queue: deque[tuple[float, dict]] = deque()
        self.waiters: deque[asyncio.Future] = deque()
        self.overflowed = False


class LocalChannelLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]

    def __init__(self, expiry: int = 60, capacity: int = 10_000, **kwargs) -> None:
        super().__init__(expiry=expiry, capacity=capacity, **kwargs)
        self.channels: dict[str, _Channel] = {}
        self.groups: dict[str, set[str]] = {}
        self.memberships: dict[str, set[str]] = {}

    async def new_channel(self, prefix: str = "specific.") -> str:
        suffix = "".join(random.choices(string.ascii_letters, k=12))
        name = f"{prefix}.local!{suffix}"
        self.channels[name] = _Channel()
        return name

    def _deliver(self, name: str, message: dict, expires: float) -> bool:
        channel = self.channels.get(name)
        if channel is None:
            channel = self.channels[name] = _Channel()
        while channel.waiters:
            waiter = channel.waiters.popleft()
            if not waiter.done():
                waiter.set_result(message)
                return True
        if len(channel.queue) >= self.get_capacity(name):
            if not channel.overflowed:
                channel.overflowed = True
                logger.warning("channel %s is full; removing it from its groups", name)
                self._remove_from_groups(name)
                channel.queue.append((float("inf"), {"type": "layer.overflow"}))
            return False
        channel.queue.append((expires, message))
        return True

    async def send(self, channel: str, message: dict) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_channel_name(channel)
        if not self._deliver(channel, message, time.monotonic() + self.expiry):
            raise ChannelFull(channel)

    async def receive(self, channel: str) -> dict:
        self.require_valid_channel_name(channel)
        state = self.channels.get(channel)
        if state is None:
            state = self.channels[channel] = _Channel()
        now = time.monotonic()
        while state.queue:
            expires, message = state.queue.popleft()
            if expires >= now:
                return message
            logger.warning("message for %s expired unread after %ss", channel, self.expiry)
        waiter = asyncio.get_running_loop().create_future()
        state.waiters.append(waiter)
        try:
            return await waiter
        finally:
            if waiter in state.waiters:
                state.waiters.remove(waiter)
            self._forget_if_idle(channel)

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        self.groups.setdefault(group, set()).add(channel)
        self.memberships.setdefault(channel, set()).add(group)
        self.channels.setdefault(channel, _Channel())

    async def group_discard(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        members = self.groups.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del self.groups[group]
        groups = self.memberships.get(channel)
        if groups is not None:
            groups.discard(group)
            if not groups:
                del self.memberships[channel]
        self._forget_if_idle(channel)

    def _forget_if_idle(self, channel: str) -> None:
        """Drop the state of a channel that is in no group and holds nothing.

        Called when a reader stops waiting (its consumer ended) and when a channel leaves
        its last group, so closed sockets leave nothing behind; a live reader that comes
        back simply gets a fresh, empty state. Queued messages are never dropped here.
        """
        state = self.channels.get(channel)
        if (
            state is not None
            and channel not in self.memberships
            and not state.waiters
            and not state.queue
        ):
            del self.channels[channel]

    async def group_send(self, group: str, message: dict) -> None:
        assert isinstance(message, dict), "message is not a dict"
        self.require_valid_group_name(group)
        expires = time.monotonic() + self.expiry
        for name in list(self.groups.get(group, ())):
            self._deliver(name, message, expires)

    def group_size(self, group: str) -> int:
        return len(self.groups.get(group, ()))

    def _remove_from_groups(self, channel: str) -> None:
        for group in self.memberships.pop(channel, set()):
            members = self.groups.get(group)
            if members is not None:
                members.discard(channel)
                if not members:
                    del self.groups[group]

    async def flush(self) -> None:
        self.channels.clear()
        self.groups.clear()
        self.memberships.clear()

    async def close(self) -> None:
        pass
