"""The board over HTTP (CONTRACT.md): join, ideas, votes, comments, moderation, catch-up."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from ateliers.models import Idea
from ateliers.services import board as svc
from tests import factories
from tests.helpers import IDEA_FIELDS, assert_queries, token_client


def guest_client(event, name="Invitée") -> tuple[APIClient, dict]:
    client = APIClient()
    response = client.post("/api/join/", {"code": event.join_code, "display_name": name})
    assert response.status_code == 201, response.content
    body = response.json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    return client, body


def test_join_answers_token_participant_and_event(db, event):
    _client, body = guest_client(event, "Aminata")
    assert set(body) == {"token", "participant", "event"}
    assert body["participant"]["display_name"] == "Aminata"
    assert body["event"]["id"] == event.pk
    assert body["event"]["join_code"] == event.join_code


@pytest.mark.parametrize(
    ("code", "status"),
    [("NOPE99", 404), ("", 400), ("x" * 500, 400)],
)
def test_join_bad_codes(db, api, code, status):
    response = api.post("/api/join/", {"code": code, "display_name": "X"})
    assert response.status_code == status
    assert "detail" in response.json() or "code" in response.json()


def test_join_closed_event_is_409(db, api):
    closed = factories.make_event(status="closed")
    response = api.post("/api/join/", {"code": closed.join_code, "display_name": "X"})
    assert response.status_code == 409 and response.json()["code"] == "event_closed"


def test_join_code_is_forgiving(db, api, event):
    code = event.join_code.lower()
    response = api.post("/api/join/", {"code": f" {code[:3]}-{code[3:]} ", "display_name": "X"})
    assert response.status_code == 201


def test_bad_bearer_token_is_401(db, api, event):
    api.credentials(HTTP_AUTHORIZATION="Bearer forged")
    response = api.post(f"/api/events/{event.pk}/ideas/", {"text": "x"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_post_idea_is_idempotent_by_client_id(db, event):
    client, _ = guest_client(event)
    cid = str(uuid.uuid4())
    url = f"/api/events/{event.pk}/ideas/"
    first = client.post(url, {"text": "Des rampes", "client_id": cid})
    again = client.post(url, {"text": "Des rampes", "client_id": cid})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Idea.objects.count() == 1
    body = first.json()
    assert set(body) >= IDEA_FIELDS
    assert body["status"] == "visible" and body["author_name"] == "Invitée"


def test_token_for_event_a_cannot_write_on_event_b(db, event):
    client, _ = guest_client(event)
    other_event = factories.make_event()
    other_idea = factories.post_idea(factories.make_participant(other_event))
    assert client.post(f"/api/events/{other_event.pk}/ideas/", {"text": "x"}).status_code == 403
    assert client.post(f"/api/ideas/{other_idea.pk}/vote/").status_code == 403
    assert client.post(f"/api/ideas/{other_idea.pk}/comments/", {"text": "x"}).status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"text": ""},
        {"text": "x" * 1001},
        {"text": "x", "client_id": "nope"},
        {"text": "x", "theme": 999999},
        {"text": ["x"]},
        {},
    ],
)
def test_bad_idea_input_is_400(db, event, body):
    client, _ = guest_client(event)
    response = client.post(f"/api/events/{event.pk}/ideas/", body, format="json")
    assert response.status_code == 400, response.content


def test_theme_of_another_event_is_400(db, event):
    client, _ = guest_client(event)
    theme = factories.make_event().themes.create(name_fr="Ailleurs")
    response = client.post(f"/api/events/{event.pk}/ideas/", {"text": "x", "theme": theme.pk})
    assert response.status_code == 400 and "theme" in response.json()


def test_locked_board_is_409(db, event, organizer):
    client, _ = guest_client(event)
    token_client(organizer).patch(f"/api/events/{event.pk}/", {"board_locked": True})
    response = client.post(f"/api/events/{event.pk}/ideas/", {"text": "x"})
    assert response.status_code == 409 and response.json()["code"] == "board_locked"


def test_vote_post_twice_then_delete(db, event):
    client, _ = guest_client(event)
    idea = factories.post_idea(factories.make_participant(event))
    url = f"/api/ideas/{idea.pk}/vote/"
    assert client.post(url).json() == {"idea": idea.pk, "votes": 1, "voted": True}
    assert client.post(url).json()["votes"] == 1
    assert client.delete(url).json() == {"idea": idea.pk, "votes": 0, "voted": False}


def test_comments_list_and_idempotent_create(db, event):
    client, _ = guest_client(event)
    idea = factories.post_idea(factories.make_participant(event))
    cid = str(uuid.uuid4())
    url = f"/api/ideas/{idea.pk}/comments/"
    assert client.post(url, {"text": "Oui", "client_id": cid}).status_code == 201
    assert client.post(url, {"text": "Oui", "client_id": cid}).status_code == 200
    listing = client.get(url).json()
    assert listing["count"] == 1 and listing["results"][0]["author_name"] == "Invitée"
    assert client.get(f"/api/ideas/{idea.pk}/").json()["comment_count"] == 1


def test_edit_own_idea(db, event):
    client, _ = guest_client(event)
    idea_id = client.post(f"/api/events/{event.pk}/ideas/", {"text": "Avant"}).json()["id"]
    response = client.patch(f"/api/ideas/{idea_id}/", {"text": "Après"})
    assert response.status_code == 200 and response.json()["text"] == "Après"


def test_moderation_by_organizer(db, event, organizer):
    author = factories.make_participant(event)
    keep = factories.post_idea(author, "Garder")
    dup = factories.post_idea(author, "Doublon")
    client = token_client(organizer)
    hide = client.post(f"/api/ideas/{keep.pk}/moderate/", {"action": "hide"})
    assert hide.status_code == 200 and hide.json()["status"] == "hidden"
    guest, _ = guest_client(event)
    assert guest.get(f"/api/ideas/{keep.pk}/").status_code == 404
    ids = [i["id"] for i in guest.get(f"/api/events/{event.pk}/ideas/").json()["results"]]
    assert keep.pk not in ids
    assert client.post(f"/api/ideas/{keep.pk}/moderate/", {"action": "show"}).status_code == 200
    merge = client.post(f"/api/ideas/{dup.pk}/moderate/", {"action": "merge", "into": keep.pk})
    assert merge.status_code == 200 and merge.json()["merged_into"] == keep.pk
    again = client.post(f"/api/ideas/{dup.pk}/moderate/", {"action": "merge", "into": keep.pk})
    assert again.status_code == 409
    bad = client.post(f"/api/ideas/{keep.pk}/moderate/", {"action": "merge", "into": 999999})
    assert bad.status_code == 400
    assert client.post(f"/api/ideas/{keep.pk}/moderate/", {"action": "zap"}).status_code == 400


def test_list_filters_and_ordering(db, event):
    theme = event.themes.create(name_fr="Accès")
    author, voter = factories.make_participant(event, "A"), factories.make_participant(event, "B")
    low = factories.post_idea(author, "peu", theme=theme)
    high = factories.post_idea(author, "beaucoup")
    svc.vote_set(participant=voter, idea=high, value=1)
    client = APIClient()
    url = f"/api/events/{event.pk}/ideas/"
    by_votes = [i["id"] for i in client.get(url, {"ordering": "-votes"}).json()["results"]]
    assert by_votes == [high.pk, low.pk]
    by_date = [i["id"] for i in client.get(url, {"ordering": "created_at"}).json()["results"]]
    assert by_date == [low.pk, high.pk]
    in_theme = client.get(url, {"theme": theme.pk}).json()["results"]
    assert [i["id"] for i in in_theme] == [low.pk]
    assert client.get(url, {"status": "bogus"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 20])
def test_ideas_list_query_count_is_constant(db, event, rows):
    for i in range(rows):
        factories.post_idea(factories.make_participant(event, f"P{i}"), f"idée {i}")
    client = APIClient()
    # event, count, page (authors joined)
    with assert_queries("event-idea-list anonymous"):
        response = client.get(f"/api/events/{event.pk}/ideas/")
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_comments_list_query_count_is_constant(db, event, rows):
    idea = factories.post_idea(factories.make_participant(event))
    for i in range(rows):
        svc.comment_post(
            participant=factories.make_participant(event, f"C{i}"),
            idea=idea,
            text="oui",
            client_id=uuid.uuid4(),
        )
    with assert_queries("idea-comment-list anonymous"):  # idea, count, page
        response = APIClient().get(f"/api/ideas/{idea.pk}/comments/")
    assert response.json()["count"] == rows


def test_board_catch_up_since(db, event, settings):
    author = factories.make_participant(event)
    for i in range(4):
        factories.post_idea(author, f"idée {i}")
    client = APIClient()
    body = client.get(f"/api/events/{event.pk}/board/", {"since": 2}).json()
    assert body["seq"] == 4 and body["snapshot"] is None
    assert [(e["type"], e["seq"]) for e in body["events"]] == [
        ("idea.created", 3),
        ("idea.created", 4),
    ]
    assert body["events"][0]["idea"]["text"] == "idée 2"
    current = client.get(f"/api/events/{event.pk}/board/", {"since": 4}).json()
    assert current == {"seq": 4, "events": [], "snapshot": None, "next": None}
    settings.LIVINGLAB = {**settings.LIVINGLAB, "BOARD_REPLAY_LIMIT": 2}
    behind = client.get(f"/api/events/{event.pk}/board/", {"since": 0}).json()
    assert behind["events"] == [] and behind["snapshot"]["seq"] == 4
    assert len(behind["snapshot"]["ideas"]) == 4


def test_board_catch_up_flushes_pending_votes(db, event):
    author = factories.make_participant(event)
    idea = factories.post_idea(author)
    svc.vote_set(participant=factories.make_participant(event, "V"), idea=idea, value=1)
    body = APIClient().get(f"/api/events/{event.pk}/board/", {"since": 1}).json()
    assert body["events"] == [
        {"type": "votes.changed", "seq": 2, "votes": [{"idea": idea.pk, "votes": 1}]}
    ]


@pytest.mark.parametrize("since", ["abc", "-1", "1e9999", "99999999999999999999999"])
def test_board_bad_since_is_400(db, event, since):
    response = APIClient().get(f"/api/events/{event.pk}/board/", {"since": since})
    assert response.status_code == 400


def test_user_text_comes_back_as_text(db, event):
    client, _ = guest_client(event)
    text = "<script>alert(1)</script>"
    client.post(f"/api/events/{event.pk}/ideas/", {"text": text})
    assert client.get(f"/api/events/{event.pk}/ideas/").json()["results"][0]["text"] == text
