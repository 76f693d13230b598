"""The "organizers" group: what an organizer may see and do in /admin/.

Organizers see everything of the product in the admin and change what has a service
(events, themes, time slots, skills, help requests, organisations, projects, check-ins,
the e-mail queue); every change goes through that service (``ateliers/admin.py``).
The group is kept up to date after every ``migrate`` (``post_migrate``), and accounts
with the organizer role are staff members of it (``grant_organizer_admin``).
"""

from __future__ import annotations

from .services.accounts import ORGANIZERS_GROUP

# app label → model → actions beyond "view" (every model of these apps is viewable).
WRITES = {
    "ateliers": {
        "event": ("add", "change", "delete"),
        "theme": ("add", "change", "delete"),
        "timeslot": ("add", "change", "delete"),
        "skill": ("add", "change", "delete"),
        "helprequest": ("change",),
        "organization": ("change", "delete"),
        "registration": ("change", "delete"),
        "idea": ("change",),
        "outgoingemail": ("change",),
    },
    "projets": {"project": ("add", "change", "delete")},
}
VIEW_APPS = ("ateliers", "projets")


def ensure_organizers_group(**kwargs):
    """Create or complete the group (idempotent); used as a ``post_migrate`` receiver."""
    from django.contrib.auth.models import Group, Permission

    from .models import User

    group, _ = Group.objects.get_or_create(name=ORGANIZERS_GROUP)
    wanted = set()
    for perm in Permission.objects.filter(content_type__app_label__in=VIEW_APPS).select_related(
        "content_type"
    ):
        action = perm.codename.split("_", 1)[0]
        model = perm.content_type.model
        allowed = WRITES.get(perm.content_type.app_label, {}).get(model, ())
        if action == "view" or action in allowed:
            wanted.add(perm.pk)
    if wanted != set(group.permissions.values_list("pk", flat=True)):
        group.permissions.set(wanted)
    for user in User.objects.filter(is_organizer=True).exclude(groups=group):
        grant_organizer_admin(user)
    return group


def grant_organizer_admin(user) -> None:
    """An organizer account can log into /admin/ and is in the organizers group."""
    from .services.accounts import user_grant_organizer_admin

    user_grant_organizer_admin(user=user)
