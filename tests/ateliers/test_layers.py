"""The in-process channel layer: O(members) group sends, no silent drop, no leak."""

from __future__ import annotations

import asyncio

import pytest
from channels.exceptions import ChannelFull

from ateliers.realtime.layers import LocalChannelLayer


async def test_group_send_reaches_every_member_with_one_shared_message():
    layer = LocalChannelLayer()
    names = [await layer.new_channel() for _ in range(50)]
    for name in names:
        await layer.group_add("event_1", name)
    message = {"type": "board.event", "seq": 1, "text": "{}"}
    await layer.group_send("event_1", message)
    received = [await layer.receive(name) for name in names]
    assert all(m is message for m in received)  # serialised once, shared, not copied


async def test_group_send_touches_only_the_groups_members(monkeypatch):
    layer = LocalChannelLayer()
    for _ in range(500):  # other rooms' sockets
        await layer.group_add("event_2", await layer.new_channel())
    members = [await layer.new_channel() for _ in range(3)]
    for name in members:
        await layer.group_add("event_1", name)
    touched = []
    original = layer._deliver
    monkeypatch.setattr(
        layer, "_deliver", lambda name, *a: touched.append(name) or original(name, *a)
    )
    await layer.group_send("event_1", {"type": "x"})
    assert sorted(touched) == sorted(members)


async def test_waiting_reader_gets_the_message():
    layer = LocalChannelLayer()
    name = await layer.new_channel()
    await layer.group_add("g", name)
    reader = asyncio.ensure_future(layer.receive(name))
    await asyncio.sleep(0)
    await layer.group_send("g", {"type": "hello"})
    assert (await asyncio.wait_for(reader, 1))["type"] == "hello"


async def test_overflow_is_never_silent():
    layer = LocalChannelLayer(capacity=3)
    slow, fast = await layer.new_channel(), await layer.new_channel()
    for name in (slow, fast):
        await layer.group_add("g", name)
    for i in range(5):
        await layer.group_send("g", {"type": "m", "i": i})
        await layer.receive(fast)  # the fast reader keeps up
    got = [await layer.receive(slow) for _ in range(4)]
    assert [m.get("i") for m in got[:3]] == [0, 1, 2]
    assert got[3] == {"type": "layer.overflow"}  # told, and out of the group
    assert layer.group_size("g") == 1
    await layer.group_send("g", {"type": "m", "i": 9})
    assert (await layer.receive(fast))["i"] == 9


async def test_direct_send_to_full_channel_raises():
    layer = LocalChannelLayer(capacity=1)
    name = await layer.new_channel()
    await layer.send(name, {"type": "a"})
    with pytest.raises(ChannelFull):
        await layer.send(name, {"type": "b"})


async def test_expired_messages_are_skipped(monkeypatch):
    layer = LocalChannelLayer(expiry=10)
    name = await layer.new_channel()
    await layer.send(name, {"type": "old"})
    clock = [1e9]
    monkeypatch.setattr("ateliers.realtime.layers.time.monotonic", lambda: clock[0])
    await layer.send(name, {"type": "new"})
    assert (await layer.receive(name))["type"] == "new"


async def test_closed_sockets_leave_nothing_behind():
    layer = LocalChannelLayer()
    for _ in range(20):
        name = await layer.new_channel()
        await layer.group_add("g", name)
        reader = asyncio.ensure_future(layer.receive(name))
        await asyncio.sleep(0)
        await layer.group_discard("g", name)  # disconnect while a read is pending
        reader.cancel()
        with pytest.raises(asyncio.CancelledError):
            await reader
    never_joined = await layer.new_channel()
    reader = asyncio.ensure_future(layer.receive(never_joined))
    await asyncio.sleep(0)
    reader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert layer.channels == {} and layer.groups == {} and layer.memberships == {}


async def test_queued_messages_survive_leaving_the_group():
    layer = LocalChannelLayer()
    name = await layer.new_channel()
    await layer.group_add("g", name)
    await layer.group_send("g", {"type": "kept"})
    await layer.group_discard("g", name)
    assert (await layer.receive(name))["type"] == "kept"
