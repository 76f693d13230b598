"""Notifications: written with the change they announce, delivered after commit.

One ``Notification`` row per person per event, its text rendered once in the recipient's
language. After commit each is pushed to the person's WebSocket group (``user_<id>``) and,
unless they turned e-mail off, e-mailed once: ``emailed_at`` is set by a compare-and-set
UPDATE before the message is queued (``outbox.enqueue``; a worker sends it and retries),
so a retried delivery never e-mails twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..choices import NotificationKind
from ..matching import score_expert_for_request
from ..models import HelpRequest, HelpRequestMessage, Notification, User
from ..selectors.matching import suggest_experts
from . import outbox

logger = logging.getLogger(__name__)


def user_group(user_id: int) -> str:
    """The channel-layer group of one person's live notifications."""
    return f"user_{user_id}"


def help_request_path(help_request_id: int) -> str:
    return f"/help/{help_request_id}/"


def recipients_for(
    help_request: HelpRequest, kind: str, *, actor: User, claimer: User | None
) -> list[User]:
    """Who hears of ``kind`` on ``help_request``: its organisation's members and its expert.

    The actor never notifies themself; each person appears once.
    """
    people: dict[int, User] = {}
    members = User.objects.filter(memberships__organization_id=help_request.organization_id)
    for user in members:
        people[user.pk] = user
    told_expert = (NotificationKind.RESOLVED, NotificationKind.RELEASED, NotificationKind.MESSAGE)
    if kind in told_expert and claimer is not None:
        people[claimer.pk] = claimer
    people.pop(actor.pk, None)
    return [people[pk] for pk in sorted(people)]


def _texts(
    kind: str,
    help_request: HelpRequest,
    actor: User | None,
    message: HelpRequestMessage | None,
    reasons: list[str] | None,
) -> tuple[str, str]:
    """Title and body in the active language."""
    title = help_request.title
    who = actor.public_name if actor else ""
    if kind == NotificationKind.REQUEST_FITS:
        return (
            _("A new request fits you: “%(title)s”") % {"title": title},
            " · ".join(reasons or []),
        )
    if kind == NotificationKind.CLAIMED:
        return _("%(who)s claimed “%(title)s”") % {"who": who, "title": title}, _(
            "%(who)s will help %(org)s with this request."
        ) % {"who": who, "org": help_request.organization.name}
    if kind == NotificationKind.STARTED:
        return _("%(who)s started working on “%(title)s”") % {"who": who, "title": title}, ""
    if kind == NotificationKind.RESOLVED:
        return _("“%(title)s” is resolved") % {"title": title}, _("Marked resolved by %(who)s.") % {
            "who": who
        }
    if kind == NotificationKind.RELEASED:
        return _("“%(title)s” is open again") % {"title": title}, _(
            "%(who)s released this request; another expert may claim it."
        ) % {"who": who}
    if kind == NotificationKind.MESSAGE:
        return _("New message on “%(title)s”") % {"title": title}, (
            f"{who}: {message.text[:500]}" if message else ""
        )
    if kind == NotificationKind.OFFERED:
        return _("%(org)s asks for you again: “%(title)s”") % {
            "org": help_request.organization.name,
            "title": title,
        }, _("Only you can claim it for now; then other experts will be asked.")
    if kind == NotificationKind.UNCLAIMED:
        return _("Nobody has claimed “%(title)s” yet") % {"title": title}, _(
            "%(org)s is waiting for an expert."
        ) % {"org": help_request.organization.name}
    return title, ""


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    help_request: HelpRequest,
    actor: User | None = None,
    message: HelpRequestMessage | None = None,
    reasons_by_user: dict[int, list[str]] | None = None,
) -> list[Notification]:
    """Write one notification per recipient (in their language); deliver after commit."""
    rows = []
    for user in recipients:
        with translation.override(user.language or settings.LANGUAGE_CODE):
            title, body = _texts(
                kind, help_request, actor, message, (reasons_by_user or {}).get(user.pk)
            )
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:300],
                body=body[:5000],
                url=help_request_path(help_request.pk),
                help_request=help_request,
                payload={
                    "help_request": help_request.pk,
                    "status": help_request.status,
                    "actor": actor.pk if actor else None,
                    **({"message": message.pk} if message else {}),
                },
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if any(pk is None for pk in ids):  # backends without RETURNING: read them back
        ids = list(
            Notification.objects.filter(help_request=help_request, kind=kind)
            .order_by("-id")
            .values_list("id", flat=True)[: len(rows)]
        )
    transaction.on_commit(lambda: deliver(ids))
    return created


def notify_fitting_experts(
    help_request: HelpRequest,
    *,
    actor: User | None,
    limit: int | None = None,
    exclude_user_ids: Iterable[int] = (),
) -> list[Notification]:
    """Tell the best-fitting experts (covering a needed skill) about a new request, with
    the reasons rendered in each expert's language. ``limit``: how many (default the
    ``HELP_FITTING_EXPERTS_NOTIFIED`` setting, 10); ``0`` tells every matching expert."""
    member_ids = set(help_request.organization.memberships.values_list("user_id", flat=True))
    member_ids |= set(exclude_user_ids)
    if actor is not None:
        member_ids.add(actor.pk)
    skills = list(help_request.skills.all())
    names = {s.slug: s for s in skills}
    recipients, reasons = [], {}
    if limit is None:
        limit = getattr(settings, "HELP_FITTING_EXPERTS_NOTIFIED", 10)
    best = suggest_experts(
        help_request, limit=limit or None, exclude_user_ids=member_ids, min_fit=1
    )
    for suggestion in best:
        user = suggestion.expert.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            match = score_expert_for_request(
                skills=list(names),
                urgency=help_request.urgency,
                language=help_request.language,
                expert_skills=[s.slug for s in suggestion.expert.skills.all()],
                expert_languages=suggestion.expert.languages,
                open_claims=suggestion.expert.load,
                registered=suggestion.registered,
                available=suggestion.available,
                skill_names={slug: skill.name for slug, skill in names.items()},
            )
        reasons[user.pk] = match.reasons if match else []
        recipients.append(user)
    return notify(
        recipients=recipients,
        kind=NotificationKind.REQUEST_FITS,
        help_request=help_request,
        actor=actor,
        reasons_by_user=reasons,
    )


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


@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the caller's notifications read (all when ``ids`` is None); returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
