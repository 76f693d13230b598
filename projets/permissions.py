"""Who may do what with a project: one predicate per rule, asked by the pages, the API and
``projets.services`` alike. Who may *read* projects is ``selectors.projects_visible_to``;
the roles (``is_account``, ``is_organizer``, ``is_partner``) are ``ateliers.permissions``'."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ateliers.permissions import is_account, is_organizer

from .choices import ProjectRole
from .selectors import projects_visible_to

if TYPE_CHECKING:
    from .models import Project


def _team_role(user, project: Project) -> str | None:
    if not is_account(user):
        return None
    for member in project.members.all():  # uses a prefetch when there is one
        if member.user_id == user.pk:
            return member.role
    return None


def can_see_project(user, project: Project) -> bool:
    """Read one project (its page, its journal, following it): ``projects_visible_to``."""
    return projects_visible_to(user).filter(pk=project.pk).exists()


def can_edit_project(user, project: Project) -> bool:
    """Organizers and the project's team write the journal, milestones and indicators."""
    return is_organizer(user) or _team_role(user, project) is not None


def can_manage_project(user, project: Project) -> bool:
    """Visibility, partners and team changes: organizers and the project lead."""
    return is_organizer(user) or _team_role(user, project) == ProjectRole.LEAD
