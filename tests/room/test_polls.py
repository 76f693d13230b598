"""Live polls: create, open, answer (once, replaced), close, results, and the log."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ateliers.models import BoardEvent, PollAnswer
from ateliers.services.board import participant_token
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


def guest(event, name="Invitée") -> APIClient:
    client = APIClient()
    participant = factories.make_participant(event, name)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {participant_token(participant)}")
    return client


@pytest.fixture
def room(db):
    organizer = factories.make_organizer("orga")
    event = factories.make_event()
    return token_client(organizer), event


def create(client, event, **body):
    response = client.post(f"/api/events/{event.pk}/polls/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def test_single_choice_poll_lifecycle(room):
    orga, event = room
    poll = create(
        orga,
        event,
        question_fr="Quel outil ?",
        kind="single",
        choices=[{"label_fr": "WordPress"}, {"label_fr": "Drupal", "label_en": "Drupal"}],
    )
    assert poll["status"] == "draft" and [c["label"] for c in poll["choices"]] == [
        "WordPress",
        "Drupal",
    ]
    wp, drupal = (c["id"] for c in poll["choices"])
    alice, bob = guest(event, "Alice"), guest(event, "Bob")
    url = f"/api/polls/{poll['id']}/"
    # a draft is for the runners only: guests neither see nor answer it
    assert alice.get(url).status_code == 404
    assert alice.post(url + "answer/", {"choices": [wp]}, format="json").status_code == 404
    seq = BoardEvent.objects.filter(event=event).count()
    assert orga.patch(url, {"status": "open"}, format="json").json()["status"] == "open"
    logged = BoardEvent.objects.filter(event=event).order_by("seq").last()
    assert logged.seq == seq + 1 and logged.type == "poll.updated"
    assert logged.payload["poll"]["status"] == "open"
    assert alice.post(url + "answer/", {"choices": [wp]}, format="json").status_code == 201
    assert bob.post(url + "answer/", {"choices": [wp]}, format="json").status_code == 201
    # answering again replaces
    again = bob.post(url + "answer/", {"choices": [drupal]}, format="json")
    assert again.status_code == 200 and again.json()["choices"] == [drupal]
    results = alice.get(url + "results/").json()
    assert results == {
        "answers": 2,
        "choices": [
            {"id": wp, "label": "WordPress", "count": 1},
            {"id": drupal, "label": "Drupal", "count": 1},
        ],
    }
    # one choice only, and only this poll's options
    assert alice.post(url + "answer/", {"choices": [wp, drupal]}, format="json").status_code == 400
    assert alice.post(url + "answer/", {"choices": [999999]}, format="json").status_code == 400
    assert alice.post(url + "answer/", {"text": "x"}, format="json").status_code == 400
    assert orga.patch(url, {"status": "closed"}, format="json").status_code == 200
    closed = alice.post(url + "answer/", {"choices": [wp]}, format="json")
    assert closed.status_code == 409 and closed.json()["code"] == "poll_closed"
    assert alice.get(url + "results/").json()["answers"] == 2
    assert PollAnswer.objects.count() == 2


def test_multiple_choice_and_flushed_results_in_the_log(room, django_capture_on_commit_callbacks):
    orga, event = room
    poll = create(
        orga,
        event,
        question_en="Which?",
        kind="multiple",
        choices=[{"label_en": "A"}, {"label_en": "B"}, {"label_en": "C"}],
    )
    a, b, c = (choice["id"] for choice in poll["choices"])
    orga.patch(f"/api/polls/{poll['id']}/", {"status": "open"}, format="json")
    g = guest(event)
    with django_capture_on_commit_callbacks(execute=True):
        response = g.post(f"/api/polls/{poll['id']}/answer/", {"choices": [a, c, a]}, format="json")
    assert response.status_code == 201 and response.json()["choices"] == [a, c]
    # without a server loop the results are flushed into the log at once
    last = BoardEvent.objects.filter(event=event).order_by("seq").last()
    assert last.type == "poll.updated"
    counts = {x["id"]: x["count"] for x in last.payload["poll"]["results"]["choices"]}
    assert counts == {a: 1, b: 0, c: 1}


def test_word_cloud_normalises_case_accents_and_plurals(room):
    orga, event = room
    poll = create(orga, event, question_fr="Un mot ?", kind="words")
    orga.patch(f"/api/polls/{poll['id']}/", {"status": "open"}, format="json")
    for word in ["Bénévoles", "benevole", "BÉNÉVOLE", "Dons", "don", "Accès"]:
        response = guest(event).post(
            f"/api/polls/{poll['id']}/answer/", {"text": word}, format="json"
        )
        assert response.status_code == 201, response.content
    results = orga.get(f"/api/polls/{poll['id']}/results/").json()
    assert results["answers"] == 6
    assert [w["count"] for w in results["words"]] == [3, 2, 1]
    assert results["words"][2]["text"] == "accès"
    assert results["words"][0]["text"] in {"bénévoles", "benevole", "bénévole"}
    assert results["words"][1]["text"] in {"dons", "don"}


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "single", "question_fr": "Q", "choices": [{"label_fr": "seul"}]},
        {"kind": "single", "choices": [{"label_fr": "a"}, {"label_fr": "b"}]},
        {"kind": "words", "question_fr": "Q", "choices": [{"label_fr": "a"}, {"label_fr": "b"}]},
        {"kind": "poll", "question_fr": "Q"},
        {"kind": "multiple", "question_fr": "Q", "choices": [{"label_fr": ""}, {}]},
        {"kind": "single", "question_fr": "Q", "choices": "a,b"},
    ],
)
def test_bad_polls_are_400(room, body):
    orga, event = room
    assert orga.post(f"/api/events/{event.pk}/polls/", body, format="json").status_code == 400


def test_guests_and_other_events_moderators_cannot_run_polls(room):
    orga, event = room
    other = factories.make_event()
    helper = factories.make_user("helper")
    orga.post(f"/api/events/{other.pk}/moderators/", {"user": helper.pk, "role": "facilitator"})
    body = {"kind": "words", "question_fr": "Un mot ?"}
    assert guest(event).post(f"/api/events/{event.pk}/polls/", body).status_code == 403
    helper_client = token_client(helper)
    assert helper_client.post(f"/api/events/{event.pk}/polls/", body).status_code == 403
    poll = create(helper_client, other, **body)  # a facilitator runs polls on its event
    assert helper_client.patch(f"/api/polls/{poll['id']}/", {"status": "open"}).status_code == 200
    mine = create(orga, event, **body)
    assert helper_client.patch(f"/api/polls/{mine['id']}/", {"status": "open"}).status_code == 404


def test_a_guest_of_another_event_cannot_answer(room):
    orga, event = room
    poll = create(orga, event, kind="words", question_fr="Un mot ?")
    orga.patch(f"/api/polls/{poll['id']}/", {"status": "open"}, format="json")
    stranger = guest(factories.make_event())
    response = stranger.post(f"/api/polls/{poll['id']}/answer/", {"text": "x y"}, format="json")
    assert response.status_code == 403
