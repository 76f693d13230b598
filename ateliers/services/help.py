"""Help requests: create, edit, claim (compare-and-set), start, resolve, release, talk.

Every transition is one conditional UPDATE on the current status, so that exactly one of
many concurrent callers wins on SQLite and PostgreSQL alike (ARCHITECTURE.md); the loser
gets a ``Conflict`` (409) saying what happened. Each transition is recorded in the
request's history and notifies the people concerned after commit (``notifications``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import HelpStatus, Language, NotificationKind
from ..exceptions import Conflict, Forbidden, NotFound
from ..models import (
    Event,
    HelpRequest,
    HelpRequestMessage,
    HelpRequestRating,
    HelpRequestTransition,
    Organization,
    User,
)
from ..outbound import help_request_changed as help_request_webhook
from ..permissions import (
    can_claim_help_request,
    can_edit_help_request,
    can_help_organization,
    can_manage_organization,
    can_rate_help_request,
    can_see_event,
    can_talk_on_help_request,
    can_work_on_help_request,
    is_expert,
)
from . import notifications
from .people import _skills_from_slugs
from .unset import UNSET, Unset, assign, given

HELD = (HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS)


def _check_event(actor: User, event: Event | None) -> None:
    if event is not None and not can_see_event(actor, event):
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
    expert: User | None = None,
) -> HelpRequest:
    """An organisation's member (or an organizer) asks for help; fitting experts are told.

    With ``expert`` (the same expert again), the request is offered to that expert first:
    only they may claim it for ``HELP_OFFER_MINUTES`` (default 30), and only they are told;
    then the escalation (``help_requests_escalate``) tells the fitting experts.
    """
    if not can_manage_organization(actor, organization):
        raise Forbidden(_("Only the organisation's members or an organizer can ask for help."))
    _check_event(actor, event)
    if expert is not None and not can_help_organization(expert, organization):
        raise ValidationError({"expert": _("Choose an expert from outside the organisation.")})
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
    if expert is not None:
        help_request.offered_to = expert
        help_request.offered_until = timezone.now() + timedelta(minutes=offer_minutes())
    else:
        help_request.escalation_level = 1  # the fitting experts are told right now
    skill_objs = _skills_from_slugs(skills)
    help_request.full_clean()
    help_request.save()
    help_request.skills.set(skill_objs)
    _record(help_request, from_status="", to_status=HelpStatus.OPEN, actor=actor)
    if expert is not None:
        notifications.notify(
            recipients=[expert],
            kind=NotificationKind.OFFERED,
            help_request=help_request,
            actor=actor,
        )
    else:
        notifications.notify_fitting_experts(help_request, actor=actor)
    return help_request


@transaction.atomic
def help_request_update(
    *,
    actor: User,
    help_request: HelpRequest,
    title: str | Unset = UNSET,
    description: str | Unset = UNSET,
    skills: Iterable[str] | Unset = UNSET,
    language: str | Unset = UNSET,
    urgency: str | Unset = UNSET,
    format: str | Unset = UNSET,
    event: Event | None | Unset = UNSET,
) -> HelpRequest:
    """Edit what the organisation asks (``skills`` by slug); the status only moves
    through the transitions."""
    changes = given(locals(), "actor", "help_request", "skills")
    if not can_edit_help_request(actor, help_request):
        raise Forbidden(_("Only the organisation's members or an organizer can edit it."))
    if help_request.status == HelpStatus.RESOLVED:
        raise Conflict(_("This request is resolved and can no longer be edited."), code="resolved")
    if "event" in changes:
        _check_event(actor, changes["event"])
    assign(help_request, changes)
    help_request.full_clean()
    help_request.save(update_fields=[*changes, "updated_at"])
    if skills is not UNSET:
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
    if not can_claim_help_request(actor, help_request):
        if not is_expert(actor):
            raise Forbidden(_("Only experts can claim a help request."))
        raise Forbidden(_("You cannot claim a request of your own organisation."))
    now = timezone.now()
    offer_over = Q(offered_to__isnull=True) | Q(offered_to=actor) | Q(offered_until__lte=now)
    won = (
        HelpRequest.objects.filter(pk=help_request.pk, status=HelpStatus.OPEN)
        .filter(offer_over)
        .update(status=HelpStatus.CLAIMED, claimed_by=actor, claimed_at=now, updated_at=now)
    )
    if not won:
        _refresh(help_request)
        if help_request.claimed_by_id == actor.pk:
            raise Conflict(_("You have already claimed this request."), code="already_yours")
        if help_request.status == HelpStatus.RESOLVED:
            raise Conflict(_("This request is already resolved."), code="resolved")
        if help_request.status == HelpStatus.OPEN:
            raise Conflict(
                _("The organisation asked for another expert first; try again after %(time)s.")
                % {"time": timezone.localtime(help_request.offered_until).strftime("%H:%M")},
                code="offered_to_another",
            )
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
    if not can_work_on_help_request(actor, help_request):
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
    if not can_talk_on_help_request(actor, help_request):
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


# --- ratings ------------------------------------------------------------------------------


@transaction.atomic
def help_request_rate(
    *, actor: User, help_request: HelpRequest, score: int, comment: str = ""
) -> tuple[HelpRequestRating, bool]:
    """The organisation rates the help it got, once resolved (again: the rating changes).
    Returns (rating, created)."""
    if not can_rate_help_request(actor, help_request):
        raise Forbidden(_("Only the organisation's members can rate the help it got."))
    _refresh(help_request)
    if help_request.status != HelpStatus.RESOLVED:
        raise Conflict(_("A request is rated once it is resolved."), code="not_resolved")
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    rating = HelpRequestRating.objects.filter(request=help_request).first()
    created = rating is None
    if created:
        rating = HelpRequestRating(request=help_request)
    rating.score = score
    rating.comment = (comment or "").strip()
    rating.rated_by = actor
    rating.expert = help_request.claimed_by
    rating.full_clean(validate_constraints=False)
    rating.save()
    return rating, created


# --- escalation of a request nobody claims ---------------------------------------------------


def offer_minutes() -> float:
    return float(getattr(settings, "HELP_OFFER_MINUTES", 30))


def escalation_minutes() -> tuple[float, float]:
    """After how long unclaimed (from creation, or from the end of an offer) every matching
    expert is told, then the organizers: ``HELP_ESCALATION_MINUTES`` (default 15, 30)."""
    first, second = getattr(settings, "HELP_ESCALATION_MINUTES", (15, 30))
    return float(first), float(second)


def _escalate_one(help_request: HelpRequest, level: int, now) -> bool:
    """One step, compare-and-set on the level: two timers never tell anyone twice."""
    won = HelpRequest.objects.filter(
        pk=help_request.pk, status=HelpStatus.OPEN, escalation_level=level
    ).update(escalation_level=level + 1, escalated_at=now)
    if not won:
        return False
    told = set(
        help_request.notifications.filter(
            kind__in=[NotificationKind.REQUEST_FITS, NotificationKind.OFFERED]
        ).values_list("recipient_id", flat=True)
    )
    if level == 0:  # the offer ended: the suggested experts
        notifications.notify_fitting_experts(help_request, actor=None, exclude_user_ids=told)
    elif level == 1:  # every matching expert
        notifications.notify_fitting_experts(
            help_request, actor=None, limit=0, exclude_user_ids=told
        )
    else:  # the organizers
        organizers = User.objects.filter(
            Q(is_organizer=True) | Q(is_superuser=True), is_active=True
        ).order_by("pk")
        notifications.notify(
            recipients=list(organizers), kind=NotificationKind.UNCLAIMED, help_request=help_request
        )
    return True


@transaction.atomic
def help_requests_escalate(*, now=None) -> int:
    """Tell more people about requests nobody claims: when an offer to one expert ends, the
    suggested experts; ``HELP_ESCALATION_MINUTES[0]`` later, every matching expert; at
    ``[1]``, the organizers. Run by a timer (``manage.py escalate_help_requests``);
    returns how many steps were taken."""
    now = now or timezone.now()
    first, second = escalation_minutes()
    steps = 0
    candidates = HelpRequest.objects.filter(
        status=HelpStatus.OPEN, escalation_level__lt=3
    ).select_related("organization")
    for help_request in candidates.order_by("created_at", "id"):
        start = help_request.offered_until or help_request.created_at
        level = help_request.escalation_level
        due = [start, start + timedelta(minutes=first), start + timedelta(minutes=second)]
        while level < 3 and due[level] <= now:
            if not _escalate_one(help_request, level, now):
                break
            level += 1
            steps += 1
    return steps
