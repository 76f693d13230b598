"""The expert's day at the help desk (issue 19): the same expert again, ratings, the
queue's figures, and escalation of a request nobody claims (its timing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from ateliers.models import HelpRequest, HelpRequestTransition, Notification
from ateliers.services import help as services
from tests import factories
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(db):
    member = factories.make_user("membre")
    org = factories.make_org("Cuisine collective", members=[member])
    experts = [factories.make_expert(f"exp{i}", skills=["wordpress"]) for i in range(12)]
    event = factories.make_event()
    return {"member": member, "org": org, "experts": experts, "event": event}


def _create(desk, **extra):
    body = {
        "organization": desk["org"].pk,
        "title": "Site en panne",
        "skills": ["wordpress"],
        "language": "fr",
        "event": desk["event"].pk,
        **extra,
    }
    response = token_client(desk["member"]).post("/api/help-requests/", body, format="json")
    assert response.status_code == 201, response.json()
    return HelpRequest.objects.get(pk=response.json()["id"])


def _told(help_request, kind=None):
    qs = Notification.objects.filter(help_request=help_request)
    if kind:
        qs = qs.filter(kind=kind)
    return set(qs.values_list("recipient_id", flat=True))


def test_the_same_expert_again_is_offered_the_request_first(desk):
    again, other = desk["experts"][3], desk["experts"][0]
    help_request = _create(desk, expert=again.pk)
    assert help_request.offered_to == again and help_request.offered_until > timezone.now()
    assert _told(help_request) == {again.pk}  # nobody else is asked yet
    assert _told(help_request, "help.offered") == {again.pk}
    url = f"/api/help-requests/{help_request.pk}/claim/"
    response = token_client(other).post(url)
    assert response.status_code == 409 and response.json()["code"] == "offered_to_another"
    assert token_client(again).post(url).status_code == 200


def test_once_the_offer_ends_anyone_may_claim(desk):
    help_request = _create(desk, expert=desk["experts"][3].pk)
    HelpRequest.objects.filter(pk=help_request.pk).update(
        offered_until=timezone.now() - timedelta(seconds=1)
    )
    response = token_client(desk["experts"][0]).post(f"/api/help-requests/{help_request.pk}/claim/")
    assert response.status_code == 200


def test_asking_for_someone_who_is_not_an_expert_is_refused(desk):
    response = token_client(desk["member"]).post(
        "/api/help-requests/",
        {
            "organization": desk["org"].pk,
            "title": "x",
            "skills": ["wordpress"],
            "expert": desk["member"].pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "expert" in response.json()


def test_the_organisation_rates_the_help_once_resolved(desk):
    expert = desk["experts"][0]
    help_request = _create(desk)
    url = f"/api/help-requests/{help_request.pk}/rating/"
    member = token_client(desk["member"])
    assert member.post(url, {"score": 5}, format="json").status_code == 409
    token_client(expert).post(f"/api/help-requests/{help_request.pk}/claim/")
    token_client(expert).post(f"/api/help-requests/{help_request.pk}/resolve/")
    assert token_client(expert).post(url, {"score": 5}, format="json").status_code == 403
    for bad in ({"score": 0}, {"score": 6}, {"score": "top"}, {}):
        assert member.post(url, bad, format="json").status_code == 400, bad
    response = member.post(url, {"score": 4, "comment": "Merci !"}, format="json")
    assert response.status_code == 201
    assert response.json()["rating"] == {"score": 4, "comment": "Merci !"}
    response = member.post(url, {"score": 5}, format="json")
    assert response.status_code == 200 and response.json()["rating"]["score"] == 5


def test_help_stats_count_the_queue_the_wait_and_each_expert(desk):
    organizer = factories.make_organizer()
    a, b = desk["experts"][0], desk["experts"][1]
    requests = [_create(desk) for _ in range(4)]
    for help_request, expert in zip(requests[:3], (a, a, b), strict=True):
        token_client(expert).post(f"/api/help-requests/{help_request.pk}/claim/")
    token_client(a).post(f"/api/help-requests/{requests[0].pk}/resolve/")
    token_client(desk["member"]).post(
        f"/api/help-requests/{requests[0].pk}/rating/", {"score": 4}, format="json"
    )
    # the first claims came 60, 120 and 300 s after the requests were made
    for help_request, wait in zip(requests[:3], (60, 120, 300), strict=True):
        claim = HelpRequestTransition.objects.get(request=help_request, to_status="claimed")
        HelpRequest.objects.filter(pk=help_request.pk).update(
            created_at=claim.created_at - timedelta(seconds=wait)
        )
    url = f"/api/events/{desk['event'].pk}/help-stats/"
    assert token_client(a).get(url).status_code == 403
    response = token_client(organizer).get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["open"], data["claimed"], data["resolved"]) == (1, 2, 1)
    assert data["median_wait_seconds"] == pytest.approx(120, abs=1)
    experts = {row["expert"]: row for row in data["experts"]}
    assert experts[a.pk]["claimed"] == 1 and experts[a.pk]["resolved"] == 1
    assert experts[a.pk]["rating"] == 4
    assert experts[b.pk]["claimed"] == 1 and experts[b.pk]["rating"] is None


def test_escalation_tells_more_people_at_the_configured_times(desk, settings):
    settings.HELP_ESCALATION_MINUTES = (10, 25)
    settings.HELP_FITTING_EXPERTS_NOTIFIED = 5
    organizer = factories.make_organizer()
    help_request = _create(desk)
    start = help_request.created_at
    suggested = _told(help_request, "help.fits")
    assert len(suggested) == 5
    assert services.help_requests_escalate(now=start + timedelta(minutes=9, seconds=59)) == 0
    assert services.help_requests_escalate(now=start + timedelta(minutes=10)) == 1
    everyone = {e.pk for e in desk["experts"]}
    assert _told(help_request, "help.fits") == everyone
    assert Notification.objects.filter(help_request=help_request, kind="help.fits").count() == 12
    assert not _told(help_request, "help.unclaimed")
    assert services.help_requests_escalate(now=start + timedelta(minutes=24)) == 0
    call_command("escalate_help_requests", now=(start + timedelta(minutes=25)).isoformat())
    assert _told(help_request, "help.unclaimed") == {organizer.pk}
    # nobody is told twice, whatever the timer does next
    assert services.help_requests_escalate(now=start + timedelta(hours=5)) == 0
    assert Notification.objects.filter(help_request=help_request).count() == 12 + 1


def test_escalation_starts_when_an_offer_ends_and_stops_at_a_claim(desk, settings):
    settings.HELP_ESCALATION_MINUTES = (10, 25)
    settings.HELP_OFFER_MINUTES = 30
    help_request = _create(desk, expert=desk["experts"][3].pk)
    start = help_request.offered_until
    assert services.help_requests_escalate(now=start - timedelta(seconds=1)) == 0
    assert services.help_requests_escalate(now=start) == 1
    assert len(_told(help_request, "help.fits")) == 10  # the suggested experts
    assert desk["experts"][3].pk not in _told(help_request, "help.fits")
    claim = token_client(desk["experts"][3]).post(f"/api/help-requests/{help_request.pk}/claim/")
    assert claim.status_code == 200
    assert services.help_requests_escalate(now=start + timedelta(hours=1)) == 0


def test_an_organizer_expert_of_the_organisation_can_be_asked_again_as_they_can_claim(desk):
    """One rule for both: who may claim an organisation's request may be offered one by
    name. An organizer who is an expert may claim any request, even of an organisation
    they belong to; offering them a request by name was refused."""
    helper = factories.make_user("coordo", is_organizer=True, is_expert=True)
    desk["org"].memberships.create(user=helper, role="member")
    help_request = _create(desk, expert=helper.pk)
    assert help_request.offered_to == helper
    response = token_client(helper).post(f"/api/help-requests/{help_request.pk}/claim/")
    assert response.status_code == 200
    # A plain member who is an expert still cannot be asked by their own organisation.
    member_expert = factories.make_expert("membre-expert")
    desk["org"].memberships.create(user=member_expert, role="member")
    response = token_client(desk["member"]).post(
        "/api/help-requests/",
        {
            "organization": desk["org"].pk,
            "title": "x",
            "skills": ["wordpress"],
            "expert": member_expert.pk,
        },
        format="json",
    )
    assert response.status_code == 400 and "expert" in response.json()
