"""Item 8: REST refused NUL, but the WebSocket and the HTML form accepted it, and the bytes
reached the pages, projector, CSV and PDF. One cleaner (ateliers/text.py) for every entry
point: NUL is refused, other control characters are dropped."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.core.exceptions import ValidationError
from django.test import Client

from ateliers.models import Comment, Idea, Organization, Participant
from ateliers.routing import websocket_urlpatterns
from ateliers.services import board as svc
from ateliers.text import clean_text
from projets.models import Project
from tests import factories
from tests.helpers import token_client

CONTROLS = "Idée\x07 \x1b[31mrouge\x1b[0m\x08 ok\x7f\x85"
CLEANED = "Idée [31mrouge[0m ok"


@pytest.fixture(autouse=True)
def _local_layer(settings):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "ateliers.realtime.layers.LocalChannelLayer"}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.mark.parametrize(
    ("value", "multiline", "expected"),
    [
        ("a\r\nb\rc", True, "a\nb\nc"),
        ("a\tb\nc", True, "a\tb\nc"),
        ("a\tb\nc", False, "a b c"),
        (CONTROLS, True, CLEANED),
        ("Zoë 🎉 ‮", True, "Zoë 🎉 ‮"),  # letters and emoji untouched
    ],
)
def test_the_rule(value, multiline, expected):
    assert clean_text(value, multiline=multiline) == expected


@pytest.mark.parametrize("value", ["a\x00b", "\ud800"])
def test_nul_and_lone_surrogates_are_refused(value):
    with pytest.raises(ValidationError):
        clean_text(value, field="text")


async def _hello(event_id, token):
    communicator = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns), f"/ws/events/{event_id}/board/"
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "hello", "token": token})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "welcome"
    return communicator


async def _next(communicator, types):
    for _ in range(20):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] in types:
            return message
    raise AssertionError(f"no {types}")


@pytest.mark.django_db(transaction=True)
async def test_the_websocket_refuses_nul_and_drops_controls():
    event = await sync_to_async(factories.make_event)()
    guest = await sync_to_async(factories.make_participant)(event, "Eve")
    socket = await _hello(event.pk, await sync_to_async(svc.participant_token)(guest))
    await socket.send_json_to(
        {"type": "idea.create", "client_id": str(uuid.uuid4()), "text": "Vol\x00ée"}
    )
    refused = await _next(socket, {"error", "ack"})
    assert refused["type"] == "error"
    assert await sync_to_async(Idea.objects.count)() == 0
    # the socket stays usable, and the other controls are dropped
    await socket.send_json_to(
        {"type": "idea.create", "client_id": str(uuid.uuid4()), "text": CONTROLS}
    )
    ack = await _next(socket, {"ack", "error"})
    assert ack["type"] == "ack", ack
    assert ack["idea"]["text"] == CLEANED
    assert (await sync_to_async(Idea.objects.get)()).text == CLEANED
    await socket.disconnect()


@pytest.mark.django_db
def test_the_html_board_form_refuses_nul_and_drops_controls():
    event = factories.make_event()
    client = Client()
    joined = client.post(
        "/join/", {"code": event.join_code, "display_name": "Ève\x1b\x00"}, secure=True
    )
    assert joined.status_code == 400  # NUL in the name: the form again, nobody joined
    assert not Participant.objects.exists()
    client.post("/join/", {"code": event.join_code, "display_name": "Ève\x1b\t"}, secure=True)
    assert Participant.objects.get().display_name == "Ève"
    url = f"/events/{event.pk}/board/post/"
    client.post(url, {"text": "Vol\x00ée"}, secure=True)
    assert not Idea.objects.exists()
    client.post(url, {"text": CONTROLS}, secure=True)
    idea = Idea.objects.get()
    assert idea.text == CLEANED
    client.post(
        f"/events/{event.pk}/board/ideas/{idea.pk}/comment/", {"text": "Oui\x07 !"}, secure=True
    )
    assert Comment.objects.get().text == "Oui !"
    page = client.get(f"/events/{event.pk}/board/", secure=True).content.decode()
    assert "\x07" not in page and "\x1b" not in page


@pytest.mark.django_db
def test_rest_drops_controls_in_every_kind_of_text(organizer):
    client = token_client(organizer)
    org = client.post("/api/organizations/", {"name": "Coop\x1b\x07 du\tquartier"})
    assert org.status_code == 201, org.content
    assert Organization.objects.get(pk=org.json()["id"]).name == "Coop du quartier"
    project = client.post(
        "/api/projects/", {"title_fr": "Jardin\x08s", "summary_fr": "Ligne 1\r\nLigne\x0c 2"}
    )
    assert project.status_code == 201, project.content
    saved = Project.objects.get(pk=project.json()["id"])
    assert (saved.title_fr, saved.summary_fr) == ("Jardins", "Ligne 1\nLigne 2")
    help_request = client.post(
        "/api/help-requests/",
        {
            "organization": org.json()["id"],
            "title": "Aide\x1b[2J",
            "description": "Détails\x07",
        },
    )
    assert help_request.status_code == 201, help_request.content
    assert help_request.json()["title"] == "Aide[2J"
    assert help_request.json()["description"] == "Détails"


@pytest.mark.django_db
def test_any_other_door_goes_through_it_too(organizer):
    """The admin and management commands save models: the cleaner runs on every save."""
    project = factories.make_project(actor=organizer, title_fr="Titre")
    project.title_fr = "Titre\x1b\x07 propre"
    project.save()
    project.refresh_from_db()
    assert project.title_fr == "Titre propre"
    project.summary_fr = "NUL\x00"
    with pytest.raises(ValidationError):
        project.save()
