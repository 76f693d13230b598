"""Help requests' notifications: who hears of what, and the texts they get.

The kinds and their wording live here; the rows are written, pushed and e-mailed by the
one writer, ``ateliers.realtime.notifications`` (``notify_on_commit``, ``deliver``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..choices import NotificationKind
from ..matching import score_expert_for_request
from ..models import HelpRequest, HelpRequestMessage, Notification, User
from ..realtime.notifications import (  # noqa: F401 - deliver, unread_count: callers' home
    deliver,
    notify_on_commit,
    unread_count,
)
from ..selectors.matching import suggest_experts


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
    reasons_by_user = reasons_by_user or {}
    return notify_on_commit(
        recipients=recipients,
        kind=kind,
        url=help_request_path(help_request.pk),
        texts=lambda user: _texts(kind, help_request, actor, message, reasons_by_user.get(user.pk)),
        payload={
            "help_request": help_request.pk,
            "status": help_request.status,
            "actor": actor.pk if actor else None,
            **({"message": message.pk} if message else {}),
        },
        help_request=help_request,
    )


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


@transaction.atomic
def notification_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the caller's notifications read (all when ``ids`` is None); returns how many."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
