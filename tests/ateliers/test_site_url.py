"""SITE_URL: the address of every e-mailed link and calendar feed, checked at deploy."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ateliers.services import help as help_services
from tests import factories

pytestmark = pytest.mark.django_db


def test_site_url_is_in_the_sent_email(
    settings, org, member, expert, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://atelier.example.org"
    request = factories.make_help_request(org)
    with django_capture_on_commit_callbacks(execute=True):
        help_services.help_request_claim(actor=expert, help_request=request)
    assert len(mail.outbox) == 1
    assert f"https://atelier.example.org/help/{request.pk}/" in mail.outbox[0].body
    assert "127.0.0.1" not in mail.outbox[0].body


def test_site_url_in_calendar_feeds(settings, client):
    settings.SITE_URL = "https://atelier.example.org"
    event = factories.make_event()
    feed = client.get(f"/api/events/{event.pk}/calendar.ics").content.decode()
    assert f"https://atelier.example.org/events/{event.pk}/" in feed.replace("\r\n ", "")
    assert f"UID:event-{event.pk}@atelier.example.org" in feed


def test_check_deploy_warns_without_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = ""
    with pytest.raises(SystemCheckError, match=r"livinglab\.W001"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["security"])
    settings.SITE_URL = "https://atelier.example.org/some/path"
    with pytest.raises(SystemCheckError, match=r"livinglab\.W002"):
        call_command("check", deploy=True, fail_level="WARNING", tags=["security"])
