from __future__ import annotations

from rest_framework import serializers

from ateliers.choices import HelpFormat, HelpStatus, Language, Urgency
from ateliers.models import (
    Event,
    HelpRequest,
    HelpRequestMessage,
    HelpRequestTransition,
    Notification,
    Organization,
    Skill,
)
from ateliers.permissions import is_organizer

from ..fields import IdField, IdNumberField
from .accounts import UserPublicSerializer


class HelpRequestSerializer(serializers.ModelSerializer):
    """A help request. ``contact`` (e-mails) is filled only for the organisation's members,
    the claiming expert and organizers; it is ``null`` for everyone else."""

    organization = IdField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    event = IdField(queryset=Event.objects.all(), required=False, allow_null=True)
    skills = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Skill.objects.all(), required=False
    )
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    format = serializers.ChoiceField(choices=HelpFormat.choices, required=False)
    claimed_by_name = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = HelpRequest
        fields = [
            "id",
            "organization",
            "organization_name",
            "event",
            "title",
            "description",
            "skills",
            "language",
            "urgency",
            "format",
            "status",
            "claimed_by",
            "claimed_by_name",
            "claimed_at",
            "created_by",
            "created_at",
            "updated_at",
            "contact",
        ]
        read_only_fields = [
            "id",
            "status",
            "claimed_by",
            "claimed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def get_claimed_by_name(self, obj) -> str | None:
        return obj.claimed_by.public_name if obj.claimed_by_id and obj.claimed_by else None

    def get_contact(self, obj) -> dict | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        my_orgs = self.context.get("my_org_ids", set())
        if "is_organizer" not in self.context:  # once per response, not once per row
            self.context["is_organizer"] = is_organizer(user)
        allowed = self.context["is_organizer"] or (
            user is not None
            and getattr(user, "is_authenticated", False)
            and (obj.claimed_by_id == user.pk or obj.organization_id in my_orgs)
        )
        if not allowed:
            return None
        return {
            "organization": obj.created_by.email if obj.created_by_id and obj.created_by else "",
            "expert": obj.claimed_by.email if obj.claimed_by_id and obj.claimed_by else "",
        }


class HelpRequestUpdateSerializer(HelpRequestSerializer):
    class Meta(HelpRequestSerializer.Meta):
        read_only_fields = [*HelpRequestSerializer.Meta.read_only_fields, "organization"]


class TransitionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class HelpRequestTransitionSerializer(serializers.ModelSerializer):
    actor = UserPublicSerializer(read_only=True)
    # "" on the first row (the request's creation)
    from_status = serializers.ChoiceField(choices=[("", "—"), *HelpStatus.choices], read_only=True)

    class Meta:
        model = HelpRequestTransition
        fields = ["id", "from_status", "to_status", "actor", "note", "created_at"]
        read_only_fields = fields


class HelpRequestMessageSerializer(serializers.ModelSerializer):
    author = UserPublicSerializer(read_only=True)
    text = serializers.CharField(max_length=5000)

    class Meta:
        model = HelpRequestMessage
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ExpertSuggestionSerializer(serializers.Serializer):
    expert = serializers.IntegerField(source="expert.pk")
    user = UserPublicSerializer(source="expert.user")
    languages = serializers.ListField(source="expert.languages", child=serializers.CharField())
    skills = serializers.SerializerMethodField()
    score = serializers.IntegerField(source="match.score")
    fit = serializers.IntegerField(source="match.fit")
    covered = serializers.ListField(source="match.covered", child=serializers.CharField())
    reasons = serializers.ListField(source="match.reasons", child=serializers.CharField())
    summary = serializers.SerializerMethodField()

    def get_skills(self, obj) -> list[str]:
        return [s.slug for s in obj.expert.skills.all()]

    def get_summary(self, obj) -> str:
        return " · ".join(obj.match.reasons)


class RequestSuggestionSerializer(serializers.Serializer):
    request = HelpRequestSerializer()
    score = serializers.IntegerField(source="match.score")
    fit = serializers.IntegerField(source="match.fit")
    covered = serializers.ListField(source="match.covered", child=serializers.CharField())
    reasons = serializers.ListField(source="match.reasons", child=serializers.CharField())
    summary = serializers.SerializerMethodField()

    def get_summary(self, obj) -> str:
        return " · ".join(obj.match.reasons)


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "payload",
            "help_request",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields


class NotificationReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=IdNumberField(), required=False, max_length=1000)
