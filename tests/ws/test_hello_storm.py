"""``hello`` cheap enough for a connect storm (issue 14): a new guest at a seq already
served costs two queries (its participant, seq and "has it voted"; its event), and a
batch of hellos the same two; the head and the themes come from the cache, per seq and
language, and a theme change is seen."""

from __future__ import annotations

import time

import pytest
from django.utils import translation

from ateliers import consumers
from ateliers.services.board import participant_token, vote_set
from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def room():
    event = factories.make_event(created_by=factories.make_organizer())
    event.themes.create(name_fr="Mobilité", name_en="Mobility")
    author = factories.make_participant(event, "Autrice")
    for i in range(5):
        factories.post_idea(author, f"Idée {i}")
    consumers._hello_flushes.clear()
    return event, author


def _hello(event, participant, since=None) -> dict:
    return consumers.hello_sync(
        event_id=event.pk, token=participant_token(participant), since=since, scope_user=None
    )


def test_a_storm_of_new_guests_costs_two_queries_per_hello(room):
    event, author = room
    _hello(event, author)  # the first at this seq builds the head (and flushes tallies)
    guests = [factories.make_participant(event, f"Téléphone {i}") for i in range(3)]
    for guest in guests:
        with assert_queries("hello storm"):
            welcome = _hello(event, guest)["welcome"]
        assert welcome["participant"]["id"] == guest.pk
        assert welcome["snapshot"]["my_votes"] == []
        assert len(welcome["snapshot"]["ideas"]) == 5


def test_a_guest_who_voted_gets_its_votes_with_one_more_query(room):
    event, author = room
    voter = factories.make_participant(event, "Votante")
    idea = event.ideas.first()
    vote_set(participant=voter, idea=idea, value=1)
    _hello(event, author)
    with assert_queries("hello storm, a guest who voted"):
        welcome = _hello(event, voter)["welcome"]
    assert welcome["snapshot"]["my_votes"] == [idea.pk]


def test_a_reconnect_that_is_up_to_date_costs_no_more(room):
    event, author = room
    seq = _hello(event, author)["welcome"]["seq"]
    with assert_queries("hello storm, reconnect up to date"):
        result = _hello(event, author, since=seq)
    assert result["welcome"]["seq"] == seq
    assert result["events"] == []
    assert result["welcome"]["snapshot"] is None


def test_a_theme_renamed_is_in_the_next_hello_and_themes_follow_the_language(room):
    event, author = room
    assert [t["name"] for t in _hello(event, author)["welcome"]["snapshot"]["themes"]] == [
        "Mobilité"
    ]
    with translation.override("en"):
        themes = _hello(event, author)["welcome"]["snapshot"]["themes"]
    assert [t["name"] for t in themes] == ["Mobility"]
    theme = event.themes.get()
    theme.name_fr = "Déplacements"
    theme.save()
    event.themes.create(name_fr="Santé", position=5)
    names = [t["name"] for t in _hello(event, author)["welcome"]["snapshot"]["themes"]]
    assert names == ["Déplacements", "Santé"]


def test_a_batch_of_hellos_costs_two_queries_and_each_gets_its_own_welcome(room):
    """What the board's thread runs for hellos that queued together (``hello_many``):
    every size up to the largest compiled one, and past it (two chunks of keys)."""
    event, author = room
    _hello(event, author)
    other = factories.make_event(created_by=factories.make_organizer())
    stranger = factories.make_participant(other, "Ailleurs")
    erased = factories.make_participant(event, "Effacée")
    erased.erased_at = erased.created_at
    erased.save()
    guests = [factories.make_participant(event, f"Téléphone {i}") for i in range(300)]
    # two queries per batch up to 256 guests (three past it), and one more per token that
    # is no guest's (an account's API token is looked for)
    for size, name in ((1, ""), (3, ""), (17, ""), (254, ""), (300, " past 256 guests")):
        consumers._hello_flushes[event.pk] = time.monotonic()  # no tally check counted
        batch = guests[:size]
        requests = [
            {"event_id": event.pk, "token": participant_token(g), "since": None, "scope_user": None}
            for g in batch
        ]
        requests += [
            {"event_id": event.pk, "token": participant_token(stranger), "since": None},
            {"event_id": event.pk, "token": participant_token(erased), "since": None},
            {"event_id": event.pk, "token": "forged", "since": None},
        ]
        for request in requests[-3:]:
            request["scope_user"] = None
        with assert_queries("hello batch" + name):
            results = consumers.hello_many(requests)
        welcomes = [r["welcome"] for r in results[:size]]
        assert [w["participant"]["id"] for w in welcomes] == [g.pk for g in batch]
        assert all(w["snapshot"]["my_votes"] == [] for w in welcomes)
        assert all(len(w["snapshot"]["ideas"]) == 5 for w in welcomes)
        refused = results[size:]
        assert [type(r).__name__ for r in refused] == ["ClientError"] * 3
        assert [r.code for r in refused] == ["wrong_event", "bad_token", "bad_token"]


def test_the_welcome_spliced_from_the_shared_json_is_the_welcome(room):
    """A batch's welcomes carry the head's shared part as JSON encoded once per seq:
    parsed, each is exactly the welcome built as a dict; a new seq encodes again."""
    import json

    from ateliers.selectors import board as board_selectors

    event, author = room
    board_selectors._head_texts.clear()
    voter = factories.make_participant(event, "Votante")
    vote_set(participant=voter, idea=event.ideas.first(), value=1)
    guests = [author, voter, factories.make_participant(event, "Nouveau")]
    _hello(event, author)  # logs the vote's tally
    for seqs in (1, 2):
        consumers._hello_flushes[event.pk] = time.monotonic()  # no tally waits
        requests = [
            {"event_id": event.pk, "token": participant_token(g), "since": None, "scope_user": None}
            for g in guests
        ]
        results = consumers.hello_many(requests)
        texts = set()
        for result in results:
            text = result["snapshot_text"]
            snapshot = result["welcome"]["snapshot"]
            assert json.loads(text) == json.loads(board_selectors.dumps(snapshot))
            texts.add(text)
        assert len(texts) == 2  # the voter's own my_votes; the shared part is the same
        assert len(board_selectors._head_texts) == seqs  # encoded once per seq
        factories.post_idea(author, "Une de plus")  # the next round is at a new seq
