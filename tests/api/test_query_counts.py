"""Query counts of the hot services, pinned in ``query_counts.json`` by ``assert_queries``
(joining a board, posting an idea, voting, commenting, claiming a help request, and the
socket's hello/welcome read at 1 and at 30 ideas). Every list endpoint and main page:
``test_query_count_table.py``.
"""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(event):
    """An open board with one idea by a guest, and a second guest."""
    from ateliers.services.board import participant_join

    author = participant_join(code=event.join_code, display_name="Autrice")
    idea = factories.post_idea(author, "Des rampes d'accès")
    voter = participant_join(code=event.join_code, display_name="Votante")
    return event, author, voter, idea


def test_join_query_count(board):
    from ateliers.services.board import participant_join

    event, *_ = board
    with assert_queries("service participant_join"):
        participant_join(code=event.join_code, display_name="Nouvelle")


def test_post_idea_query_count(board):
    from ateliers.services.board import idea_post

    _, author, _, _ = board
    with assert_queries("service idea_post"):
        _idea, created = idea_post(participant=author, text="Une deuxième idée", client_id=uuid4())
    assert created


def test_vote_query_count(board):
    from ateliers.services.board import vote_set

    _, _, voter, idea = board
    with assert_queries("service vote_set"):
        vote_set(participant=voter, idea=idea, value=1)


def test_comment_query_count(board):
    from ateliers.services.board import comment_post

    _, _, voter, idea = board
    with assert_queries("service comment_post"):
        _comment, created = comment_post(
            participant=voter, idea=idea, text="Et des ascenseurs", client_id=uuid4()
        )
    assert created


def test_claim_query_count(db):
    from ateliers.services.help import help_request_claim

    help_request = factories.make_help_request(factories.make_org("Centre"))
    expert = factories.make_expert("claimeuse", skills=["accessibility"])
    with assert_queries("service help_request_claim"):
        help_request_claim(actor=expert, help_request=help_request)


@pytest.mark.parametrize("since", [None, 0], ids=["snapshot", "catch-up"])
def test_hello_query_count_is_constant(board, since):
    """The welcome a socket gets (snapshot, or the log since a seq): the same count with
    1 idea as with 30."""
    from ateliers import consumers
    from ateliers.services.board import participant_token

    event, author, _, _ = board
    name = f"hello {'snapshot' if since is None else 'catch-up'}"
    token = participant_token(author)

    def hello():
        # A hello flushes pending vote tallies at most once a second per event: forget
        # the last flush, so each hello here counts it (not the clock).
        consumers._hello_flushes.clear()
        consumers.hello_sync(event_id=event.pk, token=token, since=since, scope_user=None)

    with assert_queries(name):
        hello()
    for i in range(29):
        factories.post_idea(factories.make_participant(event, f"P{i}"), f"Idée {i}")
    with assert_queries(name):
        hello()
