"""Help requests: create, edit, claim (compare-and-set), start, resolve, release, talk.

Every transition is one conditional UPDATE on the current status, so that exactly one of
many concurrent callers wins on SQLite and PostgreSQL alike (ARCHITECTURE.md); the loser
gets a ``Conflict`` (409) saying what happened. Each transition is recorded in the
request's history and notifies the people concerned after commit (``notifications``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from webhooks.services import help_request_webhook

from ..choices import HelpStatus, Language, NotificationKind
from ..exceptions import Conflict, Forbidden, NotFound
from ..models import (
    Event,
    HelpRequest,
    HelpRequestMessage,
    HelpRequestTransition,
    Organization,
    User,
)
from ..permissions import can_manage_organization, is_expert, is_member_of, is_organizer
from . import notifications
from .people import _skills_from_slugs

EDITABLE_FIELDS = ("title", "description", "language", "urgency", "format", "event")
HELD = (HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS)


def can_edit_help_request(user, help_request: HelpRequest) -> bool:
    return can_manage_organization(user, help_request.organization)


def can_work_on(user, help_request: HelpRequest) -> bool:
    """The claiming expert or an organizer may start, resolve or release a request."""
    return is_organizer(user) or (
        help_request.claimed_by_id is not None and help_request.claimed_by_id == user.pk
    )


def can_talk_on(user, help_request: HelpRequest) -> bool:
    """The organisation's members, its claiming expert and organizers write in the thread."""
    return can_work_on(user, help_request) or is_member_of(user, help_request.organization)


def _check_event(actor: User, event: Event | None) -> None:
    if event is not None and event.status == "draft" and not is_organizer(actor):
        raise ValidationError({"event": _("This event is not published yet.")})


