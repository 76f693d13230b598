"""Webhooks and their delivery log (docs/webhooks.md)."""

from __future__ import annotations

from rest_framework import serializers

from ateliers.models import Event
from webhooks.models import Delivery, Webhook

from ..fields import IdField


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.CharField(max_length=60),
        min_length=1,
        max_length=50,
        help_text="Event names: `board.*`, `help.*`, `project.*` or exact ones such as "
        "`board.idea.created`, `help.resolved`, `project.phase`.",
    )
    secret = serializers.CharField(
        write_only=True,
        min_length=16,
        max_length=200,
        help_text="Signs each body: `X-Livinglab-Signature: sha256=<HMAC-SHA256 hex>`.",
    )
    event = IdField(
        queryset=Event.objects.all(),
        required=False,
        allow_null=True,
        help_text="Only this event's board, help desk and projects (all when empty).",
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "events", "secret", "event", "active", "created_at"]
        read_only_fields = ["id", "created_at"]


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    attempt_count = serializers.SerializerMethodField()
    last_status_code = serializers.SerializerMethodField()

    class Meta:
        model = Delivery
        fields = [
            "id",
            "name",
            "status",
            "attempt_count",
            "last_status_code",
            "attempts",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "body",
        ]
        read_only_fields = fields

    def get_attempt_count(self, delivery) -> int:
        return len(delivery.attempts or [])

    def get_last_status_code(self, delivery) -> int | None:
        return (delivery.attempts or [{}])[-1].get("status_code") if delivery.attempts else None
