"""Help desk pages (issue 19): the organizer's figures, the live dashboard's slot, the
header's unread badge (filled by the live script, no query of its own)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_organizers_see_the_help_desk_figures_and_others_do_not(organizer, expert):
    event = factories.make_event(created_by=organizer)
    org = factories.make_org("Cuisine collective")
    factories.make_help_request(org, event=event)
    response = _client(organizer).get(f"/organize/events/{event.pk}/help/?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-stat="open">1<' in html
    assert f"/api/events/{event.pk}/help-stats/" in html
    assert _client(expert).get(f"/organize/events/{event.pk}/help/").status_code == 403
    assert Client().get(f"/organize/events/{event.pk}/help/").status_code == 302


def test_every_page_of_a_logged_in_person_carries_the_badge_and_its_script(member):
    response = _client(member).get("/events/?lang=en")
    html = response.content.decode()
    assert "data-unread-badge" in html and "frontend/js/notifications.js" in html
    anonymous = Client().get("/events/?lang=en").content.decode()
    assert "data-unread-badge" not in anonymous and "notifications.js" not in anonymous


def test_the_expert_dashboard_has_a_live_list(expert):
    html = _client(expert).get("/expert/?lang=en").content.decode()
    assert "data-live-requests" in html and "data-live-request-list" in html
