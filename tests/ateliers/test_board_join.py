"""Joining at a venue (issue 14): every phone comes from one public address. Right codes
are never refused for the address alone; wrong codes are what gets limited; the same
browser joining again is the same guest (so re-joining is no way to vote twice)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ateliers.models import Participant
from tests import factories
from tests.helpers import throttle_rates

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(monkeypatch):
    """Throttle rates for this test (the classes read them once, at import)."""
    return throttle_rates(monkeypatch)


def join(client, code, name="Invitée", addr="203.0.113.7"):
    return client.post(
        "/api/join/", {"code": code, "display_name": name}, format="json", REMOTE_ADDR=addr
    )


def test_a_thousand_phones_behind_one_address_all_join(event):
    """The default rates, as deployed: 1,000 joins from one address within a minute."""
    statuses = [join(APIClient(), event.join_code, f"P{i}").status_code for i in range(1000)]
    assert statuses.count(201) == 1000
    assert Participant.objects.filter(event=event).count() == 1000


def test_wrong_codes_are_limited_per_address(event, rates):
    rates["join"] = "5/min"
    client = APIClient()
    statuses = [join(client, f"ZZZZZ{i}").status_code for i in range(6)]
    assert statuses == [404] * 5 + [429]
    # the right code from elsewhere is not affected; nor are right codes counted
    other = [join(APIClient(), event.join_code, addr="198.51.100.1").status_code for _ in range(9)]
    assert other == [201] * 9


def test_joins_per_address_and_code_have_a_slow_ceiling(event, rates):
    rates["join_code"] = "3/hour"
    statuses = [join(APIClient(), event.join_code).status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    assert join(APIClient(), event.join_code, addr="198.51.100.2").status_code == 201


def test_the_same_browser_joining_again_is_the_same_guest_and_votes_once(event):
    author = factories.make_participant(event, "Autrice")
    idea = factories.post_idea(author)
    browser = APIClient()  # keeps its cookies, like a phone's browser
    first = join(browser, event.join_code, "Léa")
    assert first.status_code == 201 and first.cookies["livinglab_device"]["httponly"]
    second = join(browser, event.join_code, "Léa bis")
    assert second.status_code == 201
    assert second.json()["participant"] == first.json()["participant"]
    for body in (first.json(), second.json()):
        voter = APIClient()
        voter.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
        assert voter.post(f"/api/ideas/{idea.pk}/vote/").status_code == 200
    idea.refresh_from_db()
    assert idea.votes == 1
    # another phone (no cookie) is another guest
    assert join(APIClient(), event.join_code).json()["participant"] != first.json()["participant"]


def test_the_join_page_keeps_the_browser_too(client, event):
    for name in ("Léa", "Léa encore"):
        response = client.post("/join/", {"code": event.join_code, "display_name": name})
        assert response.status_code == 200 and b"data-board" in response.content  # the board
    assert Participant.objects.filter(event=event).count() == 1
