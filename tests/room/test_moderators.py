"""Co-moderators and facilitators: appointed on one event by an organizer, refused on
every other, through every moderation path (REST, WebSocket, pages)."""

from __future__ import annotations

import pytest
from asgiref.sync import sync_to_async
from rest_framework.authtoken.models import Token

from ateliers.models import EventModerator, Idea
from tests import factories
from tests.helpers import board_hello, token_client


def _board(event):
    author = factories.make_participant(event, "Autrice")
    return factories.post_idea(author, "Un site web accessible")


@pytest.fixture
def rooms(db):
    organizer = factories.make_organizer("orga")
    helper = factories.make_user("helper")
    event_a = factories.make_event(title_fr="Atelier A")
    event_b = factories.make_event(title_fr="Atelier B")
    idea_a, idea_b = _board(event_a), _board(event_b)
    client = token_client(organizer)
    response = client.post(
        f"/api/events/{event_a.pk}/moderators/", {"user": helper.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["role"] == "moderator"
    return organizer, helper, event_a, event_b, idea_a, idea_b


def test_co_moderator_of_a_moderates_a_and_is_refused_on_b_over_rest(rooms):
    _orga, helper, _a, _b, idea_a, idea_b = rooms
    client = token_client(helper)
    assert client.post(f"/api/ideas/{idea_a.pk}/moderate/", {"action": "hide"}).status_code == 200
    assert client.post(f"/api/ideas/{idea_b.pk}/moderate/", {"action": "hide"}).status_code == 403
    assert Idea.objects.get(pk=idea_b.pk).status == "visible"
    # The hidden idea of A stays reachable to its moderator (to show it again), not on B.
    assert client.get(f"/api/events/{idea_a.event_id}/ideas/").json()["count"] == 1
    assert client.post(f"/api/ideas/{idea_a.pk}/moderate/", {"action": "show"}).status_code == 200


def test_co_moderator_pages_a_only(rooms, client):
    _orga, helper, event_a, event_b, _ia, _ib = rooms
    client.force_login(helper)
    assert client.get(f"/events/{event_a.pk}/moderate/").status_code == 200
    assert client.get(f"/events/{event_b.pk}/moderate/").status_code == 403
    response = client.post(f"/events/{event_b.pk}/moderate/", {"locked": "1"})
    assert response.status_code == 403
    event_b.refresh_from_db()
    assert event_b.board_locked is False
    me = client.get("/me/").content.decode()
    assert f"/events/{event_a.pk}/moderate/" in me and f"/events/{event_b.pk}/moderate/" not in me


def test_removal_takes_effect_on_the_next_action(rooms):
    organizer, helper, event_a, _b, idea_a, _ib = rooms
    orga = token_client(organizer)
    assert orga.delete(f"/api/events/{event_a.pk}/moderators/{helper.pk}/").status_code == 204
    assert orga.delete(f"/api/events/{event_a.pk}/moderators/{helper.pk}/").status_code == 404
    response = token_client(helper).post(f"/api/ideas/{idea_a.pk}/moderate/", {"action": "pin"})
    assert response.status_code == 403


def test_facilitator_does_not_moderate_ideas(rooms):
    organizer, helper, event_a, _b, idea_a, _ib = rooms
    again = token_client(organizer).post(
        f"/api/events/{event_a.pk}/moderators/",
        {"user": helper.pk, "role": "facilitator"},
        format="json",
    )
    assert again.status_code == 200 and again.json()["role"] == "facilitator"
    assert EventModerator.objects.filter(event=event_a).count() == 1
    response = token_client(helper).post(f"/api/ideas/{idea_a.pk}/moderate/", {"action": "pin"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "status"),
    [({"user": 999999}, 400), ({}, 400), ({"user": "x"}, 400), ({"user": 1, "role": "boss"}, 400)],
)
def test_bad_appointments_are_4xx(rooms, body, status):
    organizer, *_rest = rooms
    event = rooms[2]
    response = token_client(organizer).post(
        f"/api/events/{event.pk}/moderators/", body, format="json"
    )
    assert response.status_code == status, response.content


def test_organizer_page_appoints_and_removes(rooms, client):
    organizer, helper, event_a, event_b, _ia, _ib = rooms
    other = factories.make_user("second", email="second@example.org")
    client.force_login(organizer)
    page = client.get(f"/organize/events/{event_b.pk}/moderators/")
    assert page.status_code == 200 and "Helper" not in page.content.decode()
    bad = client.post(
        f"/organize/events/{event_b.pk}/moderators/", {"account": "nobody", "role": "moderator"}
    )
    assert bad.status_code == 400
    done = client.post(
        f"/organize/events/{event_b.pk}/moderators/",
        {"account": "SECOND@example.org", "role": "facilitator"},
    )
    assert done.status_code == 302
    assert EventModerator.objects.get(event=event_b).user == other
    client.post(f"/organize/events/{event_b.pk}/moderators/{other.pk}/remove/")
    assert not EventModerator.objects.filter(event=event_b).exists()
    client.force_login(helper)  # a co-moderator cannot appoint
    assert client.get(f"/organize/events/{event_a.pk}/moderators/").status_code == 403


async def _answer(communicator, limit=20):
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] in {"ack", "error"}:
            return message
    raise AssertionError("no answer")


@pytest.mark.django_db(transaction=True)
async def test_co_moderator_over_the_socket_a_yes_b_no(local_layer):
    @sync_to_async
    def setup():
        organizer = factories.make_organizer("orga2")
        helper = factories.make_user("helper2")
        a, b = factories.make_event(), factories.make_event()
        from ateliers.services.moderators import moderator_appoint

        moderator_appoint(actor=organizer, event=a, user=helper)
        token = Token.objects.create(user=helper).key
        return a, b, _board(a), _board(b), token

    a, b, idea_a, idea_b, token = await setup()
    sock_a, welcome_a = await board_hello(a.pk, token)
    sock_b, welcome_b = await board_hello(b.pk, token)
    assert welcome_a["can_moderate"] is True and welcome_b["can_moderate"] is False
    await sock_b.send_json_to({"type": "moderate", "idea": idea_b.pk, "action": "hide"})
    refused = await _answer(sock_b)
    assert refused["type"] == "error" and refused["code"] == "forbidden"
    await sock_b.send_json_to({"type": "board.lock", "locked": True})
    assert (await _answer(sock_b))["code"] == "forbidden"
    await sock_a.send_json_to({"type": "moderate", "idea": idea_a.pk, "action": "hide"})
    ack = await _answer(sock_a)
    assert ack["type"] == "ack" and ack["idea"]["status"] == "hidden"
    assert await sync_to_async(lambda: Idea.objects.get(pk=idea_b.pk).status)() == "visible"
    await sock_a.disconnect()
    await sock_b.disconnect()
