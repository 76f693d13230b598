"""Who may do what, as plain predicates shared by the API, the pages and the consumers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .choices import EventStatus

if TYPE_CHECKING:
    from .models import Event, Organization


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


def is_member_of(user, organization: Organization) -> bool:
    if not is_account(user):
        return False
    if user.is_superuser:
        return True
    return organization.memberships.filter(user=user).exists()


def can_manage_organization(user, organization: Organization) -> bool:
    return is_organizer(user) or is_member_of(user, organization)


def can_see_event(user, event: Event) -> bool:
    return event.status != EventStatus.DRAFT or is_organizer(user)


def can_see_help_contacts(user, help_request) -> bool:
    """E-mail addresses behind a request: its organisation, its expert and organizers only."""
    if not is_account(user):
        return False
    if is_organizer(user) or (help_request.claimed_by_id and help_request.claimed_by_id == user.pk):
        return True
    return is_member_of(user, help_request.organization)


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
