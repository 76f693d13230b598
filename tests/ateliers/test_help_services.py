"""Services for help requests, called directly (the API tests go through HTTP)."""

from __future__ import annotations

import pytest
from django.core import mail

from ateliers.exceptions import Conflict, Forbidden
from ateliers.models import HelpRequest, Notification
from ateliers.services import help as help_services
from ateliers.services.notifications import deliver
from tests import factories

pytestmark = pytest.mark.django_db


def test_delivery_twice_emails_once(org, member, expert, django_capture_on_commit_callbacks):
    request = factories.make_help_request(org, skills=["accessibility"])
    with django_capture_on_commit_callbacks(execute=True):
        help_services.help_request_claim(actor=expert, help_request=request)
    ids = list(Notification.objects.values_list("id", flat=True))
    assert len(mail.outbox) == 1
    deliver(ids)
    assert len(mail.outbox) == 1
    assert Notification.objects.get(pk=ids[0]).emailed_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(org, expert):
    request = factories.make_help_request(org, skills=["accessibility"])
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        help_services.help_request_claim(actor=expert, help_request=request)
        raise RuntimeError
    request.refresh_from_db()
    assert request.status == "open"
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_stale_object_cannot_double_claim(org, expert):
    request = factories.make_help_request(org, skills=["accessibility"])
    stale = HelpRequest.objects.get(pk=request.pk)
    help_services.help_request_claim(actor=expert, help_request=request)
    with pytest.raises(Conflict):
        help_services.help_request_claim(actor=factories.make_expert(), help_request=stale)


def test_release_by_a_stale_claimer_is_refused(org, expert, organizer):
    request = factories.make_help_request(org, skills=["accessibility"])
    help_services.help_request_claim(actor=expert, help_request=request)
    stale = HelpRequest.objects.get(pk=request.pk)
    help_services.help_request_release(actor=organizer, help_request=request)
    other = factories.make_expert()
    help_services.help_request_claim(actor=other, help_request=request)
    # ``stale`` still says ``expert`` holds it: the conditional update refuses
    with pytest.raises((Conflict, Forbidden)):
        help_services.help_request_resolve(actor=expert, help_request=stale)
    request.refresh_from_db()
    assert (request.status, request.claimed_by) == ("claimed", other)


def test_resolved_request_cannot_be_edited(org, member, expert, organizer):
    request = factories.make_help_request(org, skills=["accessibility"])
    help_services.help_request_claim(actor=expert, help_request=request)
    help_services.help_request_resolve(actor=expert, help_request=request)
    with pytest.raises(Conflict):
        help_services.help_request_update(actor=member, help_request=request, title="x")
