"""Who may change a project. Who may *read* one is ``selectors.projects_visible_to``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .choices import ProjectRole

if TYPE_CHECKING:
    from .models import Project


def is_account(user) -> bool:
    """A logged-in account (not a board guest), without computing ``user.roles``.

    ``ateliers.permissions.is_account`` evaluates the ``roles`` property (two queries);
    these checks run several times per request, so they read the flags only.
    """
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and hasattr(user, "is_partner")
    )


def is_organizer(user) -> bool:
    return is_account(user) and bool(user.is_superuser or user.is_organizer)


def is_partner(user) -> bool:
    return is_account(user) and bool(user.is_superuser or user.is_partner)


def team_role(user, project: Project) -> str | None:
    if not is_account(user):
        return None
    for member in project.members.all():  # uses a prefetch when there is one
        if member.user_id == user.pk:
            return member.role
    return None


def can_edit_project(user, project: Project) -> bool:
    """Organizers and the project's team write the journal, milestones and indicators."""
    return is_organizer(user) or team_role(user, project) is not None


def can_manage_project(user, project: Project) -> bool:
    """Visibility, partners and team changes: organizers and the project lead."""
    return is_organizer(user) or team_role(user, project) == ProjectRole.LEAD
