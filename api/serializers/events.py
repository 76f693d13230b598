from __future__ import annotations

from django.urls import reverse
from rest_framework import serializers

from ateliers.choices import RegistrationRole
from ateliers.models import Event, Organization, Registration, Theme, TimeSlot
from ateliers.models.events import EVENT_CONTENT_FIELDS

from ..fields import (
    BilingualSerializerMixin,
    EventDateTimeField,
    IdField,
    LanguageListSerializerField,
)
from .accounts import UserPublicSerializer


class EventSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    languages = LanguageListSerializerField(allow_empty=False)
    starts_at = EventDateTimeField()
    ends_at = EventDateTimeField()
    board_locked = serializers.BooleanField(required=False)
    theme_count = serializers.IntegerField(read_only=True, required=False)
    registration_count = serializers.IntegerField(read_only=True, required=False)
    calendar_url = serializers.SerializerMethodField()
    join_url = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "id",
            *EVENT_CONTENT_FIELDS,
            "join_code",
            "board_locked",
            "moderation",
            "theme_count",
            "registration_count",
            "calendar_url",
            "join_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "join_code", "created_at", "updated_at"]
        bilingual = ["title", "description"]
        bilingual_required = ["title"]

    def get_calendar_url(self, event) -> str:
        return reverse("api:event-calendar", kwargs={"pk": event.pk})

    def get_join_url(self, event) -> str:
        return reverse("frontend:join") + f"?code={event.join_code}"


class ThemeSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, write_only=True
    )

    class Meta:
        model = Theme
        fields = [
            "id",
            "event",
            "name_fr",
            "name_en",
            "description_fr",
            "description_en",
            "description",
            "position",
        ]
        read_only_fields = ["id", "event"]
        bilingual = ["name"]
        bilingual_required = ["name"]

    def to_representation(self, obj):
        data = super().to_representation(obj)
        data["description"] = obj.description
        return data


class TimeSlotSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    serializer_related_field = IdField  # theme: no 1e999 (a 500), no 2.7 (truncated)

    starts_at = EventDateTimeField()
    ends_at = EventDateTimeField()

    class Meta:
        model = TimeSlot
        fields = [
            "id",
            "event",
            "title_fr",
            "title_en",
            "kind",
            "starts_at",
            "ends_at",
            "room",
            "theme",
        ]
        read_only_fields = ["id", "event"]
        bilingual = ["title"]
        bilingual_required = ["title"]


class WindowSerializer(serializers.Serializer):
    starts_at = EventDateTimeField()
    ends_at = EventDateTimeField()


class RegistrationSerializer(serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=RegistrationRole.choices)
    organization = IdField(queryset=Organization.objects.all(), required=False, allow_null=True)
    user = UserPublicSerializer(read_only=True)
    available = WindowSerializer(many=True, required=False)
    max_meetings = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=48,
        help_text="Consultations wished (organisation) or given at most (expert); "
        "the schedule respects it. Empty: as many as the schedule allows.",
    )
    priority = serializers.IntegerField(
        required=False,
        min_value=0,
        max_value=3,
        help_text="Organisations only, set by organizers (403 otherwise): 0–3; each meeting "
        "of a priority-p organisation counts 25 × p more in the schedule's objective, so "
        "when seats are short higher priorities get their meetings first.",
    )
    experts_per_meeting = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=3,
        help_text="Organisations only, set by organizers (403 otherwise): 1–3; a meeting "
        "may seat that many experts at one table when each covers a need the others do "
        "not (a multi-party meeting).",
    )
    checked_in = serializers.BooleanField(read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "role",
            "organization",
            "user",
            "available",
            "max_meetings",
            "priority",
            "experts_per_meeting",
            "checked_in",
            "checked_in_at",
            "created_at",
        ]
        read_only_fields = ["id", "event", "user", "checked_in", "checked_in_at", "created_at"]
