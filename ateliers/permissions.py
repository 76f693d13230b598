"""Who may do what: one predicate per rule, asked by the pages, the API (``api/permissions.py``
wraps some as DRF permission classes), the sockets and the services alike. A rule is written
here once; callers never combine ``is_organizer``/``_is_member_of`` into a rule of their own.
Who may *read* a list is the matching ``selectors`` function (``*_visible_to``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .choices import EventStatus

if TYPE_CHECKING:
    from .models import Event, HelpRequest, Organization, Registration, Schedule, User


def is_account(user) -> bool:
    """A logged-in account, not a board guest. ``isinstance`` (which sees through
    ``request.user``'s lazy wrapper) rather than ``hasattr(user, "roles")``, which would
    evaluate the property and query the memberships on every check."""
    from .models import User

    return bool(user and getattr(user, "is_authenticated", False) and isinstance(user, User))


def is_organizer(user) -> bool:
    return is_account(user) and (user.is_superuser or user.is_organizer)


def is_expert(user) -> bool:
    return is_account(user) and (
        user.is_superuser or user.is_expert or hasattr(user, "expert_profile")
    )


def is_partner(user) -> bool:
    return is_account(user) and (user.is_superuser or user.is_partner)


def _is_member_of(user, organization: Organization) -> bool:
    if not is_account(user):
        return False
    if user.is_superuser:
        return True
    return organization.memberships.filter(user=user).exists()


def can_manage_organization(user, organization: Organization) -> bool:
    return is_organizer(user) or _is_member_of(user, organization)


def can_see_event(user, event: Event) -> bool:
    return event.status != EventStatus.DRAFT or is_organizer(user)


def can_change_registration(user, registration: Registration) -> bool:
    """Change or cancel a registration: its person, the members of the organisation it
    registers, and organizers."""
    if not is_account(user):
        return False
    if registration.user_id == user.pk or is_organizer(user):
        return True
    return registration.organization_id is not None and _is_member_of(
        user, registration.organization
    )


# --- help requests ------------------------------------------------------------------------


def can_edit_help_request(user, help_request: HelpRequest) -> bool:
    """Edit a request, see who fits it: the organisation's members and organizers."""
    return can_manage_organization(user, help_request.organization)


def can_help_organization(user, organization: Organization) -> bool:
    """Help an organisation (claim its requests, be offered one by name): experts from
    outside it; an organizer who is an expert may help any."""
    if not user.is_active or not is_expert(user):
        return False
    return is_organizer(user) or not _is_member_of(user, organization)


def can_claim_help_request(user, help_request: HelpRequest) -> bool:
    """Claim a request (when it is open): who may help its organisation. The page shows
    the button on this rule and the service enforces it."""
    return can_help_organization(user, help_request.organization)


def can_work_on_help_request(user, help_request: HelpRequest) -> bool:
    """Start, resolve or release a request: the expert who claimed it and organizers."""
    return is_organizer(user) or (
        is_account(user)
        and help_request.claimed_by_id is not None
        and help_request.claimed_by_id == user.pk
    )


def can_talk_on_help_request(user, help_request: HelpRequest) -> bool:
    """Read and write the thread: the organisation's members, its expert and organizers."""
    return can_work_on_help_request(user, help_request) or _is_member_of(
        user, help_request.organization
    )


def can_rate_help_request(user, help_request: HelpRequest) -> bool:
    """Rate the help a request got: the organisation's members only."""
    return _is_member_of(user, help_request.organization)


def can_see_help_stats(user) -> bool:
    """The figures of the events' help desks (queue, waits, each expert's load): organizers."""
    return is_organizer(user)


def can_see_help_contacts(user, help_request: HelpRequest) -> bool:
    """E-mail addresses behind a request: those in its thread (its organisation, its
    expert, organizers)."""
    return can_talk_on_help_request(user, help_request)


def _event_id(event) -> int | None:
    return getattr(event, "pk", event)


def _appointed_role(user, event) -> str | None:
    """The role an account was appointed to on this event. Not memoised: a socket keeps
    its user for hours, and a removal must take effect on its next action."""
    if not is_account(user):
        return None
    from .models import EventModerator

    return (
        EventModerator.objects.filter(event_id=_event_id(event), user_id=user.pk)
        .values_list("role", flat=True)
        .first()
    )


def can_moderate_event(user, event) -> bool:
    """The one answer to "may this account moderate this event's board" (hide, show, pin,
    merge, lock, see hidden ideas): organizers, and the co-moderators appointed on this
    event — on this event only. Every moderation path asks this."""
    from .choices import ModeratorRole

    if is_organizer(user):
        return True
    return _appointed_role(user, event) == ModeratorRole.MODERATOR


def can_run_polls(user, event) -> bool:
    """Create, open and close this event's polls: moderators and facilitators of the
    event (a facilitator runs the room's interaction but does not moderate ideas)."""
    return is_organizer(user) or _appointed_role(user, event) is not None


def can_appoint_moderators(user, event) -> bool:
    return is_organizer(user)


# --- consultation schedule ----------------------------------------------------------------


def can_see_schedule(user, schedule: Schedule | None) -> bool:
    """Organizers see a schedule being prepared; everyone else once it is published."""
    if schedule is None:
        return False
    return is_organizer(user) or schedule.is_published


def can_see_agenda_of_organization(user, organization: Organization) -> bool:
    """An organisation's meetings: its members and organizers."""
    return is_organizer(user) or _is_member_of(user, organization)


def can_see_agenda_of_expert(user, expert: User) -> bool:
    """An expert's meetings: the expert and organizers."""
    return is_organizer(user) or (is_account(user) and expert.pk == user.pk)
