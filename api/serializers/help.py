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
    User,
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
    expert = IdField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        write_only=True,
        help_text="The same expert again (user id): the request is offered to that expert "
        "first; only they may claim it until `offered_until`.",
    )
    rating = serializers.SerializerMethodField()

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
            "expert",
            "offered_to",
            "offered_until",
            "escalation_level",
            "rating",
        ]
        read_only_fields = [
            "id",
            "status",
            "claimed_by",
            "claimed_at",
            "offered_to",
            "offered_until",
            "escalation_level",
            "created_by",
            "created_at",
            "updated_at",
        ]

    def get_rating(self, obj) -> dict | None:
        rating = getattr(obj, "rating", None)
        return None if rating is None else {"score": rating.score, "comment": rating.comment}

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
        fields = [f for f in HelpRequestSerializer.Meta.fields if f != "expert"]
        read_only_fields = [*HelpRequestSerializer.Meta.read_only_fields, "organization"]


class RatingInputSerializer(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class HelpStatsExpertSerializer(serializers.Serializer):
    expert = serializers.IntegerField(help_text="user id")
    name = serializers.CharField()
    claimed = serializers.IntegerField(help_text="requests held now (claimed or in progress)")
    resolved = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True, help_text="mean score, 1 to 5")
    ratings = serializers.IntegerField(help_text="how many ratings")


class HelpStatsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    claimed = serializers.IntegerField()
    resolved = serializers.IntegerField()
    median_wait_seconds = serializers.FloatField(
        allow_null=True, help_text="from a request's creation to its first claim"
    )
    experts = HelpStatsExpertSerializer(many=True)


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
