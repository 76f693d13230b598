"""Redis unreachable, in-process (fast, both passes): the cache answers as an empty cache and
the board socket opens degraded, reading the log instead of receiving pushes."""

from __future__ import annotations

import logging
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from ateliers import consumers
from ateliers.routing import websocket_urlpatterns
from ateliers.services import board as svc
from livinglab.cache import TolerantRedisCache
from tests import factories
from tests.live import free_port

DEAD_REDIS = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


def test_cache_without_redis_is_an_empty_cache_not_an_error(caplog):
    cache = TolerantRedisCache(DEAD_REDIS, {"OPTIONS": OPTIONS})
    with caplog.at_level(logging.ERROR, logger="livinglab.cache"):
        assert cache.get("throttle_join_1.2.3.4", []) == []
        cache.set("k", "v", 30)
        assert cache.add("k", "v") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.has_key("k") is False
        with pytest.raises(ValueError):
            cache.incr("counter")
    assert "Redis cache unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
async def test_board_socket_opens_degraded_and_reads_the_log(settings, monkeypatch):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [{"address": DEAD_REDIS, **OPTIONS}]},
        }
    }
    monkeypatch.setattr(consumers, "DEGRADED_POLL_SECONDS", 0.1)
    from channels.layers import channel_layers

    channel_layers.backends.clear()

    @sync_to_async
    def setup():
        event = factories.make_event(created_by=factories.make_organizer())
        guest = factories.make_participant(event, "Aminata")
        return event, guest, svc.participant_token(guest)

    @sync_to_async
    def post(guest, text):
        return svc.idea_post(participant=guest, text=text, client_id=uuid.uuid4())[0]

    event, guest, token = await setup()
    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/events/{event.pk}/board/"
    )
    connected, _ = await communicator.connect()
    assert connected  # Channels alone fails the handshake here (new_channel raises)
    try:
        await communicator.send_json_to({"type": "hello", "token": token})
        welcome = await communicator.receive_json_from(timeout=5)
        assert welcome["type"] == "welcome"
        error = await communicator.receive_json_from(timeout=5)
        assert error["code"] == "live_unavailable"
        start = welcome["seq"]
        ideas = [await post(guest, f"sans Redis {i}") for i in range(2)]
        received = []
        while len(received) < 2:
            message = await communicator.receive_json_from(timeout=5)
            if message["type"] == "idea.created":
                received.append(message)
        assert [m["seq"] for m in received] == [start + 1, start + 2]
        assert [m["idea"]["id"] for m in received] == [idea.pk for idea in ideas]
        # A write over the degraded socket is acknowledged.
        await communicator.send_json_to(
            {"type": "idea.create", "client_id": str(uuid.uuid4()), "text": "par la socket"}
        )
        while (message := await communicator.receive_json_from(timeout=5))["type"] != "ack":
            pass
        assert message["created"] is True and message["seq"] == start + 3
    finally:
        await communicator.disconnect()
        channel_layers.backends.clear()
