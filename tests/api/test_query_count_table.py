"""One table of pinned query counts (``query_counts.json``, like NetBox's) for every list
endpoint, the other hot API reads and the main pages: each is fetched with 1 row of
everything, then with 30; both counts must equal the pinned figure (a change in either
direction should be a conscious one: ``LIVINGLAB_UPDATE_QUERY_COUNTS=1`` rewrites the
table, a failure prints the SQL). A list route of the router without a row fails the
coverage test.

The world is built and grown once for the module (inside a transaction rolled back at its
end), every row fetched at 1 and at 30 rows; each row's test then checks its figures.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from ateliers.models import Membership, Notification, Registration
from tests import factories
from tests.helpers import api_routes, capture_queries, check_queries, query_counts, token_client

pytestmark = pytest.mark.django_db

TABLE = query_counts()
ROWS = [(name, row["path"]) for name, row in TABLE.items() if "path" in row]
PAGE = "page "  # rows named "page <path>" are pages, fetched signed in; the others, the API


class World:
    """One of everything a list or page shows, grown to ``n`` rows by ``grow_to(n)``."""

    def __init__(self, organizer):
        self.organizer = organizer
        self.event = factories.make_event()
        self.org = factories.make_org("Pivot", members=[organizer])
        self.project = factories.make_project(
            actor=organizer, visibility="public", organizations=[self.org]
        )
        self.guest = factories.make_participant(self.event, "Invitée")
        self.idea = factories.post_idea(self.guest, "Première idée")
        self.help = factories.make_help_request(self.org)
        self.n = 0

    def ids(self) -> dict:
        return {
            "event": self.event.pk,
            "org": self.org.pk,
            "project": self.project.pk,
            "idea": self.idea.pk,
            "help": self.help.pk,
        }

    def grow_to(self, n: int) -> None:
        start = timezone.now() + timedelta(days=1)
        for i in range(self.n, n):
            factories.make_event(starts_at=start + timedelta(days=i))
            theme = self.event.themes.create(name_fr=f"Thème {i}", position=i)
            self.event.slots.create(
                title_fr=f"Créneau {i}",
                starts_at=self.event.starts_at + timedelta(minutes=i),
                ends_at=self.event.starts_at + timedelta(minutes=i + 30),
                theme=theme,
            )
            factories.make_skill(f"skill-{i}")
            org = factories.make_org(f"Organisme {i}")
            member = factories.make_member(org, f"membre{i}")
            Membership.objects.create(user=member, organization=self.org)
            expert = factories.make_expert(f"expert{i}", skills=[f"skill-{i}", "common"])
            Registration.objects.create(
                event=self.event, role="organization", organization=org, user=member
            )
            Registration.objects.create(event=self.event, role="expert", user=expert)
            # board, help requests, projects and their children
            factories.post_idea(factories.make_participant(self.event, f"P{i}"), f"Idée {i}")
            self.idea.comments.create(participant=self.guest, text=f"Commentaire {i}")
            factories.make_help_request(org, skills=[f"skill-{i}"])
            factories.make_project(actor=self.organizer, visibility="public", organizations=[org])
            self.project.milestones.create(title=f"Jalon {i}", due_on="2030-01-01")
            self.project.updates.create(text=f"Nouvelle {i}", author=self.organizer)
            self.project.indicators.create(name=f"Indicateur {i}", target=10)
            Notification.objects.create(recipient=self.organizer, kind="claimed", title=f"N{i}")
        self.n = n


def test_every_list_route_has_a_pinned_count():
    lists = {name for name, method in api_routes() if name.endswith("-list") and method == "GET"}
    assert not lists - set(TABLE), sorted(lists - set(TABLE))


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{row name: [(status, captured queries) with 1 row, the same with 30 rows]}."""
    found: dict[str, list] = {}
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            organizer = factories.make_organizer("orga")
            world = World(organizer)
            api = token_client(organizer)
            pages = Client()
            pages.force_login(organizer)
            for rows in (1, 30):
                world.grow_to(rows)
                for name, path in ROWS:
                    cache.clear()  # as each test starts: throttle counters, snapshots
                    client = pages if name.startswith(PAGE) else api
                    with capture_queries() as ctx:
                        response = client.get(path.format(**world.ids()))
                    found.setdefault(name, []).append(
                        (response.status_code, list(ctx.captured_queries))
                    )
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
    return found


@pytest.mark.parametrize(("name", "path"), ROWS, ids=[name for name, _ in ROWS])
def test_query_count_is_pinned_and_constant(measured, name, path):
    if not name.startswith(PAGE):
        url = path.format_map(_Ids())
        assert url.split("?")[0] == reverse(f"api:{name}", kwargs=resolve(url.split("?")[0]).kwargs)
    (status_one, one), (status_many, many) = measured[name]
    assert (status_one, status_many) == (200, 200), name
    check_queries(name, one)  # 1 row of everything
    check_queries(name, many)  # 30 rows: the same count


class _Ids(dict):
    def __missing__(self, key):
        return "1"
