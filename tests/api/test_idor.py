"""IDOR: changing ids in URLs and bodies across organisations and events is refused.

Org A (member ``alice``) and org B (member ``bob``); events A and B, each with a guest.
Every attempt must be refused (403/404, or 400 when the foreign id is in the body) and
leave the other side's data unchanged.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from ateliers.models import HelpRequest, Idea
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db
REFUSED = {400, 403, 404, 405}  # 405: no such write at all (help requests are not deleted)


@pytest.fixture
def two():
    org_a, org_b = factories.make_org("A"), factories.make_org("B")
    alice, bob = factories.make_member(org_a, "alice"), factories.make_member(org_b, "bob")
    event_a, event_b = factories.make_event(), factories.make_event()
    theme_b = event_b.themes.create(name_fr="Thème B")
    guest_a = APIClient()
    token = guest_a.post(
        "/api/join/", {"code": event_a.join_code, "display_name": "GA"}, format="json"
    ).json()["token"]
    guest_a.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    idea_b = factories.post_idea(factories.make_participant(event_b, "GB"), "Idée B")
    help_b = factories.make_help_request(org_b)
    reg_b = event_a.registrations.create(role="organization", organization=org_b, user=bob)
    private_b = factories.make_project(visibility="private", organizations=[org_b])
    return locals()


def test_member_of_a_cannot_edit_bs_help_request(two):
    client = token_client(two["alice"])
    url = f"/api/help-requests/{two['help_b'].pk}/"
    assert client.patch(url, {"title": "Pris"}, format="json").status_code in REFUSED
    assert client.delete(url).status_code in REFUSED
    assert client.post(url + "messages/", {"text": "x"}, format="json").status_code in REFUSED
    two["help_b"].refresh_from_db()
    assert two["help_b"].title != "Pris"
    assert HelpRequest.objects.filter(pk=two["help_b"].pk).exists()


def test_member_of_a_cannot_file_a_request_for_b(two):
    body = {"organization": two["org_b"].pk, "title": "Au nom de B", "description": "x"}
    response = token_client(two["alice"]).post("/api/help-requests/", body, format="json")
    assert response.status_code in REFUSED
    assert not HelpRequest.objects.filter(title="Au nom de B").exists()


def test_member_of_a_cannot_touch_bs_registration(two):
    client = token_client(two["alice"])
    url = f"/api/events/{two['event_a'].pk}/registrations/{two['reg_b'].pk}/"
    assert client.patch(url, {"available": []}, format="json").status_code in REFUSED
    assert client.delete(url).status_code in REFUSED
    assert two["event_a"].registrations.filter(pk=two["reg_b"].pk).exists()
    body = {"role": "organization", "organization": two["org_b"].pk}
    response = client.post(f"/api/events/{two['event_b'].pk}/registrations/", body)
    assert response.status_code in REFUSED


def test_member_of_a_cannot_see_or_edit_bs_private_project(two):
    client = token_client(two["alice"])
    url = f"/api/projects/{two['private_b'].pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"summary_fr": "x"}, format="json").status_code in REFUSED
    assert client.get(url + "updates/").status_code == 404
    response = client.post(url + "team/", {"user": two["alice"].pk}, format="json")
    assert response.status_code in REFUSED


def test_guest_of_event_a_cannot_write_on_event_b(two):
    guest, event_b, idea_b = two["guest_a"], two["event_b"], two["idea_b"]
    response = guest.post(f"/api/events/{event_b.pk}/ideas/", {"text": "Intrus"}, format="json")
    assert response.status_code in REFUSED
    assert guest.post(f"/api/ideas/{idea_b.pk}/vote/").status_code in REFUSED
    response = guest.post(f"/api/ideas/{idea_b.pk}/comments/", {"text": "x"}, format="json")
    assert response.status_code in REFUSED
    assert not Idea.objects.filter(text="Intrus").exists()
    idea_b.refresh_from_db()
    assert idea_b.votes == 0 and idea_b.comments.count() == 0


def test_a_theme_of_another_event_is_refused_in_the_body(two):
    guest, event_a = two["guest_a"], two["event_a"]
    body = {"text": "Mauvais thème", "theme": two["theme_b"].pk}
    response = guest.post(f"/api/events/{event_a.pk}/ideas/", body, format="json")
    assert response.status_code == 400
    assert not Idea.objects.filter(text="Mauvais thème").exists()


def test_organizer_cannot_post_a_theme_into_another_event_by_url(two, organizer):
    client = token_client(organizer)
    theme_b = two["theme_b"]
    url = f"/api/events/{two['event_a'].pk}/themes/{theme_b.pk}/"
    assert client.patch(url, {"name_fr": "Détourné"}, format="json").status_code == 404
    theme_b.refresh_from_db()
    assert theme_b.name_fr == "Thème B"
