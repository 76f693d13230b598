from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from ateliers.calendar import events_to_ical
from ateliers.filtersets import EventFilterSet, RegistrationFilterSet
from ateliers.i18n import current_language
from ateliers.models import Event, Registration, Theme, TimeSlot
from ateliers.permissions import is_account, is_organizer
from ateliers.selectors import events as event_selectors
from ateliers.selectors import people as people_selectors
from ateliers.services import events as event_services
from ateliers.services import schedule as schedule_services

from ..permissions import IsAccount, OrganizerWritesOthersRead
from ..serializers.events import (
    EventSerializer,
    RegistrationSerializer,
    ThemeSerializer,
    TimeSlotSerializer,
)


def ical_response(payload: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class EventViewSet(viewsets.ModelViewSet):
    """Events (ateliers). Drafts are visible to organizers only."""

    serializer_class = EventSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = Event.objects.none()
    filterset_class = EventFilterSet
    ordering_fields = ["starts_at", "created_at", "title_fr", "title_en"]
    ordering = ["starts_at", "id"]
    search_fields = ["title_fr", "title_en", "description_fr", "description_en", "venue"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return event_selectors.event_list(self.request.user)

    def get_permissions(self):
        if self.action in {"calendar", "calendar_all"}:
            return [AllowAny()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = event_services.event_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = event_services.event_update(
            actor=self.request.user, event=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        event_services.event_delete(actor=self.request.user, event=instance)

    @extend_schema(
        operation_id="events_calendar_all", responses={(200, "text/calendar"): OpenApiTypes.BYTE}
    )
    def calendar_all(self, request):
        """All published events as an iCalendar feed."""
        events = event_selectors.events_visible_to(None).exclude(status="draft")
        return ical_response(events_to_ical(events, lang=current_language()), "livinglab.ics")

    @extend_schema(
        operation_id="events_calendar", responses={(200, "text/calendar"): OpenApiTypes.BYTE}
    )
    def calendar(self, request, pk=None):
        """One event as an iCalendar file: the day, then one VEVENT per programme slot."""
        event = self.get_object()
        return ical_response(
            events_to_ical([event], lang=current_language(), slots=True), f"event-{event.pk}.ics"
        )


class EventChildMixin:
    """Views nested under ``/api/events/{event_pk}/``: the event must be visible."""

    def get_event(self) -> Event:
        if not hasattr(self, "_event"):
            self._event = get_object_or_404(
                event_selectors.events_visible_to(self.request.user), pk=self.kwargs["event_pk"]
            )
        return self._event


class ThemeViewSet(EventChildMixin, viewsets.ModelViewSet):
    """The event's themes (columns of the ideas board)."""

    serializer_class = ThemeSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = Theme.objects.none()
    ordering_fields = ["position", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Theme.objects.filter(event=self.get_event())

    def _data(self, serializer):
        data = dict(serializer.validated_data)
        if "description" in data:
            description = data.pop("description")
            data.setdefault("description_fr", description)
        return data

    def perform_create(self, serializer):
        serializer.instance = event_services.theme_create(
            actor=self.request.user, event=self.get_event(), **self._data(serializer)
        )

    def perform_update(self, serializer):
        event_services.theme_update(
            actor=self.request.user, theme=serializer.instance, **self._data(serializer)
        )

    def perform_destroy(self, instance):
        event_services.theme_delete(actor=self.request.user, theme=instance)


class TimeSlotViewSet(EventChildMixin, viewsets.ModelViewSet):
    """The event's programme: talks, workshops, consultation rounds."""

    serializer_class = TimeSlotSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = TimeSlot.objects.none()
    ordering_fields = ["starts_at", "id"]
    filterset_fields = ["kind", "theme"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return TimeSlot.objects.filter(event=self.get_event())

    def perform_create(self, serializer):
        serializer.instance = event_services.slot_create(
            actor=self.request.user, event=self.get_event(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        event_services.slot_update(
            actor=self.request.user, slot=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        event_services.slot_delete(actor=self.request.user, slot=instance)


class RegistrationViewSet(EventChildMixin, viewsets.ModelViewSet):
    """Registrations: organizers see all; an account sees its own and its organisations'."""

    serializer_class = RegistrationSerializer
    permission_classes = [IsAccount]
    queryset = Registration.objects.none()
    filterset_class = RegistrationFilterSet
    ordering_fields = ["created_at", "role", "checked_in_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if not is_account(self.request.user):
            return Registration.objects.none()
        return people_selectors.registrations_visible_to(self.request.user, self.get_event())

    def _windows(self, data):
        return [
            {"starts_at": w["starts_at"], "ends_at": w["ends_at"]}
            for w in data.get("available") or []
        ]

    def perform_create(self, serializer):
        data = serializer.validated_data
        self._check_options(data, data["role"])
        serializer.instance = event_services.registration_create(
            actor=self.request.user,
            event=self.get_event(),
            role=data["role"],
            organization=data.get("organization"),
            available=self._windows(data),
            max_meetings=data.get("max_meetings"),
        )
        self._consultation_options(serializer.instance, data)

    def perform_update(self, serializer):
        data = serializer.validated_data
        self._check_options(data, serializer.instance.role)
        serializer.instance = event_services.registration_update(
            actor=self.request.user,
            registration=serializer.instance,
            available=self._windows(data) if "available" in data else None,
            **({"max_meetings": data["max_meetings"]} if "max_meetings" in data else {}),
        )
        self._consultation_options(serializer.instance, data)

    def _check_options(self, data, role):
        """Checked before anything is written, so a refusal leaves nothing half-done."""
        if {"priority", "experts_per_meeting"} & set(data):
            if not is_organizer(self.request.user):
                raise PermissionDenied(
                    "Only organizers set an organisation's priority and meeting size."
                )
            if role != "organization":
                raise ValidationError(
                    {"priority": ["Only an organisation's registration has this."]}
                )

    def _consultation_options(self, registration, data):
        """Priority and meeting size: the organizers' choices (docs/schedule.md)."""
        options = {k: data[k] for k in ("priority", "experts_per_meeting") if k in data}
        if options:
            schedule_services.registration_consultation_options(
                actor=self.request.user, registration=registration, **options
            )

    def perform_destroy(self, instance):
        event_services.registration_cancel(actor=self.request.user, registration=instance)

    @extend_schema(request=None, responses={200: RegistrationSerializer})
    @action(detail=True, methods=["post", "delete"], url_path="check-in")
    def check_in(self, request, event_pk=None, pk=None):
        """Organizers check a person in at the door (``DELETE`` undoes it)."""
        if not is_organizer(request.user):
            raise PermissionDenied("Only organizers can check people in.")
        registration = self.get_object()
        registration = event_services.registration_check_in(
            actor=request.user, registration=registration, undo=request.method == "DELETE"
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_200_OK)
