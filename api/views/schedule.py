"""Consultation schedule and agendas (CONTRACT.md, "Consultation schedule"). Thin: the
service builds, the agenda module reads."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers.exceptions import NotFound
from ateliers.models import AgendaFeed, Event, Meeting, Organization, User
from ateliers.permissions import can_see_schedule
from ateliers.schedule.ical import agenda_ical, feed_ical
from ateliers.schedule.pdf import agenda_pdf
from ateliers.selectors import events as event_selectors
from ateliers.selectors import schedule as reads
from ateliers.services import schedule as services

from .. import examples
from ..permissions import IsAccount
from ..serializers.schedule import (
    MeetingRemoveSerializer,
    NoShowSerializer,
    PinInputSerializer,
    ScheduleInputSerializer,
    agenda_entry_data,
    schedule_data,
)

AGENDA_PARAMETERS = [
    OpenApiParameter("organization", int, description="organizers: an organisation's agenda"),
    OpenApiParameter("expert", int, description="organizers: an expert's (user id) agenda"),
]


class EventScheduleMixin:
    permission_classes = [IsAccount]

    def get_event(self) -> Event:
        return get_object_or_404(
            event_selectors.events_visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_schedule(self, event: Event):
        schedule = reads.schedule_of(event)
        if not can_see_schedule(self.request.user, schedule):
            raise NotFound(_("This event has no published consultation schedule."))
        return schedule


class ScheduleView(EventScheduleMixin, APIView):
    """``GET`` the event's consultation rounds; ``POST`` (organizers) builds them."""

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "`{meetings: [{organization, expert, round, table, fit, reasons, …}], stats: "
            "{objective, fit, organizations_served, upper_bound, …}}`. A multi-party meeting "
            "(an organisation whose registration has `experts_per_meeting` 2 or 3) seats "
            "several experts at one table: `experts` lists them all (user ids, the lead "
            "`expert` first) and `expert_names` their names; `fit` and `reasons` are the "
            "group's (each need counted once). `stats.objective` counts 25 × `priority` per "
            "meeting of an organisation with a priority (none: the contract's objective); "
            "`stats.multi_party` counts the multi-party meetings. See docs/schedule.md."
        ),
    )
    def get(self, request, pk):
        return Response(schedule_data(self.get_schedule(self.get_event())))

    @extend_schema(
        request=ScheduleInputSerializer,
        responses={201: OpenApiTypes.OBJECT},
        examples=examples.SCHEDULE,
    )
    def post(self, request, pk):
        event = self.get_event()
        services.require_organizer(request.user)
        serializer = ScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        schedule = services.schedule_generate(
            actor=request.user,
            event=event,
            rounds=[dict(r) for r in data["rounds"]],
            tables=data["tables"],
            max_meetings_per_organization=data.get("max_meetings_per_organization"),
            keep_pins=data["keep_pins"],
            max_meetings_per_expert=data.get("max_meetings_per_expert"),
        )
        return Response(schedule_data(schedule), status=status.HTTP_201_CREATED)


class SchedulePublishView(EventScheduleMixin, APIView):
    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    def post(self, request, pk):
        services.require_organizer(request.user)
        schedule = self.get_schedule(self.get_event())
        schedule = services.schedule_publish(actor=request.user, schedule=schedule)
        return Response(schedule_data(schedule))


