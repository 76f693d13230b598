"""Co-moderators and facilitators of one event."""

from __future__ import annotations

from rest_framework import serializers

from ateliers.choices import ModeratorRole
from ateliers.models import EventModerator, User

from ..fields import IdField


class ModeratorAppointSerializer(serializers.Serializer):
    user = IdField(queryset=User.objects.filter(is_active=True))
    role = serializers.ChoiceField(
        choices=ModeratorRole.choices, default=ModeratorRole.MODERATOR, required=False
    )


class EventModeratorSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="user.public_name", read_only=True)
    appointed_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = EventModerator
        fields = ["id", "event", "user", "display_name", "role", "appointed_at"]
        read_only_fields = fields
