"""The e-mail queue against a real SMTP server on loopback: down, then up.

A notification made while the server is down is kept with its next attempt pushed back;
once the server is up the worker sends it, exactly once, with the SITE_URL link.
"""

from __future__ import annotations

import contextlib
import socket
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.utils import timezone

from ateliers.models import OutgoingEmail
from ateliers.services import help as help_services
from ateliers.services import outbox
from tests import factories

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 5
    settings.EMAIL_QUEUE = {"SEND_ON_COMMIT": False}
    settings.SITE_URL = "https://atelier.example.org"
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    with contextlib.suppress(AssertionError):  # never started
        controller.stop()


def test_a_mail_outage_loses_nothing(smtp, org, member, expert, django_capture_on_commit_callbacks):
    controller, inbox = smtp
    request = factories.make_help_request(org)
    with django_capture_on_commit_callbacks(execute=True):
        help_services.help_request_claim(actor=expert, help_request=request)
    mail = OutgoingEmail.objects.get()
    assert mail.to == [member.email] and mail.status == "pending"

    # the server is down: the attempt fails, the message waits with a growing delay
    assert outbox.drain() == {"sent": 0, "failed": 1}
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("pending", 1)
    assert mail.next_attempt_at > timezone.now()
    assert "refused" in mail.last_error.lower() or "connect" in mail.last_error.lower()
    assert outbox.drain() == {"sent": 0, "failed": 0}  # not due yet
    later = timezone.now() + timedelta(seconds=31)
    assert outbox.drain(now=later) == {"sent": 0, "failed": 1}
    mail.refresh_from_db()
    assert mail.attempts == 2
    assert mail.next_attempt_at - later == timedelta(seconds=60)  # doubled

    # the server comes back: the worker sends it once, with the site's address
    controller.start()
    call_command("send_queued_mail", verbosity=0)  # not due yet: nothing
    assert inbox.messages == []
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    call_command("send_queued_mail", verbosity=0)
    call_command("send_queued_mail", verbosity=0)
    assert len(inbox.messages) == 1
    to, content = inbox.messages[0]
    assert to == [member.email]
    assert f"https://atelier.example.org/help/{request.pk}/" in content
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == ("sent", 3)


def test_given_up_after_the_last_attempt_then_retried(smtp, settings, member):
    controller, inbox = smtp
    settings.EMAIL_QUEUE = {"SEND_ON_COMMIT": False, "MAX_ATTEMPTS": 2}
    outbox.enqueue(to=[member.email], subject="Bonjour", body="Texte", recipient=member)
    outbox.drain()
    outbox.drain(now=timezone.now() + timedelta(hours=1))
    assert OutgoingEmail.objects.get().status == "failed"
    with pytest.raises(SystemExit):  # the cron job's failure is seen
        call_command("send_queued_mail", verbosity=0)
    controller.start()
    call_command("send_queued_mail", "--retry-failed", verbosity=0)
    assert len(inbox.messages) == 1
    assert OutgoingEmail.objects.get().status == "sent"


def test_sent_messages_are_purged_after_a_week(member):
    mail = outbox.enqueue(to=[member.email], subject="S", body="B", recipient=member)
    OutgoingEmail.objects.filter(pk=mail.pk).update(
        status="sent", sent_at=timezone.now() - timedelta(days=8)
    )
    assert outbox.purge_sent() == 1
    assert not OutgoingEmail.objects.exists()


def test_two_workers_never_send_the_same_message(member, settings):
    """The claim is a compare-and-set: a row locked by one worker is skipped by another."""
    settings.EMAIL_QUEUE = {"SEND_ON_COMMIT": False}
    from django.core import mail

    row = outbox.enqueue(to=[member.email], subject="S", body="B", recipient=member)
    OutgoingEmail.objects.filter(pk=row.pk).update(
        locked_until=timezone.now() + timedelta(minutes=1)
    )
    assert outbox.drain() == {"sent": 0, "failed": 0}
    assert mail.outbox == []
    OutgoingEmail.objects.filter(pk=row.pk).update(locked_until=None)
    assert outbox.drain() == {"sent": 1, "failed": 0}
    assert outbox.drain() == {"sent": 0, "failed": 0}
    assert len(mail.outbox) == 1
