"""Projects and what hangs off them (CONTRACT.md "Projects")."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ateliers.choices import EventStatus
from ateliers.models import Event, HelpRequest, Idea, Meeting, Organization, Theme
from ateliers.selectors.events import events_visible_to
from projets.choices import Phase, ProjectRole, allowed_moves
from projets.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    PhaseCriterion,
    PhaseTransition,
    Project,
    ProjectMember,
    ProjectUpdate,
    Story,
)

from ..fields import BilingualSerializerMixin, IdField, IdNumberField
from .accounts import UserPublicSerializer


def _number(**kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=False, **kwargs
    )


class OrganizationBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "region"]
        read_only_fields = fields


class ProjectMemberSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = ProjectMember
        fields = ["id", "user", "role"]
        read_only_fields = fields


class PhaseTransitionSerializer(serializers.ModelSerializer):
    actor = UserPublicSerializer(read_only=True)
    date = serializers.DateTimeField(source="created_at", read_only=True)
    # "" for the project's first phase (no previous one)
    from_phase = serializers.ChoiceField(choices=[("", "—"), *Phase.choices], read_only=True)

    class Meta:
        model = PhaseTransition
        fields = [
            "id",
            "from_phase",
            "to_phase",
            "note",
            "criteria",
            "actor",
            "date",
            "created_at",
        ]
        read_only_fields = fields


_LINK = {"type": "object", "properties": {"id": {"type": "integer"}, "url": {"type": "string"}}}
PROVENANCE_SCHEMA = {
    "type": "object",
    "description": "Where the project comes from, each source with its page's address "
    "(only the sources the caller may read).",
    "properties": {
        "event": {**_LINK, "nullable": True},
        "ideas": {"type": "array", "items": _LINK},
        "help_requests": {"type": "array", "items": _LINK},
        "consultations": {"type": "array", "items": _LINK},
    },
}


def provenance(project) -> dict:
    """The project's sources as links (read from ``selectors.project_list``'s prefetches).

    A draft event is never named here: the project may be public while its event is not
    (issue 16, item 4)."""
    event = project.event
    if event is not None and event.status == EventStatus.DRAFT:
        event = None
    return {
        "event": {
            "id": event.pk,
            "title": event.title,
            "url": reverse("frontend:event-detail", args=[event.pk]),
        }
        if event
        else None,
        "ideas": [
            {
                "id": idea.pk,
                "event": idea.event_id,
                "text": idea.text,
                "url": reverse("frontend:board", args=[idea.event_id]) + f"#idea-{idea.pk}",
            }
            for idea in getattr(project, "visible_ideas", ())
        ],
        "help_requests": [
            {"id": hr.pk, "title": hr.title, "url": reverse("frontend:help-detail", args=[hr.pk])}
            for hr in getattr(project, "visible_help_requests", ())
        ],
        "consultations": [
            {
                "id": m.pk,
                "event": m.schedule.event_id,
                "organization": m.organization.name,
                "expert": m.expert.public_name,
                "round": m.round,
                "table": m.table,
                "url": reverse("frontend:event-agenda", args=[m.schedule.event_id]),
            }
            for m in getattr(project, "visible_meetings", ())
        ],
    }


class ProjectSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    partners = IdField(many=True, queryset=Organization.objects.all(), required=False)
    organizations = IdField(many=True, queryset=Organization.objects.all(), required=False)
    event = IdField(queryset=Event.objects.all(), required=False, allow_null=True)
    # Written as ids; read back filtered by what the caller may see (``to_representation``).
    theme = IdField(queryset=Theme.objects.all(), required=False, allow_null=True)
    source_help_requests = IdField(
        many=True, queryset=HelpRequest.objects.all(), required=False, write_only=True
    )
    source_ideas = IdField(many=True, queryset=Idea.objects.all(), required=False, write_only=True)
    source_meetings = IdField(
        many=True,
        queryset=Meeting.objects.select_related("schedule__event"),
        required=False,
        write_only=True,
        help_text="Consultations (meetings) the project comes from.",
    )
    confirm_duplicate = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Make the project even if one of its sources already became a project "
        "(otherwise 409 `source_in_project`).",
    )
    provenance = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField(
        help_text="Weight of the done milestones over all of them, in %; null without any."
    )
    partners_detail = OrganizationBriefSerializer(source="partners", many=True, read_only=True)
    organizations_detail = OrganizationBriefSerializer(
        source="organizations", many=True, read_only=True
    )
    team = ProjectMemberSerializer(source="members", many=True, read_only=True)
    late_milestone_count = serializers.IntegerField(read_only=True, default=0)
    last_update_at = serializers.DateTimeField(read_only=True, default=None, allow_null=True)
    allowed_phases = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "title_fr",
            "title_en",
            "summary_fr",
            "summary_en",
            "visibility",
            "phase",
            "phase_changed_at",
            "allowed_phases",
            "region",
            "event",
            "theme",
            "partners",
            "partners_detail",
            "organizations",
            "organizations_detail",
            "source_ideas",
            "source_help_requests",
            "source_meetings",
            "confirm_duplicate",
            "provenance",
            "progress",
            "team",
            "late_milestone_count",
            "last_update_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "phase", "phase_changed_at", "created_at", "updated_at"]
        bilingual = ["title", "summary"]
        bilingual_required = ["title"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            # A draft event (its themes, its ideas) answers like one that does not exist:
            # the same 400, so no title reaches the project page and no draft id leaks.
            visible = events_visible_to(request.user).values("pk")
            fields["event"].queryset = Event.objects.filter(pk__in=visible)
            fields["theme"].queryset = Theme.objects.filter(event__in=visible)
            fields["source_ideas"].child_relation.queryset = Idea.objects.filter(event__in=visible)
        return fields

    def get_allowed_phases(self, project) -> list[str]:
        return allowed_moves(project.phase)

    @extend_schema_field(PROVENANCE_SCHEMA)
    def get_provenance(self, project) -> dict:
        return provenance(project)

    def get_progress(self, project) -> int | None:
        return project.progress_percent

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            attrs.pop("confirm_duplicate", None)
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["late_milestone_count"] = getattr(instance, "late_milestone_count", None) or 0
        # Provenance shows only the help requests the caller may read (see selectors).
        visible = getattr(instance, "visible_help_requests", None)
        data["source_help_requests"] = [hr.pk for hr in visible] if visible is not None else []
        ideas = getattr(instance, "visible_ideas", None)
        data["source_ideas"] = [idea.pk for idea in ideas] if ideas is not None else []
        meetings = getattr(instance, "visible_meetings", None)
        data["source_meetings"] = [m.pk for m in meetings] if meetings is not None else []
        data.pop("confirm_duplicate", None)
        return data


class ProjectDetailSerializer(ProjectSerializer):
    transitions = PhaseTransitionSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "transitions"]


class TransitionSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    criteria = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        required=False,
        max_length=100,
        default=list,
        help_text="Ids of the entry criteria of `phase` the team ticks: all of them are "
        "needed to enter a phase (not to go back).",
    )


class PhaseCriterionSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PhaseCriterion
        fields = ["id", "phase", "text_fr", "text_en", "position", "active"]
        read_only_fields = ["id"]
        bilingual = ["text"]
        bilingual_required = ["text"]


class TeamAddSerializer(serializers.Serializer):
    user = IdNumberField(max_value=2**31 - 1)
    role = serializers.ChoiceField(choices=ProjectRole.choices, required=False)


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField(read_only=True)


class MilestoneSerializer(serializers.ModelSerializer):
    late = serializers.BooleanField(source="is_late", read_only=True)
    done = serializers.BooleanField(source="is_done", read_only=True)

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "title",
            "title_en",
            "due_on",
            "done_on",
            "done",
            "late",
            "weight",
            "created_at",
        ]
        read_only_fields = ["id", "project", "done", "late", "created_at"]
        extra_kwargs = {"weight": {"min_value": 1, "max_value": 100}}


class ProjectUpdateSerializer(serializers.ModelSerializer):
    author = UserPublicSerializer(read_only=True)

    class Meta:
        model = ProjectUpdate
        fields = ["id", "project", "text", "text_en", "author", "created_at"]
        read_only_fields = ["id", "project", "author", "created_at"]


class IndicatorValueSerializer(serializers.ModelSerializer):
    value = _number()
    measured_on = serializers.DateField(required=False)

    class Meta:
        model = IndicatorValue
        fields = ["id", "value", "measured_on"]
        read_only_fields = ["id"]


class IndicatorSerializer(serializers.ModelSerializer):
    target = _number()
    baseline = _number(required=False, allow_null=True)
    current = _number(required=False, allow_null=True)
    progress = serializers.IntegerField(source="progress_percent", read_only=True)
    reached = serializers.BooleanField(read_only=True)
    history = IndicatorValueSerializer(source="values", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "project",
            "name",
            "name_en",
            "unit",
            "target",
            "baseline",
            "current",
            "progress",
            "reached",
            "position",
            "history",
        ]
        read_only_fields = ["id", "project", "progress", "reached", "history"]


class StorySerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    publish = serializers.BooleanField(write_only=True, required=False, allow_null=True)
    project_title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = Story
        fields = [
            "id",
            "project",
            "project_title",
            "title_fr",
            "title_en",
            "narrative_fr",
            "narrative_en",
            "worked_fr",
            "worked_en",
            "did_not_work_fr",
            "did_not_work_en",
            "lessons_fr",
            "lessons_en",
            "published_at",
            "publish",
            "updated_at",
        ]
        read_only_fields = ["id", "project", "project_title", "published_at", "updated_at"]
        bilingual = ["narrative", "worked", "did_not_work", "lessons"]
        bilingual_required = ["narrative"]

    def get_fields(self):
        fields = super().get_fields()
        fields["title"] = serializers.CharField(read_only=True)
        return fields
