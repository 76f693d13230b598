"""A board too big for one message (issue 14): no WebSocket message and no HTTP body over
256 KiB, and the parts give every visible idea exactly once (CONTRACT.md, "Second round")."""

from __future__ import annotations

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from rest_framework.test import APIClient

from ateliers.models import Comment, Idea
from ateliers.services import board as svc
from tests import factories
from tests.ws.test_board_consumer import _fresh_layer, connect  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT = 256 * 1024


def build_big_board(ideas: int = 1500, comments: int = 2000):
    """About 1.5 MB of ideas and 0.7 MB of comments: past daphne's 1 MiB frame."""
    organizer = factories.make_organizer()
    event = factories.make_event(created_by=organizer)
    themes = [event.themes.create(name_fr=f"Thème {i}") for i in range(4)]
    people = [factories.make_participant(event, f"Invité {i}") for i in range(20)]
    Idea.objects.bulk_create(
        Idea(
            event=event,
            author=people[i % 20],
            theme=themes[i % 4] if i % 5 else None,
            text=f"{i} " + "é" * 990,
            votes=i % 37,
            votes_logged=i % 37,
            pinned=i % 400 == 0,
            client_id=uuid.uuid4(),
        )
        for i in range(ideas)
    )
    pks = list(Idea.objects.filter(event=event).values_list("pk", flat=True))
    Comment.objects.bulk_create(
        Comment(
            idea_id=pks[i % len(pks)],
            participant=people[i % 20],
            text="c" * 350,
            client_id=uuid.uuid4(),
        )
        for i in range(comments)
    )
    for pk in pks[:5]:  # hidden: in no part
        svc.idea_moderate(actor=organizer, idea=Idea.objects.get(pk=pk), action="hide")
    visible = set(
        Idea.objects.filter(event=event).exclude(status="hidden").values_list("pk", flat=True)
    )
    guest = factories.make_participant(event, "Nouvelle")
    return event, visible, svc.participant_token(guest), guest


def test_http_parts_are_bounded_and_give_every_visible_idea_once():
    event, visible, _token, _guest = build_big_board()
    client = APIClient()
    url = f"/api/events/{event.pk}/board/"
    seen, bodies = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) <= LIMIT
        body = response.json()
        seen += [idea["id"] for idea in body["snapshot"]["ideas"]]
        url = body["next"]
        bodies += 1
        assert bodies < 100
    assert bodies > 6
    assert len(seen) == len(set(seen)) and set(seen) == visible


def test_http_since_replay_is_bounded_and_continues_with_next(settings):
    event, _visible, _token, guest = build_big_board(ideas=10, comments=0)
    for i in range(300):
        factories.post_idea(guest, f"{i} " + "x" * 990)
    client = APIClient()
    url, seqs = f"/api/events/{event.pk}/board/?since=0", []
    while url:
        response = client.get(url)
        assert len(response.content) <= LIMIT
        body = response.json()
        seqs += [e["seq"] for e in body["events"]]
        url = body["next"]
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) > 300


async def test_websocket_state_comes_in_bounded_parts_then_live():
    event, visible, token, guest = await sync_to_async(build_big_board)()
    communicator = await connect(event.pk)
    await communicator.send_json_to({"type": "hello", "token": token})
    sizes, seen = [], []
    welcome = None
    while True:
        raw = (await communicator.receive_output(timeout=30))["text"]
        sizes.append(len(raw.encode()))
        message = json.loads(raw)
        if message["type"] == "welcome":
            welcome = message
            assert message["snapshot"]["complete"] is False
            assert message["snapshot"]["counts"]["ideas"] == len(visible)
            seen += [idea["id"] for idea in message["snapshot"]["ideas"]]
        elif message["type"] == "snapshot.part":
            seen += [idea["id"] for idea in message["ideas"]]
            if message["last"]:
                break
    assert max(sizes) <= LIMIT and len(sizes) > 6
    assert len(seen) == len(set(seen)) and set(seen) == visible
    await sync_to_async(factories.post_idea)(guest, "Après les parts")
    while True:
        message = json.loads((await communicator.receive_output(timeout=10))["text"])
        if message["type"] == "idea.created":
            assert message["seq"] == welcome["seq"] + 1
            break
    await communicator.disconnect()
