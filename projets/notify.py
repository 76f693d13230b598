"""Who hears about a project's news, and the in-app notifications they get.

Services call ``notify_followers`` inside their transaction: the ``Notification`` rows are
written with the change they announce, then pushed live and e-mailed after commit by the
one notification writer (``ateliers.realtime.notifications.notify_on_commit``); the kinds
and their texts stay here. Recipients are the project's followers and team, minus the
person who acted, and only those who may still read the project (a project made private
stops telling outside followers).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .choices import NotificationKind, Phase
from .models import Project


def project_path(project_id: int) -> str:
    return f"/projects/{project_id}/"


def recipients(project: Project, *, actor=None) -> list:
    from ateliers.models import User

    from .selectors import projects_visible_to

    ids = set(project.follows.values_list("user_id", flat=True)) | set(
        project.members.values_list("user_id", flat=True)
    )
    users = User.objects.filter(is_active=True, pk__in=ids).order_by("pk")
    if actor is not None and getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    return [user for user in users if projects_visible_to(user).filter(pk=project.pk).exists()]


def _texts(kind: str, project: Project, actor, payload: dict) -> tuple[str, str]:
    """Title and body in the active language."""
    title = project.title
    who = actor.public_name if actor is not None and hasattr(actor, "public_name") else ""
    if kind == NotificationKind.PHASE_CHANGED:
        phase = Phase(payload.get("to", project.phase)).label
        return (
            _("“%(title)s” moved to %(phase)s") % {"title": title, "phase": phase},
            payload.get("note", "")[:2000],
        )
    if kind == NotificationKind.UPDATE_POSTED:
        return (
            _("News from “%(title)s”") % {"title": title},
            f"{who}: {payload.get('text', '')[:500]}" if who else payload.get("text", "")[:500],
        )
    if kind == NotificationKind.STORY_PUBLISHED:
        return _("The story of “%(title)s” is published") % {"title": title}, ""
    return title, ""


def deliver(users: list, kind: str, project: Project, payload: dict, *, actor=None) -> list:
    """Write one notification per person, in their language; push and e-mail after commit."""
    from ateliers.realtime.notifications import notify_on_commit

    return notify_on_commit(
        recipients=users,
        kind=kind,
        url=project_path(project.pk),
        texts=lambda _user: _texts(kind, project, actor, payload),
        payload={"project": project.pk, "actor": getattr(actor, "pk", None), **payload},
    )


def notify_followers(project: Project, kind: str, *, actor=None, payload=None) -> list:
    """Tell followers and team of ``kind`` (``NotificationKind``); return who was told."""
    users = recipients(project, actor=actor)
    deliver(users, kind, project, payload or {}, actor=actor)
    return users
