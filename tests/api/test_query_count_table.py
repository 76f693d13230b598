"""One table of pinned query counts for every list endpoint (``query_counts.json``, like
NetBox's): each is fetched with 1 row of everything, then with 30; both counts must equal
the pinned figure. A list route of the router without a row fails the coverage test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.urls import reverse

from tests.api.test_permissions import api_routes
from tests.api.test_query_counts import World, _count
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

TABLE = json.loads((Path(__file__).parent / "query_counts.json").read_text())
ROWS = [(name, row["path"], row["queries"]) for name, row in sorted(TABLE.items())]


def test_every_list_route_has_a_pinned_count():
    lists = {name for name, method in api_routes() if name.endswith("-list") and method == "GET"}
    assert not lists - set(TABLE), sorted(lists - set(TABLE))


@pytest.mark.parametrize(("name", "path", "pinned"), ROWS, ids=[r[0] for r in ROWS])
def test_list_query_count_is_pinned_and_constant(organizer, name, path, pinned):
    world = World(organizer)
    url = path.format(**world.ids())
    assert url.split("?")[0] == reverse(f"api:{name}", kwargs=_kwargs(url, name))
    client = token_client(organizer)
    world.grow_to(1)
    one = _count(client, url)
    world.grow_to(30)
    many = _count(client, url)
    assert (one, many) == (pinned, pinned), f"{name}: 1 row → {one}, 30 rows → {many}"


def _kwargs(url: str, name: str) -> dict:
    from django.urls import resolve

    return resolve(url.split("?")[0]).kwargs
