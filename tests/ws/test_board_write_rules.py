"""The socket's writes are read by serializers that share the REST API's text rules
(``ateliers/realtime/messages.py``): what one refuses the other refuses, and the socket
keeps its protocol's codes (docs/protocol.md) for each kind of bad field."""

from __future__ import annotations

import json
import uuid

import pytest
from asgiref.sync import sync_to_async
from rest_framework.test import APIClient

from ateliers.models import Comment, Idea
from ateliers.models.board import COMMENT_MAX_LENGTH, IDEA_MAX_LENGTH
from ateliers.services import board as svc
from tests import factories
from tests.ws.test_board_consumer import _fresh_layer, hello, receive_until  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def _board():
    organizer = factories.make_organizer()
    event = factories.make_event(created_by=organizer)
    other = factories.make_event(created_by=organizer)
    guest = factories.make_participant(event, "Aminata")
    idea = factories.post_idea(guest, "Des rampes")
    theme = event.themes.create(name_fr="Accès")
    foreign_theme = other.themes.create(name_fr="Ailleurs")
    return {
        "event": event,
        "guest": guest,
        "token": svc.participant_token(guest),
        "idea": idea,
        "theme": theme,
        "foreign_theme": foreign_theme,
        "foreign_idea": factories.post_idea(factories.make_participant(other, "Léa"), "Autre"),
    }


def _cid() -> str:
    return str(uuid.uuid4())


# (name, message builder, code): the code each bad field gets on the socket
CASES = [
    (
        "text_number",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": 5},
        "bad_message",
    ),
    (
        "text_null",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": None},
        "bad_message",
    ),
    (
        "text_blank",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": "   "},
        "invalid",
    ),
    (
        "text_too_long",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": "a" * (IDEA_MAX_LENGTH + 1)},
        "invalid",
    ),
    (
        "text_nul",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": "a\x00b"},
        "invalid",
    ),
    (
        "client_id_number",
        lambda b: {"type": "idea.create", "client_id": 5, "text": "x"},
        "bad_message",
    ),
    (
        "client_id_not_uuid",
        lambda b: {"type": "idea.create", "client_id": "x", "text": "x"},
        "bad_message",
    ),
    (
        "theme_as_string",
        lambda b: {
            "type": "idea.create",
            "client_id": _cid(),
            "text": "x",
            "theme": str(b["theme"].pk),
        },
        "bad_message",
    ),
    (
        "theme_of_another_board",
        lambda b: {
            "type": "idea.create",
            "client_id": _cid(),
            "text": "x",
            "theme": b["foreign_theme"].pk,
        },
        "invalid",
    ),
    (
        "client_id_checked_before_theme",
        lambda b: {"type": "idea.create", "text": "x", "theme": b["foreign_theme"].pk},
        "bad_message",
    ),
    (
        "theme_checked_before_text",
        lambda b: {"type": "idea.create", "client_id": _cid(), "text": 5, "theme": 10**6},
        "invalid",
    ),
    ("vote_two", lambda b: {"type": "vote", "idea": b["idea"].pk, "value": 2}, "bad_message"),
    ("vote_string", lambda b: {"type": "vote", "idea": b["idea"].pk, "value": "1"}, "bad_message"),
    ("vote_bool_idea", lambda b: {"type": "vote", "idea": True, "value": 1}, "bad_message"),
    ("vote_huge_idea", lambda b: {"type": "vote", "idea": 2**70, "value": 1}, "not_found"),
    ("vote_zero_idea", lambda b: {"type": "vote", "idea": 0, "value": 1}, "not_found"),
    (
        "vote_idea_elsewhere",
        lambda b: {"type": "vote", "idea": b["foreign_idea"].pk, "value": 1},
        "not_found",
    ),
    ("edit_no_idea", lambda b: {"type": "idea.edit", "text": "x"}, "bad_message"),
    ("edit_blank", lambda b: {"type": "idea.edit", "idea": b["idea"].pk, "text": ""}, "invalid"),
    (
        "comment_too_long",
        lambda b: {
            "type": "comment.create",
            "client_id": _cid(),
            "idea": b["idea"].pk,
            "text": "a" * (COMMENT_MAX_LENGTH + 1),
        },
        "invalid",
    ),
    (
        "comment_idea_elsewhere",
        lambda b: {
            "type": "comment.create",
            "client_id": _cid(),
            "idea": b["foreign_idea"].pk,
            "text": "x",
        },
        "not_found",
    ),
    (
        "moderate_bad_action_by_a_guest",
        lambda b: {"type": "moderate", "idea": b["idea"].pk, "action": "dance"},
        "forbidden",
    ),
    (
        "moderate_action_number",
        lambda b: {"type": "moderate", "idea": b["idea"].pk, "action": 5},
        "bad_message",
    ),
    ("lock_string", lambda b: {"type": "board.lock", "locked": "true"}, "bad_message"),
]


@pytest.mark.parametrize(("name", "build", "code"), CASES, ids=[c[0] for c in CASES])
async def test_each_bad_field_gets_its_code_and_nothing_is_written(name, build, code):
    board = await _board()
    communicator, _welcome = await hello(board["event"].pk, board["token"])
    message = build(board)
    await communicator.send_to(text_data=json.dumps(message))
    error = await receive_until(communicator, lambda m: m["type"] == "error")
    assert error["code"] == code, error
    if isinstance(message.get("client_id"), str):
        assert error["client_id"] == message["client_id"]
    counts = await sync_to_async(lambda: (Idea.objects.count(), Comment.objects.count()))()
    assert counts == (2, 0)
    await communicator.send_json_to({"type": "ping"})
    assert (await receive_until(communicator, lambda m: m["type"] == "pong"))["type"] == "pong"
    await communicator.disconnect()


async def test_a_vote_of_true_counts_as_one_as_before():
    board = await _board()
    communicator, _welcome = await hello(board["event"].pk, board["token"])
    await communicator.send_json_to({"type": "vote", "idea": board["idea"].pk, "value": True})
    ack = await receive_until(communicator, lambda m: m["type"] == "ack")
    assert ack["value"] == 1 and ack["votes"] == 1
    await communicator.disconnect()


@sync_to_async
def _rest(board, path, body):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {board['token']}")
    return client.post(path, body, format="json")


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("idea", "a" * (IDEA_MAX_LENGTH + 1)),
        ("idea", "   "),
        ("idea", "a\x00b"),
        ("comment", "a" * (COMMENT_MAX_LENGTH + 1)),
        ("comment", ""),
    ],
)
async def test_a_text_refused_by_the_socket_is_refused_by_the_api(kind, text):
    board = await _board()
    communicator, _welcome = await hello(board["event"].pk, board["token"])
    if kind == "idea":
        path = f"/api/events/{board['event'].pk}/ideas/"
        message = {"type": "idea.create", "client_id": _cid(), "text": text}
    else:
        path = f"/api/ideas/{board['idea'].pk}/comments/"
        message = {
            "type": "comment.create",
            "client_id": _cid(),
            "idea": board["idea"].pk,
            "text": text,
        }
    await communicator.send_json_to(message)
    error = await receive_until(communicator, lambda m: m["type"] == "error")
    response = await _rest(board, path, {"text": text})
    assert error["code"] == "invalid"
    assert response.status_code == 400 and "text" in response.json()
    await communicator.disconnect()
