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


def test_an_organisation_gives_its_wishes_and_hours_from_the_page(organizer):
    from ateliers.models import Registration

    event = factories.make_event(created_by=organizer)
    member, other_member = factories.make_user(), factories.make_user()
    org = factories.make_org("Cuisine collective", members=[member, other_member])
    reg = factories.make_registration(event, user=member, role="organization", organization=org)
    expert = factories.make_expert("wisher")
    mine = factories.make_registration(event, user=expert, role="expert")
    page = _client(other_member).get(f"/events/{event.pk}/consultations/wishes/?lang=en")
    assert page.status_code == 200 and "Cuisine collective" in page.content.decode()
    response = _client(other_member).post(
        f"/events/{event.pk}/consultations/wishes/",
        {
            "registration": reg.pk,
            "max_meetings": "2",
            "available_from": "10:00",
            "available_until": "12:00",
        },
    )
    assert response.status_code == 302
    reg = Registration.objects.get(pk=reg.pk)
    assert reg.max_meetings == 2
    assert len(reg.available) == 1
    # nobody changes a registration that is not theirs
    _client(other_member).post(
        f"/events/{event.pk}/consultations/wishes/", {"registration": mine.pk, "max_meetings": "1"}
    )
    assert Registration.objects.get(pk=mine.pk).max_meetings is None
    # a half-given window is refused with a message, nothing saved
    _client(expert).post(
        f"/events/{event.pk}/consultations/wishes/",
        {"registration": mine.pk, "max_meetings": "1", "available_from": "10:00"},
    )
    assert Registration.objects.get(pk=mine.pk).max_meetings is None
