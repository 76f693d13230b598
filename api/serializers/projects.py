"""Projects and what hangs off them (CONTRACT.md "Projects")."""

from __future__ import annotations

from rest_framework import serializers

from ateliers.models import Event, HelpRequest, Idea, Organization, Theme
from ateliers.selectors import events_visible_to
from projets.choices import Phase, ProjectRole, allowed_moves
from projets.models import (
    Indicator,
    IndicatorValue,
    Milestone,
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
        fields = ["id", "from_phase", "to_phase", "note", "actor", "date", "created_at"]
        read_only_fields = fields


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

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["late_milestone_count"] = getattr(instance, "late_milestone_count", None) or 0
        # Provenance shows only the help requests the caller may read (see selectors).
        visible = getattr(instance, "visible_help_requests", None)
        data["source_help_requests"] = [hr.pk for hr in visible] if visible is not None else []
        ideas = getattr(instance, "visible_ideas", None)
        data["source_ideas"] = [idea.pk for idea in ideas] if ideas is not None else []
        return data


class ProjectDetailSerializer(ProjectSerializer):
    transitions = PhaseTransitionSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = [*ProjectSerializer.Meta.fields, "transitions"]


class TransitionSerializer(serializers.Serializer):
    phase = serializers.ChoiceField(choices=Phase.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


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
        fields = ["id", "project", "title", "due_on", "done_on", "done", "late", "created_at"]
        read_only_fields = ["id", "project", "done", "late", "created_at"]


class ProjectUpdateSerializer(serializers.ModelSerializer):
    author = UserPublicSerializer(read_only=True)

    class Meta:
        model = ProjectUpdate
        fields = ["id", "project", "text", "author", "created_at"]
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

    def validate(self, attrs):
        attrs = super().validate(attrs)
        target = attrs.get("target", getattr(self.instance, "target", None))
        baseline = attrs.get("baseline", getattr(self.instance, "baseline", None))
        if target is not None and baseline is not None and target == baseline:
            raise serializers.ValidationError(
                {"target": ["The target must differ from the baseline."]}
            )
        return attrs


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
