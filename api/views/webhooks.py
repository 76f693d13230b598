"""``/api/webhooks/`` (organizers): subscribe an address to events; the delivery log."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from webhooks import services
from webhooks.models import Webhook

from ..permissions import IsOrganizer
from ..serializers.webhooks import DeliverySerializer, WebhookSerializer


class WebhookViewSet(viewsets.ModelViewSet):
    """Webhooks: each matching event is POSTed as JSON to ``url``, signed with
    ``X-Livinglab-Signature: sha256=<HMAC-SHA256 of the body with the secret>``, retried
    with backoff. Private, loopback and link-local addresses are refused (SSRF)."""

    serializer_class = WebhookSerializer
    permission_classes = [IsOrganizer]
    queryset = Webhook.objects.order_by("id")
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.webhook_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.webhook_save(
            actor=self.request.user, webhook=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.webhook_delete(actor=self.request.user, webhook=instance)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request, pk=None):
        """The delivery log, newest first: status, every attempt (date, HTTP status,
        error, duration), the next attempt, the body sent."""
        webhook = self.get_object()
        qs = webhook.deliveries.order_by("-created_at", "-id")
        page = self.paginate_queryset(qs)
        serializer = DeliverySerializer(page if page is not None else qs, many=True)
        if page is not None:
            return self.get_paginated_response(serializer.data)
        return Response(serializer.data)
