"""Polls on the pages, without JavaScript: plain forms to answer, create, open, close."""

from __future__ import annotations

import pytest

from ateliers.models import Poll, PollAnswer
from ateliers.services.moderators import moderator_appoint
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(db):
    return factories.make_event(title_fr="Atelier", title_en="Workshop")


@pytest.fixture
def organizer(db):
    return factories.make_organizer("orga")


def join(client, event, name="Zoé"):
    response = client.post("/join/", {"code": event.join_code, "display_name": name})
    assert response.status_code == 200 and b"data-board" in response.content  # the board


def test_moderator_creates_and_opens_then_a_guest_answers_without_js(client, event, organizer):
    client.force_login(organizer)
    page = client.get(f"/events/{event.pk}/moderate/")
    assert page.status_code == 200 and 'id="polls"' in page.content.decode()
    created = client.post(
        f"/events/{event.pk}/polls/new/",
        {
            "kind": "single",
            "question_fr": "Par où commencer ?",
            "question_en": "Where to start?",
            "choices_fr": "Site web\nDons\n\n",
            "choices_en": "Website\nDonations",
            "next": f"/events/{event.pk}/moderate/#polls",
        },
    )
    assert created.status_code == 302 and created["Location"].endswith("/moderate/#polls")
    poll = Poll.objects.get(event=event)
    assert [c.label_en for c in poll.choices.all()] == ["Website", "Donations"]
    client.post(f"/events/{event.pk}/polls/{poll.pk}/status/", {"status": "open"})
    poll.refresh_from_db()
    assert poll.status == "open"
    client.logout()

    join(client, event)
    board = client.get(f"/events/{event.pk}/board/").content.decode()
    assert "Par où commencer ?" in board and 'name="choice"' in board
    website, donations = poll.choices.all()
    url = f"/events/{event.pk}/polls/{poll.pk}/answer/"
    assert client.post(url, {"choice": str(website.pk)}).status_code == 302
    assert client.post(url, {"choice": str(donations.pk)}).status_code == 302  # replaces
    answer = PollAnswer.objects.get()
    assert list(answer.choices.all()) == [donations]
    board = client.get(f"/events/{event.pk}/board/").content.decode()
    assert "Changer ma réponse" in board and "1 réponse" in board
    projector = client.get(f"/events/{event.pk}/projector/?lang=en").content.decode()
    assert "Where to start?" in projector and "1 answer" in projector
    Poll.objects.filter(pk=poll.pk).update(status="closed")
    refused = client.post(url, {"choice": str(website.pk)}, follow=True)
    assert "This poll is closed." in refused.content.decode()  # ?lang=en stuck
    assert list(PollAnswer.objects.get().choices.all()) == [donations]


def test_word_cloud_form_and_bad_input(client, event, organizer):
    poll = Poll.objects.create(event=event, kind="words", question_fr="Un mot ?", status="open")
    join(client, event)
    url = f"/events/{event.pk}/polls/{poll.pk}/answer/"
    assert client.post(url, {"text": "Bénévoles"}).status_code == 302
    for bad in ({"text": "!!!"}, {"text": "x" * 41}, {}, {"choice": "1"}):
        assert client.post(url, bad).status_code == 302
    assert PollAnswer.objects.get().key == "benevole"
    board = client.get(f"/events/{event.pk}/board/").content.decode()
    assert 'value="Bénévoles"' in board and "bénévoles" in board


def test_creating_a_bad_poll_shows_the_errors(client, event, organizer):
    client.force_login(organizer)
    response = client.post(
        f"/events/{event.pk}/polls/new/", {"kind": "single", "question_fr": "Q", "choices_fr": "x"}
    )
    assert response.status_code == 400
    assert "Donnez entre 2 et 12 choix." in response.content.decode()
    assert not Poll.objects.exists()


def test_facilitator_runs_polls_but_does_not_moderate(client, event, organizer):
    helper = factories.make_user("helper")
    moderator_appoint(actor=organizer, event=event, user=helper, role="facilitator")
    other = factories.make_event()
    client.force_login(helper)
    assert client.get(f"/events/{event.pk}/moderate/").status_code == 403
    assert client.get(f"/events/{event.pk}/polls/").status_code == 200
    assert client.get(f"/events/{other.pk}/polls/").status_code == 403
    body = {"kind": "words", "question_fr": "Un mot ?"}
    assert client.post(f"/events/{other.pk}/polls/new/", body).status_code == 403
    assert client.post(f"/events/{event.pk}/polls/new/", body).status_code == 302
    assert "/polls/" in client.get("/me/").content.decode()
