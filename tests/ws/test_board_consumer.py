"""The board protocol with ``WebsocketCommunicator`` (fast cases; real sockets: test_live)."""

from __future__ import annotations

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from ateliers.models import Idea
from ateliers.routing import websocket_urlpatterns
from ateliers.services import board as svc
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

app = URLRouter(websocket_urlpatterns)


@pytest.fixture(autouse=True)
def _fresh_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "ateliers.realtime.layers.LocalChannelLayer"}}
    settings.LIVINGLAB = {**settings.LIVINGLAB, "VOTE_COALESCE_SECONDS": 0.05}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


async def connect(event_id: int) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(app, f"/ws/events/{event_id}/board/")
    connected, _ = await communicator.connect()
    assert connected
    return communicator


async def hello(event_id: int, token=None, since=None) -> tuple[WebsocketCommunicator, dict]:
    communicator = await connect(event_id)
    message = {"type": "hello", "token": token}
    if since is not None:
        message["since"] = since
    await communicator.send_json_to(message)
    welcome = await communicator.receive_json_from(timeout=5)
    return communicator, welcome


@sync_to_async
def setup_board():
    organizer = factories.make_organizer()
    event = factories.make_event(created_by=organizer)
    guest = factories.make_participant(event, "Aminata")
    return event, guest, svc.participant_token(guest), organizer


async def receive_until(communicator, predicate, limit=20):
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        if predicate(message):
            return message
    raise AssertionError("message never came")


async def test_hello_welcome_with_snapshot_then_post_ack_and_broadcast():
    event, guest, token, _organizer = await setup_board()
    writer, welcome = await hello(event.pk, token)
    reader, _ = await hello(event.pk, token)
    assert welcome["type"] == "welcome"
    assert welcome["participant"] == {"id": guest.pk, "display_name": "Aminata"}
    assert welcome["seq"] == 0 and welcome["snapshot"]["ideas"] == []
    assert welcome["presence"] >= 1
    cid = str(uuid.uuid4())
    await writer.send_json_to({"type": "idea.create", "client_id": cid, "text": "<b>Rampe</b>"})
    ack = await receive_until(writer, lambda m: m["type"] == "ack")
    assert ack["client_id"] == cid and ack["seq"] == 1 and ack["created"] is True
    created = await receive_until(reader, lambda m: m["type"] == "idea.created")
    assert created["seq"] == 1 and created["idea"]["text"] == "<b>Rampe</b>"
    # the retry: same ack, nothing new
    await writer.send_json_to({"type": "idea.create", "client_id": cid, "text": "<b>Rampe</b>"})
    again = await receive_until(writer, lambda m: m["type"] == "ack")
    assert (
        again["seq"] == 1 and again["created"] is False and again["idea"]["id"] == ack["idea"]["id"]
    )
    assert await sync_to_async(Idea.objects.count)() == 1
    await writer.disconnect()
    await reader.disconnect()


async def test_votes_are_coalesced_into_one_tally_event():
    event, guest, _token, _organizer = await setup_board()
    idea = await sync_to_async(factories.post_idea)(guest)
    voters = [await sync_to_async(factories.make_participant)(event, f"V{i}") for i in range(3)]
    sockets = []
    for voter in voters:
        communicator, _ = await hello(event.pk, await sync_to_async(svc.participant_token)(voter))
        sockets.append(communicator)
    for communicator in sockets:
        await communicator.send_json_to({"type": "vote", "idea": idea.pk, "value": 1})
    for communicator in sockets:
        ack = await receive_until(communicator, lambda m: m["type"] == "ack")
        assert ack["ref"] == "vote" and ack["seq"] is None
    tally = await receive_until(sockets[0], lambda m: m["type"] == "votes.changed")
    assert tally["votes"][-1] == {"idea": idea.pk, "votes": tally["votes"][-1]["votes"]}
    final = tally
    while final["votes"][-1]["votes"] < 3:
        final = await receive_until(sockets[0], lambda m: m["type"] == "votes.changed")
    assert final["seq"] <= 4  # at most one event per flush window, not one per vote
    for communicator in sockets:
        await communicator.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('{"type": "dance"}', "unknown_type"),
        ('{"type": "vote", "idea": "x", "value": 1}', "bad_message"),
        ('{"type": "vote", "idea": 999999, "value": 1}', "not_found"),
        ('{"type": "idea.create", "text": "x"}', "bad_message"),
        (  # a fixed client_id: the test ids must be the same in every pytest-xdist worker
            json.dumps(
                {
                    "type": "idea.create",
                    "client_id": "4f0c2a9e-6b1d-4c3a-9d2e-1a2b3c4d5e6f",
                    "text": "",
                }
            ),
            "invalid",
        ),
        ('{"type": "moderate", "idea": 999999, "action": "hide"}', "not_found"),
    ],
)
async def test_bad_messages_get_an_error_and_the_socket_stays(raw, code):
    event, _guest, token, _organizer = await setup_board()
    communicator, _ = await hello(event.pk, token)
    await communicator.send_to(text_data=raw)
    error = await communicator.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == code
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "pong"
    await communicator.disconnect()


