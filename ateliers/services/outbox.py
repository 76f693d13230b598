"""The e-mail queue: write the message to the database, send it from a worker, retry.

``enqueue`` is called after the change it announces commits (``notifications.deliver``);
``drain`` sends what is due (``manage.py send_queued_mail``, run as a service or from a
timer): each message is claimed with a compare-and-set on ``locked_until`` so two
workers never send the same row at once. A failure sets the next attempt after a
growing delay (``EMAIL_QUEUE["BACKOFF_SECONDS"]`` doubled each time, at most
``MAX_BACKOFF_SECONDS``); after ``MAX_ATTEMPTS`` the row is ``failed`` (kept, shown in
the admin, sent again with ``send_queued_mail --retry-failed``). Sent rows are deleted
after ``KEEP_SENT_DAYS`` (they hold addresses).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import OutgoingEmail, User

logger = logging.getLogger(__name__)

DEFAULTS = {
    "MAX_ATTEMPTS": 20,
    "BACKOFF_SECONDS": 30,
    "MAX_BACKOFF_SECONDS": 3600,
    "LOCK_SECONDS": 300,
    "KEEP_SENT_DAYS": 7,
    # Try at once after commit (still queued if it fails). Off in production, where the
    # worker sends, so a slow mail server never holds a request.
    "SEND_ON_COMMIT": False,
}


def conf(key: str):
    return {**DEFAULTS, **getattr(settings, "EMAIL_QUEUE", {})}[key]


def backoff(attempts: int) -> timedelta:
    seconds = conf("BACKOFF_SECONDS") * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, conf("MAX_BACKOFF_SECONDS")))


def enqueue(
    *, to: Iterable[str], subject: str, body: str, recipient: User | None = None
) -> OutgoingEmail:
    """Queue one message (one row); it is sent by ``drain``."""
    mail = OutgoingEmail.objects.create(
        recipient=recipient,
        to=list(to),
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=" ".join(subject.split())[:300],
        body=body,
        next_attempt_at=timezone.now(),
    )
    if conf("SEND_ON_COMMIT"):
        transaction.on_commit(lambda: drain(ids=[mail.pk]))
    return mail


def _free(now: datetime) -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lt=now)


def drain(*, now: datetime | None = None, limit: int = 200, ids=None) -> dict[str, int]:
    """Send the due messages (or only ``ids``); returns ``{"sent": n, "failed": n}``."""
    now = now or timezone.now()
    due = OutgoingEmail.objects.filter(_free(now), status=OutgoingEmail.PENDING)
    due = due.filter(next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    counts = {"sent": 0, "failed": 0}
    connection = None
    for pk in list(due.order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]):
        lock = now + timedelta(seconds=conf("LOCK_SECONDS"))
        claimed = OutgoingEmail.objects.filter(
            _free(now), pk=pk, status=OutgoingEmail.PENDING
        ).update(locked_until=lock)
        if not claimed:
            continue  # another worker has it
        mail = OutgoingEmail.objects.get(pk=pk)
        attempts = mail.attempts + 1
        try:
            if connection is None:
                connection = get_connection(fail_silently=False)
                connection.open()
            EmailMessage(
                mail.subject, mail.body, mail.from_email, mail.to, connection=connection
            ).send()
        except Exception as exc:  # noqa: BLE001 — any failure is retried later
            given_up = attempts >= conf("MAX_ATTEMPTS")
            OutgoingEmail.objects.filter(pk=pk).update(
                attempts=attempts,
                status=OutgoingEmail.FAILED if given_up else OutgoingEmail.PENDING,
                next_attempt_at=now + backoff(attempts),
                locked_until=None,
                last_error=f"{type(exc).__name__}: {exc}"[:1000],
            )
            logger.warning("e-mail %s not sent (attempt %s): %s", pk, attempts, exc)
            counts["failed"] += 1
            if connection is not None:
                with contextlib.suppress(Exception):  # a dead connection may not close
                    connection.close()
            connection = None
        else:
            OutgoingEmail.objects.filter(pk=pk).update(
                attempts=attempts,
                status=OutgoingEmail.SENT,
                sent_at=timezone.now(),
                locked_until=None,
                last_error="",
            )
            counts["sent"] += 1
    if connection is not None:
        connection.close()
    return counts


def purge_sent(*, now: datetime | None = None) -> int:
    """Delete sent messages older than ``KEEP_SENT_DAYS``; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=conf("KEEP_SENT_DAYS"))
    deleted, _ = OutgoingEmail.objects.filter(
        status=OutgoingEmail.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


def retry(mail: OutgoingEmail) -> None:
    """Send one message (pending or given up on) at the next pass, with new attempts."""
    OutgoingEmail.objects.filter(pk=mail.pk).exclude(status=OutgoingEmail.SENT).update(
        status=OutgoingEmail.PENDING, attempts=0, next_attempt_at=timezone.now()
    )


def retry_failed() -> int:
    """Give every ``failed`` message a new series of attempts, starting now."""
    return OutgoingEmail.objects.filter(status=OutgoingEmail.FAILED).update(
        status=OutgoingEmail.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
