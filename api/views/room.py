"""Who runs an event's room: organizers appoint co-moderators and facilitators."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers.duplicates import event_suggestions
from ateliers.models import User
from ateliers.permissions import can_moderate_event
from ateliers.services import moderators as moderator_services

from ..permissions import IsOrganizer
from ..serializers.room import EventModeratorSerializer, ModeratorAppointSerializer
from .events import EventChildMixin

REFUSED = {
    401: OpenApiResponse(description="Not logged in."),
    403: OpenApiResponse(description="Not an organizer."),
    404: OpenApiResponse(description="No such event (or account)."),
}


class EventModeratorsView(EventChildMixin, APIView):
    """``POST {user, role?}``: that account moderates this event (``role: "moderator"``,
    the default) or facilitates it (``"facilitator"``: polls only) — and no other event."""

    permission_classes = [IsOrganizer]

    @extend_schema(
        request=ModeratorAppointSerializer,
        responses={
            201: EventModeratorSerializer,
            200: OpenApiResponse(EventModeratorSerializer, description="Already appointed."),
            400: OpenApiResponse(description="No such active account, or a bad role."),
            **REFUSED,
        },
    )
    def post(self, request, event_pk=None):
        event = self.get_event()
        serializer = ModeratorAppointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment, created = moderator_services.moderator_appoint(
            actor=request.user, event=event, **serializer.validated_data
        )
        return Response(
            EventModeratorSerializer(appointment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class EventModeratorView(EventChildMixin, APIView):
    """``DELETE``: withdraw an account's appointment on this event."""

    permission_classes = [IsOrganizer]

    @extend_schema(responses={204: None, **REFUSED})
    def delete(self, request, event_pk=None, user_pk=None):
        event = self.get_event()
        user = get_object_or_404(User, pk=user_pk)
        moderator_services.moderator_remove(actor=request.user, event=event, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DuplicateGroupSerializer(serializers.Serializer):
    lead = serializers.IntegerField(help_text="The idea the others would be merged into.")
    ideas = serializers.ListField(child=serializers.IntegerField(), help_text="Lead first.")
    score = serializers.FloatField(help_text="The best similarity in the group (0–1).")


class DuplicatesSerializer(serializers.Serializer):
    groups = DuplicateGroupSerializer(many=True)


class EventDuplicatesView(EventChildMixin, APIView):
    """Likely duplicates among the board's visible ideas, best first (the event's
    moderators). Merge with ``POST /api/ideas/{id}/moderate/ {action: "merge", into}``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: DuplicatesSerializer, **REFUSED})
    def get(self, request, event_pk=None):
        event = self.get_event()
        if not can_moderate_event(request.user, event):
            raise PermissionDenied("Only this event's moderators see duplicate suggestions.")
        groups = [
            {
                "lead": group["lead"].pk,
                "ideas": [group["lead"].pk] + [idea.pk for idea in group["others"]],
                "score": group["score"],
            }
            for group in event_suggestions(event)
        ]
        return Response({"groups": groups})