async def test_too_large_message(settings):
    event, _guest, token, _organizer = await setup_board()
    communicator, _ = await hello(event.pk, token)
    await communicator.send_to(text_data=json.dumps({"type": "ping", "pad": "é" * 20_000}))
    error = await communicator.receive_json_from(timeout=5)
    assert error["code"] == "too_large"
    await communicator.disconnect()


async def test_first_message_must_be_hello():
    event, _guest, _token, _organizer = await setup_board()
    communicator = await connect(event.pk)
    await communicator.send_json_to({"type": "vote", "idea": 1, "value": 1})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "hello_required"
    await communicator.disconnect()


async def test_bad_token_and_token_of_another_event_are_closed():
    event, _guest, _token, _organizer = await setup_board()
    _other_event, _other_guest, other_token, _ = await setup_board()
    communicator = await connect(event.pk)
    await communicator.send_json_to({"type": "hello", "token": other_token})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "wrong_event"
    assert (await communicator.receive_output(timeout=5))["code"] == 4403
    communicator = await connect(event.pk)
    await communicator.send_json_to({"type": "hello", "token": "forged"})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "bad_token"
    assert (await communicator.receive_output(timeout=5))["code"] == 4401


async def test_draft_or_missing_event_is_closed():
    await setup_board()
    communicator = await connect(987654)
    await communicator.send_json_to({"type": "hello"})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "no_event"
    assert (await communicator.receive_output(timeout=5))["code"] == 4404


async def test_anonymous_viewer_reads_but_cannot_write():
    event, _guest, _token, _organizer = await setup_board()
    communicator, welcome = await hello(event.pk)
    assert welcome["participant"] is None and welcome["can_moderate"] is False
    await communicator.send_json_to(
        {"type": "idea.create", "client_id": str(uuid.uuid4()), "text": "x"}
    )
    assert (await communicator.receive_json_from(timeout=5))["code"] == "unauthorized"
    await communicator.disconnect()


async def test_guest_cannot_moderate_and_organizer_can():
    event, guest, token, organizer = await setup_board()
    idea = await sync_to_async(factories.post_idea)(guest)
    communicator, _ = await hello(event.pk, token)
    await communicator.send_json_to({"type": "moderate", "idea": idea.pk, "action": "hide"})
    assert (await communicator.receive_json_from(timeout=5))["code"] == "forbidden"
    from rest_framework.authtoken.models import Token

    key = (await sync_to_async(Token.objects.create)(user=organizer)).key
    orga, welcome = await hello(event.pk, key)
    assert welcome["can_moderate"] is True
    await orga.send_json_to({"type": "moderate", "idea": idea.pk, "action": "hide"})
    ack = await receive_until(orga, lambda m: m["type"] == "ack")
    assert ack["idea"]["status"] == "hidden" and ack["idea"]["text"] == ""
    hidden = await receive_until(communicator, lambda m: m["type"] == "idea.updated")
    assert hidden["idea"]["status"] == "hidden"
    await orga.send_json_to({"type": "board.lock", "locked": True})
    await receive_until(orga, lambda m: m["type"] == "ack")
    await communicator.send_json_to(
        {"type": "idea.create", "client_id": str(uuid.uuid4()), "text": "x"}
    )
    error = await receive_until(communicator, lambda m: m["type"] == "error")
    assert error["code"] == "board_locked"
    await communicator.disconnect()
    await orga.disconnect()


