"""One FilterSet for projects, used by the API, the directory page and the exports.

It always runs on a queryset already scoped by ``projects_visible_to``: filters and search
only ever narrow what the caller may see, so counts cannot reveal hidden projects.
"""

from __future__ import annotations

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ateliers.models import Event, Organization, Theme

from .choices import Phase, Visibility
from .models import Project


class ProjectFilterSet(filters.FilterSet):
    phase = filters.ChoiceFilter(choices=Phase.choices, label=_("Phase"))
    visibility = filters.ChoiceFilter(choices=Visibility.choices, label=_("Visibility"))
    partner = filters.ModelChoiceFilter(
        field_name="partners",
        queryset=Organization.objects.all(),
        label=_("Partner"),
        distinct=True,
    )
    organization = filters.ModelChoiceFilter(
        field_name="organizations",
        queryset=Organization.objects.all(),
        label=_("Organisation"),
        distinct=True,
    )
    event = filters.ModelChoiceFilter(queryset=Event.objects.all(), label=_("Event"))
    theme = filters.ModelChoiceFilter(queryset=Theme.objects.all(), label=_("Theme"))
    region = filters.CharFilter(lookup_expr="iexact", label=_("Region"))
    q = filters.CharFilter(method="search", label=_("Search"))
    idea = filters.NumberFilter(method="from_source", label=_("From idea"))
    help_request = filters.NumberFilter(method="from_source", label=_("From help request"))
    meeting = filters.NumberFilter(method="from_source", label=_("From consultation"))

    class Meta:
        model = Project
        fields = ["phase", "visibility", "partner", "organization", "event", "theme", "region"]

    def from_source(self, queryset, name, value):
        """Provenance links from an idea or a request: only ever within visible projects."""
        if value is None:
            return queryset
        if value != int(value) or not 0 < value < 2**31:
            return queryset.none()
        field = {
            "idea": "source_ideas",
            "help_request": "source_help_requests",
            "meeting": "source_meetings",
        }[name]
        through = getattr(Project, field).through
        column = {"idea": "idea_id", "help_request": "helprequest_id", "meeting": "meeting_id"}[
            name
        ]
        ids = through.objects.filter(**{column: int(value)}).values("project_id")
        return queryset.filter(pk__in=ids)

    def search(self, queryset, name, value):
        value = (value or "").strip()[:200]
        if not value:
            return queryset
        return queryset.filter(
            Q(title_fr__icontains=value)
            | Q(title_en__icontains=value)
            | Q(summary_fr__icontains=value)
            | Q(summary_en__icontains=value)
        )
