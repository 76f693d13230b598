"""One FilterSet per model, used by the API and by the pages alike."""

from __future__ import annotations

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from .choices import (
    EventStatus,
    HelpFormat,
    HelpStatus,
    IdeaStatus,
    Language,
    RegistrationRole,
    Urgency,
)
from .fields import has_language
from .models import Event, ExpertProfile, HelpRequest, Idea, Organization, Registration, Skill


def _language_filter(field: str):
    def method(queryset, name, value):
        return queryset.filter(**has_language(field, value)) if value else queryset

    return filters.ChoiceFilter(
        choices=Language.choices,
        label=_("Language"),
        method=lambda qs, name, value: method(qs, name, value),
    )


class SkillFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Skill
        fields = ["slug"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(
            Q(slug__icontains=value) | Q(name_fr__icontains=value) | Q(name_en__icontains=value)
        )


class OrganizationFilterSet(filters.FilterSet):
    language = _language_filter("languages")
    region = filters.CharFilter(lookup_expr="iexact")
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Organization
        fields = ["region", "name"]


class ExpertFilterSet(filters.FilterSet):
    skill = filters.CharFilter(field_name="skills__slug", label=_("Skill"), distinct=True)
    language = _language_filter("languages")

    class Meta:
        model = ExpertProfile
        fields = ["skill", "organization"]


class EventFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=EventStatus.choices)
    language = _language_filter("languages")
    region = filters.CharFilter(lookup_expr="iexact")
    starts_after = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lte")
    upcoming = filters.BooleanFilter(method="filter_upcoming", label=_("Upcoming"))

    class Meta:
        model = Event
        fields = ["status", "region"]

    def filter_upcoming(self, queryset, name, value):
        from django.utils import timezone

        if value is None:
            return queryset
        now = timezone.now()
        return queryset.filter(ends_at__gte=now) if value else queryset.filter(ends_at__lt=now)


class RegistrationFilterSet(filters.FilterSet):
    role = filters.ChoiceFilter(choices=RegistrationRole.choices)
    checked_in = filters.BooleanFilter(
        field_name="checked_in_at", lookup_expr="isnull", exclude=True, label=_("Checked in")
    )

    class Meta:
        model = Registration
        fields = ["role", "organization"]


class HelpRequestFilterSet(filters.FilterSet):
    """Help requests by skill, language, urgency, event, status, organisation (API and pages)."""

    skill = filters.ModelChoiceFilter(
        field_name="skills",
        to_field_name="slug",
        queryset=Skill.objects.all(),
        label=_("Skill"),
        distinct=True,
    )
    language = filters.ChoiceFilter(choices=Language.choices, label=_("Language"))
    urgency = filters.ChoiceFilter(choices=Urgency.choices, label=_("Urgency"))
    status = filters.ChoiceFilter(choices=HelpStatus.choices, label=_("Status"))
    format = filters.ChoiceFilter(choices=HelpFormat.choices, label=_("Format"))
    q = filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = HelpRequest
        fields = ["skill", "language", "urgency", "event", "status", "organization", "claimed_by"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class IdeaFilterSet(filters.FilterSet):
    status = filters.ChoiceFilter(choices=IdeaStatus.choices)
    pinned = filters.BooleanFilter()

    class Meta:
        model = Idea
        fields = ["theme", "status", "pinned"]
