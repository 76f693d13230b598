"""The consumer's ordering rules, driven directly: once, in seq order, nothing dropped."""

from __future__ import annotations

import json

from ateliers.consumers import BoardConsumer


def make_consumer(last_seq=0, ready=True):
    consumer = BoardConsumer()
    consumer.ready = ready
    consumer.closing = False
    consumer.last_seq = last_seq
    consumer.pending = {}
    consumer.gap_task = None
    consumer.sent = []

    async def send(text_data=None, bytes_data=None, close=False):
        consumer.sent.append(json.loads(text_data)["seq"])

    consumer.send = send
    return consumer


def push(seq):
    return {"type": "board.event", "seq": seq, "text": json.dumps({"type": "x", "seq": seq})}


async def test_repeats_and_old_pushes_are_dropped():
    consumer = make_consumer(last_seq=5)
    for seq in (4, 5, 6, 6, 7):
        await consumer.board_event(push(seq))
    assert consumer.sent == [6, 7]


async def test_early_pushes_wait_for_the_missing_one():
    consumer = make_consumer(last_seq=1)
    await consumer.board_event(push(3))
    await consumer.board_event(push(4))
    assert consumer.sent == []
    await consumer.board_event(push(2))
    assert consumer.sent == [2, 3, 4]
    consumer.gap_task.cancel()


async def test_pushes_during_catch_up_are_kept_then_drained():
    consumer = make_consumer(ready=False)
    for seq in (9, 10, 11):  # arrive while hello reads the log up to 10
        await consumer.board_event(push(seq))
    assert consumer.sent == []
    consumer.ready = True
    consumer.last_seq = 10  # what the welcome and the replay covered
    await consumer._drain()
    assert consumer.sent == [11] and consumer.pending == {}
