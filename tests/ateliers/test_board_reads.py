"""The anonymous board read (issue 14): one build per board ``seq`` serves everyone until
the next change, so a crowd of readers costs a handful of small queries each."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests import factories
from tests.helpers import assert_queries, capture_queries

pytestmark = pytest.mark.django_db


def read(url: str) -> dict:
    response = APIClient().get(url)
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("ideas", [3, 250])
def test_repeated_reads_at_one_seq_do_not_rebuild(event, ideas):
    author = factories.make_participant(event, "A")
    for i in range(ideas):
        factories.post_idea(author, f"idée {i}")
    url = f"/api/events/{event.pk}/board/"
    with capture_queries() as first:
        body = read(url)
    # event, vote flush check, seq, themes, no ideas
    with assert_queries("event-board again at an unchanged seq", at_most=True) as again:
        same = read(url)
    assert same == body
    # a small board fits in its head; a bigger one starts with what a screen shows
    assert len(body["snapshot"]["ideas"]) == (ideas if ideas < 200 else 10)
    assert len(again) < len(first)
    factories.post_idea(author, "nouvelle")
    after = read(url)
    assert after["seq"] == body["seq"] + 1
