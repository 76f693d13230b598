"""Hidden is gone (issue 14): once an idea is hidden, no replay (``since``, however old,
even from before the idea), snapshot, part, export or page gives its text, its author
or the comments on it to anyone but the moderators."""

from __future__ import annotations

import json
import uuid

import pytest

from ateliers.models import BoardEvent
from ateliers.selectors.board import board_events_since, board_snapshot
from ateliers.services import board as svc
from tests import factories

SECRET = "Texte secret à cacher"
COMMENT = "Commentaire sous l'idée cachée"
AUTHOR = "Autrice Discrète"


@pytest.fixture
def hidden_idea(event, organizer):
    before = svc.votes_flush(event_id=event.pk)  # nothing: the board is empty (seq 0)
    assert before is None
    author = factories.make_participant(event, AUTHOR)
    other = factories.make_participant(event, "Voisin")
    factories.post_idea(other, "Une idée visible")
    idea = factories.post_idea(author, SECRET)
    svc.comment_post(participant=other, idea=idea, text=COMMENT, client_id=uuid.uuid4())
    svc.idea_edit(participant=author, idea=idea, text=SECRET + " (modifié)")
    svc.vote_set(participant=other, idea=idea, value=1)
    svc.votes_flush(event_id=event.pk)
    svc.idea_moderate(actor=organizer, idea=idea, action="hide")
    return idea


def leaks(value) -> list[str]:
    text = json.dumps(value, ensure_ascii=False)
    return [word for word in (SECRET, COMMENT, AUTHOR) if word in text]


def test_the_log_itself_is_rewritten_every_since_is_clean(event, hidden_idea):
    assert leaks(list(BoardEvent.objects.values("type", "payload"))) == []
    last = board_events_since(event, 0, limit=1000)[-1]["seq"]
    for since in range(last + 1):  # including every seq before the idea existed
        assert leaks(board_events_since(event, since, limit=1000)) == []
    assert leaks(board_snapshot(event)) == []
    assert hidden_idea.pk not in [i["id"] for i in board_snapshot(event)["ideas"]]


def test_http_replays_parts_exports_and_page_are_clean(client, api, event, hidden_idea):
    for since in (None, 0, 1, 2, 3):
        query = "" if since is None else f"?since={since}"
        body = api.get(f"/api/events/{event.pk}/board/{query}").json()
        assert leaks(body) == [], since
    guest = factories.make_participant(event, "Curieux")
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {svc.participant_token(guest)}")
    assert leaks(api.get(f"/api/events/{event.pk}/board/?since=0").json()) == []
    for path in ("ideas/export.csv", "ideas/export.json", "ideas/"):
        response = api.get(f"/api/events/{event.pk}/{path}")
        assert response.status_code == 200
        content = b"".join(response.streaming_content) if response.streaming else response.content
        assert leaks(content.decode()) == [], path
    page = client.get(f"/events/{event.pk}/board/")
    assert page.status_code == 200 and leaks(page.content.decode()) == []


def test_shown_again_the_idea_and_its_comments_come_back_in_order(event, organizer, hidden_idea):
    seq = board_events_since(event, 0, limit=1000)[-1]["seq"]
    svc.idea_moderate(actor=organizer, idea=hidden_idea, action="show")
    events = board_events_since(event, seq, limit=1000)
    assert [e["type"] for e in events] == ["idea.updated", "comment.created"]
    assert events[0]["idea"]["text"].startswith(SECRET)
    assert events[1]["comment"]["text"] == COMMENT
    assert [c["text"] for c in board_snapshot(event)["comments"]] == [COMMENT]


def test_moderators_still_see_the_hidden_idea(as_user, organizer, event, hidden_idea):
    response = as_user(organizer).get(f"/api/events/{event.pk}/ideas/?status=hidden")
    assert [i["text"] for i in response.json()["results"]] == [SECRET + " (modifié)"]
