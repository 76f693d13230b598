"""``{% provenance_projects help_request %}``: the other way of the provenance link.

Lists the projects a help request became, scoped by ``projects_visible_to`` (nothing
leaks from a request's page), and offers organizers to open one from it.
"""

from __future__ import annotations

from django import template

from ateliers.permissions import is_organizer
from projets.selectors import event_projects as _event_projects
from projets.selectors import projects_from_help_request

register = template.Library()


@register.inclusion_tag("frontend/projects/_from_source.html", takes_context=True)
def provenance_projects(context, help_request):
    user = context["request"].user
    return {
        "projects": list(projects_from_help_request(user, help_request).order_by("id")),
        "can_open": is_organizer(user),
        "help_request": help_request,
    }


@register.inclusion_tag("frontend/projects/_event_projects.html", takes_context=True)
def event_projects(context, event):
    """``{% event_projects event %}``: the projects born at an event, each with the ideas,
    requests and consultations it came from (links both ways with the project page)."""
    user = context["request"].user
    return {
        "projects": list(_event_projects(user, event)),
        "event": event,
        **_backers(event),
    }


def _backers(event) -> dict:
    """The event's partners and sponsors in one query."""
    from django.db.models import Exists, OuterRef, Q

    from ateliers.models import Event, Organization

    def linked(field):
        return Exists(field.through.objects.filter(event=event, organization=OuterRef("pk")))

    orgs = list(
        Organization.objects.filter(Q(partnered_events=event) | Q(sponsored_events=event))
        .annotate(is_partner=linked(Event.partners), is_sponsor=linked(Event.sponsors))
        .distinct()
        .order_by("name", "id")
    )
    return {
        "partners": [o for o in orgs if o.is_partner],
        "sponsors": [o for o in orgs if o.is_sponsor],
    }
