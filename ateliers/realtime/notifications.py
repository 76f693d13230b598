"""The one notification writer: rows written with the change, pushed and e-mailed after.

Each area owns its notification kinds, who hears of them and their texts (help requests:
``ateliers/services/notifications.py``; the consultation schedule:
``ateliers/services/schedule.py``; projects: ``projets/notify.py``). They all write
through ``notify_on_commit`` here: one ``Notification`` row per person, its text rendered
once in the recipient's language, inside the caller's transaction. After commit
``deliver`` pushes each to the person's socket group (``user_<id>``) and, unless they
turned e-mail off, e-mails it once: ``emailed_at`` is set by a compare-and-set UPDATE
before the message is queued (``services.outbox.enqueue``; a worker sends and retries),
so a retried delivery never e-mails twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import Notification, User
from ..services import outbox

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """The channel-layer group of one person's live notifications."""
    return f"user_{user_id}"


def notify_on_commit(
    *,
    recipients: Iterable[User],
    kind: str,
    url: str,
    texts: Callable[[User], tuple[str, str]],
    payload: dict,
    help_request=None,
) -> list[Notification]:
    """Write one notification per recipient and deliver them after commit.

    ``texts(user)`` returns the (title, body) and is called with the recipient's language
    active; titles are cut to 300 characters, bodies to 5,000.
    """
    rows = []
    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = texts(user)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:300],
                body=body[:5000],
                url=url,
                help_request=help_request,
                payload=payload,
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if any(pk is None for pk in ids):  # backends without RETURNING: read them back
        ids = list(
            Notification.objects.filter(
                kind=kind, url=url, recipient__in=[row.recipient_id for row in rows]
            )
            .order_by("-id")
            .values_list("id", flat=True)[: len(rows)]
        )
    transaction.on_commit(lambda: deliver(ids))
    return created


def serialize(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "title": notification.title,
        "body": notification.body,
        "url": notification.url,
        "payload": notification.payload,
        "read_at": notification.read_at.isoformat() if notification.read_at else None,
        "created_at": notification.created_at.isoformat(),
    }


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliver(ids: list[int]) -> None:
    """Push each notification live and e-mail it once (if its recipient wants e-mail)."""
    notifications = list(
        Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("id")
    )
    layer = get_channel_layer()
    for notification in notifications:
        user = notification.recipient
        if layer is not None:
            try:
                async_to_sync(layer.group_send)(
                    user_group(user.pk),
                    {
                        "type": "notification.created",
                        "notification": serialize(notification),
                        "unread": unread_count(user),
                    },
                )
            except Exception:  # a lost push is caught up by the list; never fail the write
                logger.exception("notification push failed")
        if not (user.email_notifications and user.email and user.is_active):
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            footer = _("You receive this because e-mail notifications are on in your profile.")
            body = "\n\n".join(
                part for part in (notification.body, _site_url() + notification.url, footer) if part
            )
        # Queued, not sent here: a slow or down mail server never holds the request and
        # loses nothing (``services/outbox.py``, ``manage.py send_queued_mail``). The mark
        # and the queued row are written together.
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk=notification.pk, emailed_at__isnull=True
            ).update(emailed_at=timezone.now())
            if claimed:
                outbox.enqueue(
                    to=[user.email], subject=notification.title, body=body, recipient=user
                )


def _site_url() -> str:
    from livinglab.site import site_url

    return site_url()
