"""Live notifications over ``/ws/notifications/`` with the Channels communicator."""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.authtoken.models import Token

from livinglab.asgi import application
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


async def _connect():
    communicator = WebsocketCommunicator(
        application, "/ws/notifications/", headers=[(b"origin", b"http://127.0.0.1")]
    )
    connected, _ = await communicator.connect()
    assert connected
    return communicator


@database_sync_to_async
def _setup():
    org = factories.make_org("Centre")
    member = factories.make_member(org, "membre")
    expert = factories.make_expert("expertise", skills=["accessibility"])
    request = factories.make_help_request(org, skills=["accessibility"])
    token = Token.objects.create(user=member).key
    return member, expert, request, token


@database_sync_to_async
def _claim(expert, request):
    from ateliers.services.help import help_request_claim

    help_request_claim(actor=expert, help_request=request)


async def test_hello_then_live_notification_of_a_claim():
    member, expert, request, token = await _setup()
    ws = await _connect()
    try:
        await ws.send_to(text_data=json.dumps({"type": "ping"}))
        assert (await ws.receive_json_from())["code"] == "hello_required"
        await ws.send_to(text_data=json.dumps({"type": "hello", "token": token}))
        welcome = await ws.receive_json_from()
        assert welcome == {"type": "welcome", "user": member.pk, "unread": 0}
        await _claim(expert, request)
        pushed = await ws.receive_json_from(timeout=5)
        assert pushed["type"] == "notification.created"
        assert pushed["notification"]["kind"] == "help.claimed"
        assert pushed["notification"]["payload"]["help_request"] == request.pk
        assert pushed["unread"] == 1
        assert await ws.receive_nothing(timeout=0.3)  # exactly once
    finally:
        await ws.disconnect()


async def test_others_do_not_receive_it():
    _member, expert, request, _token = await _setup()
    other_token = await database_sync_to_async(
        lambda: Token.objects.create(user=factories.make_user("autre")).key
    )()
    ws = await _connect()
    try:
        await ws.send_to(text_data=json.dumps({"type": "hello", "token": other_token}))
        assert (await ws.receive_json_from())["type"] == "welcome"
        await _claim(expert, request)
        assert await ws.receive_nothing(timeout=0.3)
    finally:
        await ws.disconnect()


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("not json", "bad_json"),
        ("[1, 2]", "bad_json"),
        (json.dumps({"type": "hello", "token": "x" * 10_000}), "too_large"),
    ],
)
async def test_bad_messages_get_errors_not_crashes(payload, code):
    ws = await _connect()
    try:
        await ws.send_to(text_data=payload)
        assert (await ws.receive_json_from())["code"] == code
    finally:
        await ws.disconnect()


async def test_bad_token_is_refused_and_closed():
    ws = await _connect()
    await ws.send_to(text_data=json.dumps({"type": "hello", "token": "nope"}))
    assert (await ws.receive_json_from())["code"] == "unauthorized"
    closed = await ws.receive_output(timeout=2)
    assert closed == {"type": "websocket.close", "code": 4401}
    await ws.disconnect()


async def test_a_flood_is_cut_off():
    ws = await _connect()
    try:
        for _ in range(25):
            await ws.send_to(text_data=json.dumps({"type": "ping"}))
        codes = []
        while True:
            output = await ws.receive_output(timeout=2)
            if output["type"] == "websocket.close":
                assert output["code"] == 4429
                break
            codes.append(json.loads(output["text"])["code"])
        assert codes[-1] == "rate_limited"
    finally:
        await ws.disconnect()


async def test_no_hello_in_time_closes(monkeypatch):
    from ateliers.consumers import NotificationConsumer

    monkeypatch.setattr(NotificationConsumer, "hello_timeout", 0.2)
    ws = await _connect()
    assert (await ws.receive_json_from(timeout=2))["code"] == "hello_timeout"
    assert await ws.receive_output(timeout=2) == {"type": "websocket.close", "code": 4408}
    await ws.disconnect()


async def test_project_news_arrives_live_in_the_followers_language():
    """Projects own their kind and text; the one writer pushes it like a help request's."""

    @database_sync_to_async
    def setup():
        from projets import services

        organizer = factories.make_organizer("coordinatrice")
        follower = factories.make_user("suiveuse", language="en")
        project = factories.make_project(actor=organizer, title_fr="Jardin partagé")
        services.project_follow(actor=follower, project=project)
        return organizer, project, Token.objects.create(user=follower).key

    @database_sync_to_async
    def post_news(author, project):
        from projets import services

        services.project_post_update(actor=author, project=project, text="Semis lundi")

    organizer, project, token = await setup()
    ws = await _connect()
    try:
        await ws.send_to(text_data=json.dumps({"type": "hello", "token": token}))
        assert (await ws.receive_json_from())["type"] == "welcome"
        await post_news(organizer, project)
        pushed = await ws.receive_json_from(timeout=5)
        assert pushed["type"] == "notification.created"
        assert pushed["unread"] == 1
        notification = pushed["notification"]
        assert notification["kind"] == "project.update"
        assert notification["title"] == "News from “Jardin partagé”"  # English: her language
        assert notification["url"] == f"/projects/{project.pk}/"
        assert notification["payload"]["project"] == project.pk
        assert await ws.receive_nothing(timeout=0.3)
    finally:
        await ws.disconnect()


async def test_a_binary_frame_is_read_like_text():
    ws = await _connect()
    try:
        await ws.send_to(bytes_data=b'{"type": "ping"}')
        assert (await ws.receive_json_from())["code"] == "hello_required"
        await ws.send_to(bytes_data=b"\xff\xfe")
        assert (await ws.receive_json_from())["code"] == "bad_json"
    finally:
        await ws.disconnect()
