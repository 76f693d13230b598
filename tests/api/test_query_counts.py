"""Query counts pinned for every list endpoint and the main pages: constant as rows grow.

Each URL is fetched with 1 row of everything, then with 30; the count must be the same
and equal to the pinned figure (a change in either direction should be a conscious one).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ateliers.models import Membership, Notification, Registration
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


class World:
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


@pytest.fixture
def world(organizer):
    return World(organizer)


# path, pinned number of queries (token lookup included)
API_LISTS = [
    ("/api/events/", 3),
    ("/api/events/{event}/themes/", 4),
    ("/api/events/{event}/slots/", 4),
    ("/api/events/{event}/registrations/", 4),
    ("/api/skills/", 3),
    ("/api/organizations/", 3),
    ("/api/organizations/{org}/members/", 3),
    ("/api/experts/", 4),
    ("/api/users/", 4),
    ("/api/events/calendar.ics", 2),
    ("/api/events/{event}/", 2),
]

PAGES = [
    ("/", 3),
    ("/events/", 4),
    ("/events/{event}/", 12),  # +2: projects born there, partners and sponsors (i20)
    ("/organize/", 3),
    ("/organize/events/{event}/", 6),
    ("/organize/events/{event}/registrations/", 6),
    ("/organizations/", 4),
    ("/me/", 8),  # + the rooms the account helps run (issue 18)
]


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("path", "pinned"), API_LISTS)
def test_api_list_query_counts_are_constant(world, path, pinned):
    client = token_client(world.organizer)
    url = path.format(event=world.event.pk, org=world.org.pk) + (
        "?page_size=200" if path.endswith("/") else ""
    )
    world.grow_to(1)
    one = _count(client, url)
    world.grow_to(30)
    many = _count(client, url)
    assert (one, many) == (pinned, pinned)


@pytest.mark.parametrize(("path", "pinned"), PAGES)
def test_page_query_counts_are_constant(client, world, path, pinned):
    client.force_login(world.organizer)
    url = path.format(event=world.event.pk, org=world.org.pk)
    world.grow_to(1)
    one = _count(client, url)
    world.grow_to(30)
    many = _count(client, url)
    assert (one, many) == (pinned, pinned)
