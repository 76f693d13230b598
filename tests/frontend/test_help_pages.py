"""Help-request pages without JavaScript: plain forms and redirects, through the services."""

from __future__ import annotations

import pytest
from django.test import Client

from ateliers.models import HelpRequest, Notification
from tests import factories
from tests.helpers import assert_queries

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_need_an_account(client):
    for path in ("/help/", "/help/new/", "/expert/", "/notifications/"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_member_asks_for_help_then_edits(org, member):
    factories.make_skill("accessibility")
    client = _client(member)
    assert client.get("/help/new/").status_code == 200
    response = client.post(
        "/help/new/",
        {
            "organization": org.pk,
            "title": "Site inaccessible",
            "description": "Lecteurs d'écran",
            "skills": ["accessibility"],
            "language": "fr",
            "urgency": "high",
            "format": "remote",
        },
    )
    request = HelpRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/help/{request.pk}/"
    page = client.get(f"/help/{request.pk}/")
    assert "Site inaccessible" in page.content.decode()
    response = client.post(
        f"/help/{request.pk}/edit/",
        {"title": "Site enfin accessible", "language": "fr", "urgency": "low", "format": "either"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.title, request.urgency) == ("Site enfin accessible", "low")


def test_bad_form_input_is_shown_not_a_crash(org, member):
    client = _client(member)
    response = client.post("/help/new/", {"organization": org.pk, "title": "", "language": "zz"})
    assert response.status_code == 200
    assert HelpRequest.objects.count() == 0
    other = factories.make_org("Ailleurs")
    response = client.post("/help/new/", {"organization": other.pk, "title": "x", "language": "fr"})
    assert response.status_code == 200  # not one of the member's organisations
    assert HelpRequest.objects.count() == 0


def test_expert_claims_from_the_dashboard_and_follows_through(org, member, expert):
    request = factories.make_help_request(org, skills=["accessibility"])
    client = _client(expert)
    dashboard = client.get("/expert/?lang=en").content.decode()
    assert request.title in dashboard
    assert "covers Accessibility" in dashboard
    response = client.post(f"/help/{request.pk}/claim/", {"next": "expert"})
    assert response.status_code == 302 and response["Location"] == "/expert/"
    request.refresh_from_db()
    assert request.status == "claimed" and request.claimed_by == expert
    assert request.title in client.get("/expert/").content.decode()  # in "my claims"
    client.post(f"/help/{request.pk}/start/")
    client.post(f"/help/{request.pk}/message/", {"text": "J'arrive à 14 h"})
    client.post(f"/help/{request.pk}/resolve/", {"note": "Formulaires corrigés"})
    request.refresh_from_db()
    assert request.status == "resolved"
    page = _client(member).get(f"/help/{request.pk}/").content.decode()
    assert "J&#x27;arrive à 14 h" in page
    assert "Formulaires corrigés" in page
    assert expert.email in page  # the organisation sees its expert's contact


def test_second_claim_gets_a_clear_message(org, expert):
    request = factories.make_help_request(org, skills=["accessibility"])
    _client(expert).post(f"/help/{request.pk}/claim/")
    late = _client(factories.make_expert("late"))
    response = late.post(f"/help/{request.pk}/claim/?lang=en", follow=True)
    assert "Another expert has already claimed this request." in response.content.decode()


def test_member_sees_no_claim_button_and_cannot_claim(org, member):
    request = factories.make_help_request(org, skills=["accessibility"])
    client = _client(member)
    assert "/claim/" not in client.get(f"/help/{request.pk}/").content.decode()
    client.post(f"/help/{request.pk}/claim/")
    request.refresh_from_db()
    assert request.status == "open"


def test_partner_sees_no_contact_details(org, member, partner):
    request = factories.make_help_request(org, skills=["accessibility"], created_by=member)
    page = _client(partner).get(f"/help/{request.pk}/").content.decode()
    assert member.email not in page
    assert "Messages" not in page


def test_list_filters_with_the_shared_filterset(org, member):
    factories.make_help_request(org, title="Urgent CRM", skills=["crm"], urgency="high")
    factories.make_help_request(org, title="Calm site", skills=["wordpress"], urgency="low")
    client = _client(member)
    page = client.get("/help/?urgency=high").content.decode()
    assert "Urgent CRM" in page and "Calm site" not in page
    page = client.get("/help/?skill=wordpress").content.decode()
    assert "Calm site" in page and "Urgent CRM" not in page
    assert client.get("/help/?status=bogus&event=abc").status_code == 200


def test_notifications_page_marks_read(org, member, expert, django_capture_on_commit_callbacks):
    request = factories.make_help_request(org, skills=["accessibility"])
    with django_capture_on_commit_callbacks(execute=True):
        _client(expert).post(f"/help/{request.pk}/claim/")
    client = _client(member)
    assert request.title in client.get("/notifications/").content.decode()
    client.post("/notifications/")
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()


@pytest.mark.parametrize("rows", [1, 10])
def test_list_page_query_count_is_constant(org, member, rows):
    event = factories.make_event()
    for _ in range(rows):
        factories.make_help_request(org, skills=["crm", "privacy"], event=event)
    client = _client(member)
    # session, user, roles, count, rows, skills, filter form choices…
    with assert_queries("page help requests as a member"):
        assert client.get("/help/").status_code == 200
