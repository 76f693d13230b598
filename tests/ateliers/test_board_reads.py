"""The anonymous board read (issue 14): one build per board ``seq`` serves everyone until
the next change, so a crowd of readers costs a handful of small queries each."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


def queries_of(url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as ctx:
        response = APIClient().get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("ideas", [3, 250])
def test_repeated_reads_at_one_seq_do_not_rebuild(event, ideas):
    author = factories.make_participant(event, "A")
    for i in range(ideas):
        factories.post_idea(author, f"idée {i}")
    url = f"/api/events/{event.pk}/board/"
    first, body = queries_of(url)
    again, same = queries_of(url)
    assert same == body
    # a small board fits in its head; a bigger one starts with what a screen shows
    assert len(body["snapshot"]["ideas"]) == (ideas if ideas < 200 else 10)
    assert again < first and again <= 5  # event, vote flush check, seq, themes, no ideas
    factories.post_idea(author, "nouvelle")
    _count, after = queries_of(url)
    assert after["seq"] == body["seq"] + 1