async def test_reconnect_with_since_replays_exactly_the_missed_events():
    event, guest, token, _organizer = await setup_board()
    for i in range(3):
        await sync_to_async(factories.post_idea)(guest, f"avant {i}")
    communicator, welcome = await hello(event.pk, token, since=1)
    assert welcome["seq"] == 3 and welcome["snapshot"] is None
    replay = [await communicator.receive_json_from(timeout=5) for _ in range(2)]
    assert [m["seq"] for m in replay] == [2, 3]
    await communicator.disconnect()


async def test_flood_is_rate_limited(settings):
    settings.LIVINGLAB = {**settings.LIVINGLAB, "WS_RATE_PER_SECOND": 1, "WS_RATE_BURST": 3}
    event, _guest, token, _organizer = await setup_board()
    communicator, _ = await hello(event.pk, token)
    for _ in range(10):
        await communicator.send_json_to({"type": "ping"})
    await communicator.send_json_to({"type": "dance"})  # a marker: refused as well
    answers = []
    while not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] != "presence":
            answers.append(message.get("code", message["type"]))
    assert answers.count("pong") in (2, 3)  # hello took one token of three (+ refill)
    assert answers.count("rate_limited") == 1  # said once, not once per message
    assert "unknown_type" not in answers
    await communicator.disconnect()


async def test_gap_in_pushes_is_filled_from_the_log():
    """A push lost between commit and send: the consumer reads the missing seq."""
    event, guest, token, _organizer = await setup_board()
    communicator, _welcome = await hello(event.pk, token)
    from ateliers.realtime import fanout

    room = dict(fanout.rooms)
    fanout.rooms.clear()  # the push for seq 1 goes nowhere
    await sync_to_async(factories.post_idea)(guest, "perdue")
    fanout.rooms.update(room)
    idea2 = await sync_to_async(factories.post_idea)(guest, "suivante")
    first = await communicator.receive_json_from(timeout=5)
    second = await communicator.receive_json_from(timeout=5)
    assert [first["seq"], second["seq"]] == [1, 2]
    assert second["idea"]["id"] == idea2.pk
    await communicator.disconnect()


async def test_through_a_channel_layer_as_with_redis(settings):
    """Several processes: broadcasts go through the layer's groups, not the local fan-out."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    event, _guest, token, _organizer = await setup_board()
    reader, _ = await hello(event.pk, token)
    writer, _ = await hello(event.pk, token)
    await writer.send_json_to({"type": "idea.create", "client_id": str(uuid.uuid4()), "text": "x"})
    created = await receive_until(reader, lambda m: m["type"] == "idea.created")
    assert created["seq"] == 1
    await reader.disconnect()
    await writer.disconnect()


async def test_hello_since_before_a_hidden_idea_replays_no_trace_of_it():
    """Hidden is gone: a hello with a ``since`` older than the idea itself."""
    event, guest, token, organizer = await setup_board()

    @sync_to_async
    def post_and_hide():
        idea = factories.post_idea(guest, "Secret du tableau")
        svc.comment_post(
            participant=guest, idea=idea, text="Commentaire secret", client_id=uuid.uuid4()
        )
        svc.idea_moderate(actor=organizer, idea=idea, action="hide")

    await post_and_hide()
    for since in (None, 0, 1):
        communicator, welcome = await hello(event.pk, token, since=since)
        received = [welcome]
        await communicator.send_json_to({"type": "ping"})
        while received[-1]["type"] != "pong":
            received.append(await communicator.receive_json_from(timeout=5))
        text = json.dumps(received, ensure_ascii=False)
        assert "Secret du tableau" not in text and "Commentaire secret" not in text
        assert "Aminata" not in text.replace('"display_name": "Aminata"', "")
        await communicator.disconnect()