def _record(
    help_request: HelpRequest, *, from_status: str, to_status: str, actor: User, note: str = ""
) -> HelpRequestTransition:
    transition = HelpRequestTransition(
        request=help_request,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    transition.full_clean()
    transition.save()
    help_request_webhook(help_request, from_status, to_status)
    return transition


@transaction.atomic
def help_request_create(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str = "",
    skills: Iterable[str] = (),
    language: str = Language.FR,
    urgency: str = "normal",
    format: str = "either",
    event: Event | None = None,
) -> HelpRequest:
    """An organisation's member (or an organizer) asks for help; fitting experts are told."""
    if not can_manage_organization(actor, organization):
        raise Forbidden(_("Only the organisation's members or an organizer can ask for help."))
    _check_event(actor, event)
    help_request = HelpRequest(
        organization=organization,
        title=title,
        description=description,
        language=language,
        urgency=urgency,
        format=format,
        event=event,
        created_by=actor,
    )
    skill_objs = _skills_from_slugs(skills)
    help_request.full_clean()
    help_request.save()
    help_request.skills.set(skill_objs)
    _record(help_request, from_status="", to_status=HelpStatus.OPEN, actor=actor)
    notifications.notify_fitting_experts(help_request, actor=actor)
    return help_request


@transaction.atomic
def help_request_update(
    *, actor: User, help_request: HelpRequest, skills: Iterable[str] | None = None, **fields
) -> HelpRequest:
    """Edit what the organisation asks; the status only moves through the transitions."""
    if not can_edit_help_request(actor, help_request):
        raise Forbidden(_("Only the organisation's members or an organizer can edit it."))
    if help_request.status == HelpStatus.RESOLVED:
        raise Conflict(_("This request is resolved and can no longer be edited."), code="resolved")
    if "event" in fields:
        _check_event(actor, fields["event"])
    for key in EDITABLE_FIELDS:
        if key in fields:
            setattr(help_request, key, fields[key])
    help_request.full_clean()
    help_request.save(update_fields=[*[k for k in EDITABLE_FIELDS if k in fields], "updated_at"])
    if skills is not None:
        help_request.skills.set(_skills_from_slugs(skills))
    return help_request


def _refresh(help_request: HelpRequest) -> HelpRequest:
    try:
        help_request.refresh_from_db()
    except HelpRequest.DoesNotExist as exc:
        raise NotFound(_("This help request no longer exists.")) from exc
    return help_request


@transaction.atomic
def help_request_claim(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    """Claim an open request: one conditional UPDATE, so exactly one claimant wins."""
    if not is_expert(actor):
        raise Forbidden(_("Only experts can claim a help request."))
    if not is_organizer(actor) and is_member_of(actor, help_request.organization):
        raise Forbidden(_("You cannot claim a request of your own organisation."))
    now = timezone.now()
    won = HelpRequest.objects.filter(pk=help_request.pk, status=HelpStatus.OPEN).update(
        status=HelpStatus.CLAIMED, claimed_by=actor, claimed_at=now, updated_at=now
    )
    if not won:
        _refresh(help_request)
        if help_request.claimed_by_id == actor.pk:
            raise Conflict(_("You have already claimed this request."), code="already_yours")
        if help_request.status == HelpStatus.RESOLVED:
            raise Conflict(_("This request is already resolved."), code="resolved")
        raise Conflict(
            _("Another expert has already claimed this request."), code="already_claimed"
        )
    _refresh(help_request)
    _record(help_request, from_status=HelpStatus.OPEN, to_status=HelpStatus.CLAIMED, actor=actor)
    _notify(help_request, NotificationKind.CLAIMED, actor)
    return help_request


def _move(
    *,
    actor: User,
    help_request: HelpRequest,
    sources: Iterable[str],
    target: str,
    refused: str,
    note: str = "",
    release: bool = False,
) -> HelpRequest:
    if not can_work_on(actor, help_request):
        raise Forbidden(_("Only the expert who claimed this request or an organizer can do this."))
    sources = list(sources)
    previous = help_request.status
    changes: dict = {"status": target, "updated_at": timezone.now()}
    if release:
        changes.update(claimed_by=None, claimed_at=None)
    qs = HelpRequest.objects.filter(pk=help_request.pk, status__in=sources)
    if help_request.claimed_by_id is not None:
        qs = qs.filter(claimed_by_id=help_request.claimed_by_id)
    if not qs.update(**changes):
        _refresh(help_request)
        raise Conflict(refused, code="wrong_status")
    claimer = help_request.claimed_by
    _refresh(help_request)
    help_request.previous_claimer = claimer  # for the notification's recipients
    _record(help_request, from_status=previous, to_status=target, actor=actor, note=note)
    return help_request


@transaction.atomic
def help_request_start(*, actor: User, help_request: HelpRequest, note: str = "") -> HelpRequest:
    help_request = _move(
        actor=actor,
        help_request=help_request,
        sources=[HelpStatus.CLAIMED],
        target=HelpStatus.IN_PROGRESS,
        refused=_("Only a claimed request can be started."),
        note=note,
    )
    _notify(help_request, NotificationKind.STARTED, actor)
    return help_request


@transaction.atomic
def help_request_resolve(*, actor: User, help_request: HelpRequest, note: str = "") -> HelpRequest:
    help_request = _move(
        actor=actor,
        help_request=help_request,
        sources=HELD,
        target=HelpStatus.RESOLVED,
        refused=_("Only a claimed or started request can be resolved."),
        note=note,
    )
    _notify(help_request, NotificationKind.RESOLVED, actor)
    return help_request


@transaction.atomic
def help_request_release(*, actor: User, help_request: HelpRequest, note: str = "") -> HelpRequest:
    """Give a claimed or started request back: it is open again for any expert."""
    help_request = _move(
        actor=actor,
        help_request=help_request,
        sources=HELD,
        target=HelpStatus.OPEN,
        refused=_("Only a claimed or started request can be released."),
        note=note,
        release=True,
    )
    _notify(help_request, NotificationKind.RELEASED, actor)
    return help_request


@transaction.atomic
def help_message_post(*, actor: User, help_request: HelpRequest, text: str) -> HelpRequestMessage:
    """A message in the request's thread; the other side is told."""
    if not can_talk_on(actor, help_request):
        raise Forbidden(
            _("Only the organisation, its expert and organizers can write in this thread.")
        )
    message = HelpRequestMessage(request=help_request, author=actor, text=(text or "").strip())
    message.full_clean()
    message.save()
    _notify(help_request, NotificationKind.MESSAGE, actor, message=message)
    return message


def _notify(help_request: HelpRequest, kind: str, actor: User, **extra) -> None:
    claimer = getattr(help_request, "previous_claimer", None) or help_request.claimed_by
    recipients = notifications.recipients_for(help_request, kind, actor=actor, claimer=claimer)
    notifications.notify(
        recipients=recipients, kind=kind, help_request=help_request, actor=actor, **extra
    )
