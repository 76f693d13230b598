"""Pre-moderation and bans (issue 18): a guest's idea under ``moderation: "pre"`` is seen
by its author and the event's moderators only, over REST, the socket, the pages and the
exports, until a moderator approves it; a banned guest reads but no longer writes, and
its votes stop counting. Closing the event is pushed to open phones."""

from __future__ import annotations

import html
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from ateliers.models import BoardEvent, Idea, Participant
from ateliers.routing import websocket_urlpatterns
from ateliers.services import board as board_services
from ateliers.services.moderators import moderator_appoint
from tests import factories
from tests.helpers import board_hello, token_client

SECRET = "Une idée que personne ne doit lire avant l'accord"
SHOWN = html.escape(SECRET)  # as a page prints it


def guest_client(participant: Participant) -> APIClient:
    client = APIClient()
    token = board_services.participant_token(participant)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def room(db):
    organizer = factories.make_organizer("orga")
    event = factories.make_event(title_fr="Atelier prémodéré")
    response = token_client(organizer).patch(
        f"/api/events/{event.pk}/", {"moderation": "pre"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["moderation"] == "pre"
    author = factories.make_participant(event, "Autrice")
    other = factories.make_participant(event, "Voisin")
    return organizer, event, author, other


def _post(client, event, text=SECRET):
    response = client.post(
        f"/api/events/{event.pk}/ideas/", {"text": text, "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 201, response.content
    return response.json()


def _log_text(event) -> str:
    return " ".join(str(row.payload) for row in BoardEvent.objects.filter(event=event))


def test_pending_idea_is_seen_by_its_author_and_moderators_only_over_rest(room):
    organizer, event, author, other = room
    idea = _post(guest_client(author), event)
    assert idea["status"] == "pending" and "participant" not in idea

    mine = guest_client(author).get(f"/api/events/{event.pk}/ideas/").json()["results"]
    assert [i["id"] for i in mine] == [idea["id"]]
    assert guest_client(other).get(f"/api/events/{event.pk}/ideas/").json()["count"] == 0
    assert guest_client(other).get(f"/api/ideas/{idea['id']}/").status_code == 404
    assert APIClient().get(f"/api/events/{event.pk}/ideas/").json()["count"] == 0
    board = APIClient().get(f"/api/events/{event.pk}/board/?since=0").json()
    assert SECRET not in str(board)
    # The log says only that the queue grew: never the text or the author.
    assert SECRET not in _log_text(event) and "Autrice" not in _log_text(event)
    assert BoardEvent.objects.filter(event=event).last().payload == {"pending": 1}

    seen = token_client(organizer).get(f"/api/events/{event.pk}/ideas/").json()["results"]
    assert seen[0]["status"] == "pending" and seen[0]["participant"] == author.pk
    # A guest cannot vote on or comment an idea nobody else sees.
    vote = guest_client(other).post(f"/api/ideas/{idea['id']}/vote/")
    assert vote.status_code == 404


def test_approve_publishes_it_as_a_new_idea_and_reject_keeps_it_away(room):
    organizer, event, author, other = room
    first = _post(guest_client(author), event)
    second = _post(guest_client(author), event, "Une autre idée")
    moderator = token_client(organizer)
    hide = moderator.post(f"/api/ideas/{first['id']}/moderate/", {"action": "hide"})
    assert hide.status_code == 409 and hide.json()["code"] == "idea_not_published"

    approved = moderator.post(f"/api/ideas/{first['id']}/moderate/", {"action": "approve"})
    assert approved.status_code == 200 and approved.json()["status"] == "visible"
    created = BoardEvent.objects.filter(event=event, type="idea.created").get()
    assert created.payload["idea"]["text"] == SECRET
    rejected = moderator.post(f"/api/ideas/{second['id']}/moderate/", {"action": "reject"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert BoardEvent.objects.filter(event=event).last().payload == {"pending": 0}
    again = moderator.post(f"/api/ideas/{second['id']}/moderate/", {"action": "approve"})
    assert again.status_code == 409 and again.json()["code"] == "idea_not_pending"

    ideas = guest_client(other).get(f"/api/events/{event.pk}/ideas/").json()["results"]
    assert [i["text"] for i in ideas] == [SECRET]
    mine = guest_client(author).get(f"/api/events/{event.pk}/ideas/").json()["results"]
    assert {i["status"] for i in mine} == {"visible", "rejected"}
    assert "Une autre idée" not in _log_text(event)
    # A guest cannot approve.
    refused = guest_client(other).post(f"/api/ideas/{first['id']}/moderate/", {"action": "reject"})
    assert refused.status_code == 403


def test_a_moderators_own_idea_is_published_at_once(room):
    organizer, event, _author, other = room
    idea = _post(token_client(organizer), event, "L'idée de l'équipe")
    assert idea["status"] == "visible"
    assert guest_client(other).get(f"/api/events/{event.pk}/ideas/").json()["count"] == 1


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_pending_ideas_stay_out_of_pages_and_exports_for_others(room, client):
    organizer, event, author, _other = room
    idea = _post(guest_client(author), event)
    for path in ("ideas/export.csv", "ideas/export.json"):
        for reader in (APIClient(), token_client(organizer)):
            response = reader.get(f"/api/events/{event.pk}/{path}")
            assert response.status_code == 200 and SECRET not in _body(response)
    assert SHOWN not in client.get(f"/events/{event.pk}/board/").content.decode()
    assert SHOWN not in client.get(f"/events/{event.pk}/projector/").content.decode()
    client.force_login(organizer)
    page = client.get(f"/events/{event.pk}/moderate/").content.decode()
    assert SHOWN in page and f'data-pending="{idea["id"]}"' in page
    queue = client.get(f"/events/{event.pk}/moderate/queue/").content.decode()
    assert SHOWN in queue and 'value="approve"' in queue


def test_the_moderation_page_approves_and_bans(room, client):
    organizer, event, author, _other = room
    idea = _post(guest_client(author), event)
    client.force_login(organizer)
    response = client.post(
        f"/events/{event.pk}/moderate/", {"idea": idea["id"], "action": "approve"}
    )
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea["id"]).status == "visible"
    response = client.post(f"/events/{event.pk}/moderate/", {"ban": author.pk, "hide_ideas": "1"})
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.banned_at is not None
    assert Idea.objects.get(pk=idea["id"]).status == "hidden"


def test_ban_refuses_writes_withdraws_votes_and_hides_ideas(room):
    organizer, event, _author, other = room
    event.moderation = "post"
    event.save()
    troll = factories.make_participant(event, "Troll")
    target = _post(guest_client(other), event, "Une bonne idée")
    own = _post(guest_client(troll), event, "Du bruit")
    assert guest_client(troll).post(f"/api/ideas/{target['id']}/vote/").status_code == 200
    assert Idea.objects.get(pk=target["id"]).votes == 1

    path = f"/api/events/{event.pk}/participants/{troll.pk}/ban/"
    assert guest_client(other).post(path, {"hide_ideas": True}, format="json").status_code == 403
    response = token_client(organizer).post(path, {"hide_ideas": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["banned"] is True and response.json()["id"] == troll.pk

    assert Idea.objects.get(pk=target["id"]).votes == 0
    assert Idea.objects.get(pk=own["id"]).status == "hidden"
    client = guest_client(troll)
    for refused in (
        client.post(
            f"/api/events/{event.pk}/ideas/", {"text": "encore", "client_id": str(uuid.uuid4())}
        ),
        client.post(f"/api/ideas/{target['id']}/vote/"),
        client.post(f"/api/ideas/{target['id']}/comments/", {"text": "encore"}),
    ):
        assert refused.status_code == 403, refused.content
        assert refused.json()["code"] == "banned"
    assert client.get(f"/api/events/{event.pk}/ideas/").status_code == 200  # still reads
    assert Idea.objects.filter(author=troll).count() == 1

    lifted = token_client(organizer).delete(path)
    assert lifted.status_code == 200 and lifted.json()["banned"] is False
    assert _post(client, event, "Je me calme")["status"] == "visible"


def test_a_ban_that_hides_several_ideas_redacts_each_from_every_replay(room):
    organizer, event, _author, other = room
    event.moderation = "post"
    event.save()
    troll = factories.make_participant(event, "Troll")
    texts = [f"Du bruit numéro {n} à effacer" for n in range(3)]
    ideas = [_post(guest_client(troll), event, text) for text in texts]
    keep = _post(guest_client(other), event, "Une idée qui reste")
    reply = guest_client(other).post(
        f"/api/ideas/{ideas[1]['id']}/comments/", {"text": "Réponse au bruit"}
    )
    assert reply.status_code == 201, reply.content
    path = f"/api/events/{event.pk}/participants/{troll.pk}/ban/"
    response = token_client(organizer).post(path, {"hide_ideas": True}, format="json")
    assert response.status_code == 200, response.content

    replay = guest_client(other).get(f"/api/events/{event.pk}/board/?since=0")
    assert replay.status_code == 200
    body = replay.content.decode()
    for text in [*texts, "Réponse au bruit", "Troll"]:
        assert text not in body and text not in _log_text(event), text
    assert "Une idée qui reste" in body
    hidden = {idea["id"] for idea in ideas}
    assert set(Idea.objects.filter(author=troll).values_list("status", flat=True)) == {"hidden"}
    assert Idea.objects.get(pk=keep["id"]).status == "visible"
    logged = BoardEvent.objects.filter(event=event, type="idea.updated")
    assert {row.payload["idea"]["id"] for row in logged} >= hidden  # each hide is pushed


def test_a_co_moderator_of_another_event_cannot_ban(room):
    _organizer, event, author, _other = room
    helper = factories.make_user("helper")
    moderator_appoint(actor=_organizer, event=factories.make_event(), user=helper)
    path = f"/api/events/{event.pk}/participants/{author.pk}/ban/"
    assert token_client(helper).post(path, {}, format="json").status_code in (403, 404)
    author.refresh_from_db()
    assert author.banned_at is None
    moderator_appoint(actor=_organizer, event=event, user=helper)
    assert token_client(helper).post(path, {}, format="json").status_code == 200


def test_closing_and_reopening_the_event_is_pushed(room):
    organizer, event, _author, _other = room
    client = token_client(organizer)
    assert (
        client.patch(f"/api/events/{event.pk}/", {"status": "closed"}, format="json").status_code
        == 200
    )
    assert BoardEvent.objects.filter(event=event).last().payload == {"board_locked": True}
    assert (
        client.patch(f"/api/events/{event.pk}/", {"status": "published"}, format="json").status_code
        == 200
    )
    assert BoardEvent.objects.filter(event=event).last().payload == {"board_locked": False}


app = URLRouter(websocket_urlpatterns)


async def _hello(event_id, token):
    communicator, welcome = await board_hello(event_id, token)
    assert welcome["type"] == "welcome", welcome
    return communicator


async def _until(communicator, predicate, limit=20):
    seen = []
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        seen.append(message)
        if predicate(message):
            return message, seen
    raise AssertionError(seen)


@pytest.mark.django_db(transaction=True)
async def test_over_the_socket_a_pending_idea_reaches_nobody_until_approved(local_layer):
    @sync_to_async
    def setup():
        organizer = factories.make_organizer("orga-ws")
        event = factories.make_event()
        event.moderation = "pre"
        event.save()
        author = factories.make_participant(event, "Autrice")
        other = factories.make_participant(event, "Voisin")
        troll = factories.make_participant(event, "Troll")
        board_services.participant_ban(actor=organizer, participant=troll)
        token = board_services.participant_token
        return organizer, event, token(author), token(other), token(troll)

    organizer, event, author, other, troll = await setup()
    writer = await _hello(event.pk, author)
    reader = await _hello(event.pk, other)
    await writer.send_json_to(
        {"type": "idea.create", "text": SECRET, "client_id": str(uuid.uuid4())}
    )
    ack, _ = await _until(writer, lambda m: m["type"] in ("ack", "error"))
    assert ack["type"] == "ack" and ack["idea"]["status"] == "pending"
    queued, seen = await _until(reader, lambda m: m["type"] == "board.updated")
    assert queued["pending"] == 1 and SECRET not in str(seen)

    idea = await sync_to_async(Idea.objects.get)(text=SECRET)
    await sync_to_async(board_services.idea_moderate)(actor=organizer, idea=idea, action="approve")
    created, _ = await _until(reader, lambda m: m["type"] == "idea.created")
    assert created["idea"]["text"] == SECRET

    banned = await _hello(event.pk, troll)
    await banned.send_json_to(
        {"type": "idea.create", "text": "bruit", "client_id": str(uuid.uuid4())}
    )
    refused, _ = await _until(banned, lambda m: m["type"] in ("ack", "error"))
    assert refused["type"] == "error" and refused["code"] == "banned"
    for communicator in (writer, reader, banned):
        await communicator.disconnect()


async def _refusal(path: str, token: str, headers=()) -> dict:
    communicator = WebsocketCommunicator(app, path, headers=list(headers))
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_json_to({"type": "hello", "token": token})
    assert (await communicator.receive_json_from(timeout=5))["type"] == "welcome"
    await communicator.send_json_to(
        {"type": "idea.create", "text": "trop tard", "client_id": str(uuid.uuid4())}
    )
    refused, _ = await _until(communicator, lambda m: m["type"] in ("ack", "error"))
    await communicator.disconnect()
    return refused


@pytest.mark.django_db(transaction=True)
async def test_each_socket_is_refused_in_the_language_of_its_page(local_layer):
    """Issue 18: "Le tableau est verrouillé." came in French on an English page."""

    @sync_to_async
    def setup():
        event = factories.make_event()
        token = board_services.participant_token(factories.make_participant(event, "Lee"))
        event.board_locked = True
        event.save()
        return event, token

    event, token = await setup()
    path = f"/ws/events/{event.pk}/board/"
    english = await _refusal(f"{path}?lang=en", token)
    assert english["code"] == "board_locked" and english["detail"] == "The board is locked."
    french = await _refusal(f"{path}?lang=fr", token)
    assert french["detail"] == "Le tableau est verrouillé."
    browser = await _refusal(path, token, [(b"accept-language", b"en-CA,en;q=0.9")])
    assert browser["detail"] == "The board is locked."
    cookie = await _refusal(path, token, [(b"cookie", b"django_language=en")])
    assert cookie["detail"] == "The board is locked."
    assert (await _refusal(path, token))["detail"] == "Le tableau est verrouillé."