class MeetingPinView(EventScheduleMixin, APIView):
    """Pin a meeting where it is (``{meeting}``), or seat a pair (``{organization, expert,
    round, table?}``) there, pinned; ``pinned: false`` frees a pin.

    Before publishing the rest is solved again around the pins. After publishing nobody
    else moves: a meeting in the way gives 409 ``meeting_in_the_way`` naming it. The answer
    lists ``changes`` (who moved from where to where), and each person affected is told
    what changed for them."""

    @extend_schema(
        request=PinInputSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    def post(self, request, pk):
        services.require_organizer(request.user)
        schedule = self.get_schedule(self.get_event())
        serializer = PinInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "meeting" in data:
            meeting = get_object_or_404(Meeting, pk=data["meeting"], schedule=schedule)
            schedule = services.meeting_pin(
                actor=request.user, schedule=schedule, meeting=meeting, pinned=data["pinned"]
            )
        else:
            schedule = services.meeting_pin(
                actor=request.user,
                schedule=schedule,
                organization=get_object_or_404(Organization, pk=data["organization"]),
                expert=get_object_or_404(User, pk=data["expert"]),
                round=data["round"],
                table=data.get("table"),
            )
        return Response(schedule_data(schedule))


class MeetingRemoveView(EventScheduleMixin, APIView):
    """Take a meeting out; the pair is not matched again. Before publishing the rest is
    solved again; after, nobody else moves and (``refill``, default true) the freed seats
    go to new meetings. The answer lists ``changes``; each person affected is told."""

    @extend_schema(
        request=MeetingRemoveSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, pk):
        services.require_organizer(request.user)
        schedule = self.get_schedule(self.get_event())
        serializer = MeetingRemoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = get_object_or_404(
            Meeting, pk=serializer.validated_data["meeting"], schedule=schedule
        )
        schedule = services.meeting_remove(
            actor=request.user,
            schedule=schedule,
            meeting=meeting,
            refill=serializer.validated_data["refill"],
        )
        return Response(schedule_data(schedule))


class MeetingNoShowView(EventScheduleMixin, APIView):
    """Mark a no-show (``{meeting, absent: "organization"|"expert", refill?}``): the meeting
    goes, and (``refill``, default true) the one who came gets the best partner free in that
    round at the same table. Nobody else moves; ``changes`` lists what did."""

    @extend_schema(
        request=NoShowSerializer,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, pk):
        services.require_organizer(request.user)
        schedule = self.get_schedule(self.get_event())
        serializer = NoShowSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = get_object_or_404(Meeting, pk=data["meeting"], schedule=schedule)
        schedule = services.meeting_no_show(
            actor=request.user,
            schedule=schedule,
            meeting=meeting,
            absent=data["absent"],
            refill=data["refill"],
        )
        return Response(schedule_data(schedule))


class AgendaView(EventScheduleMixin, APIView):
    """The caller's consultations (organizers: ``?organization=`` or ``?expert=``)."""

    def read_agenda(self, request):
        """The event, its schedule, whose agenda it is, and their consultations."""
        event = self.get_event()
        schedule = self.get_schedule(event)
        who, entries = reads.agenda_for(
            request.user,
            schedule,
            organization=request.query_params.get("organization"),
            expert=request.query_params.get("expert"),
        )
        return event, schedule, who, entries

    @extend_schema(parameters=AGENDA_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        event, schedule, who, entries = self.read_agenda(request)
        return Response(
            {
                "event": event.pk,
                "schedule": schedule.pk,
                "status": schedule.status,
                "name": who,
                "meetings": [agenda_entry_data(e, event.pk) for e in entries],
            }
        )


class AgendaICalView(AgendaView):
    @extend_schema(
        parameters=AGENDA_PARAMETERS, responses={(200, "text/calendar"): OpenApiTypes.BYTE}
    )
    def get(self, request, pk):
        event, _schedule, who, entries = self.read_agenda(request)
        payload = agenda_ical(event, entries, name=f"{event.tr('title')} — {who}")
        response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="agenda-{event.pk}.ics"'
        return response


class AgendaPDFView(AgendaView):
    @extend_schema(
        parameters=AGENDA_PARAMETERS, responses={(200, "application/pdf"): OpenApiTypes.BYTE}
    )
    def get(self, request, pk):
        event, _schedule, who, entries = self.read_agenda(request)
        payload = agenda_pdf(
            event_title=event.tr("title"), person=who, day=event.starts_at, entries=entries
        )
        response = HttpResponse(payload, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="agenda-{event.pk}.pdf"'
        return response


def feed_url(request, feed: AgendaFeed) -> str:
    path = reverse("api:agenda-feed-ics", args=[feed.token])
    site = getattr(settings, "SITE_URL", "") or ""
    return f"{site.rstrip('/')}{path}" if site else request.build_absolute_uri(path)


class MeAgendaFeedView(APIView):
    """``GET`` → ``{url}``: the caller's secret calendar address (a calendar app subscribes
    to it, without a session); ``DELETE`` revokes it (the old address answers 404, the next
    ``GET`` makes a new one)."""

    permission_classes = [IsAccount]

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "The secret address",
                value={"url": "https://atelier.example.org/api/agenda-feed/Zx3…Qk.ics"},
                response_only=True,
            )
        ],
    )
    def get(self, request):
        feed = services.agenda_feed_get_or_create(user=request.user)
        return Response({"url": feed_url(request, feed)})

    @extend_schema(responses={204: None, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT})
    def delete(self, request):
        services.agenda_feed_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AgendaFeedICalView(APIView):
    """The agenda behind a secret address, as ``text/calendar``: every published
    consultation of its owner, in the site's time zone with its VTIMEZONE. No session, no
    token header: the address is the key; a revoked or unknown one gives 404."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        responses={(200, "text/calendar"): OpenApiTypes.BYTE, 404: OpenApiTypes.OBJECT},
        auth=[],
    )
    def get(self, request, token):
        feed = (
            AgendaFeed.objects.select_related("user")
            .filter(token=token, user__is_active=True)
            .first()
        )
        if feed is None:
            raise NotFound(_("No such calendar address (it may have been revoked)."))
        payload = feed_ical(
            feed.user, name=_("Consultations — %(who)s") % {"who": feed.user.public_name}
        )
        response = HttpResponse(payload, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="consultations.ics"'
        response["Cache-Control"] = "private, no-store"
        return response
