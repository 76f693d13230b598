"""Live polls over HTTP: thin views over ``ateliers.services.polls``."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers.models import Poll
from ateliers.selectors import events as event_selectors
from ateliers.selectors import polls as poll_selectors
from ateliers.services import polls as poll_services

from ..serializers.polls import (
    PollAnswerResponseSerializer,
    PollAnswerSerializer,
    PollCreateSerializer,
    PollResultsSerializer,
    PollSerializer,
    PollStatusSerializer,
)
from .board import participant_for
from .events import EventChildMixin

ERRORS = {
    400: OpenApiResponse(description="Invalid input (field errors)."),
    401: OpenApiResponse(description="Not logged in."),
    403: OpenApiResponse(description="Not allowed on this event."),
    404: OpenApiResponse(description="No such event or poll (drafts: runners only)."),
}


def _poll(request, pk: int) -> Poll:
    """A poll the caller may see: in an event it may see, drafts for the runners only."""
    poll = get_object_or_404(
        Poll.objects.filter(event__in=event_selectors.events_visible_to(request.user)), pk=pk
    )
    return get_object_or_404(poll_selectors.polls_visible_to(request.user, poll.event_id), pk=pk)


class EventPollsView(EventChildMixin, APIView):
    """``GET``: the event's polls, newest first, without results (drafts for its moderators
    and facilitators);
    ``POST``: a new draft poll (moderators and facilitators)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: PollSerializer(many=True), 404: ERRORS[404]})
    def get(self, request, event_pk=None):
        polls = poll_selectors.polls_visible_to(request.user, self.get_event())[:50]
        return Response([poll_selectors.poll_dict(poll, results=False) for poll in polls])

    @extend_schema(request=PollCreateSerializer, responses={201: PollSerializer, **ERRORS})
    def post(self, request, event_pk=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        event = self.get_event()
        serializer = PollCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        poll = poll_services.poll_create(
            actor=request.user, event=event, **serializer.validated_data
        )
        return Response(poll_selectors.poll_dict(poll), status=status.HTTP_201_CREATED)


class PollView(APIView):
    """``GET`` a poll; ``PATCH {status: "open"|"closed"}`` opens or closes it live."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: PollSerializer, 404: ERRORS[404]})
    def get(self, request, pk=None):
        return Response(poll_selectors.poll_dict(_poll(request, pk)))

    @extend_schema(
        request=PollStatusSerializer,
        responses={
            200: PollSerializer,
            409: OpenApiResponse(description="The poll changed in the meantime."),
            **ERRORS,
        },
    )
    def patch(self, request, pk=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        poll = _poll(request, pk)
        serializer = PollStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        poll = poll_services.poll_set_status(
            actor=request.user, poll=poll, status=serializer.validated_data["status"]
        )
        return Response(poll_selectors.poll_dict(poll))


class PollAnswerView(APIView):
    """A guest answers (``Bearer`` token, or an account's own board identity): once per
    poll; answering again replaces the answer. Only while the poll is open (else 409)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PollAnswerSerializer,
        responses={
            201: PollAnswerResponseSerializer,
            200: OpenApiResponse(PollAnswerResponseSerializer, description="Replaced."),
            409: OpenApiResponse(description="The poll is not open."),
            **ERRORS,
        },
    )
    def post(self, request, pk=None):
        poll = _poll(request, pk)
        serializer = PollAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        answer, created = poll_services.poll_answer(
            participant=participant_for(request, poll.event),
            poll=poll,
            **serializer.validated_data,
        )
        body = {
            "poll": poll.pk,
            "choices": sorted(answer.choices.values_list("pk", flat=True)),
            "text": answer.text,
        }
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PollResultsView(APIView):
    """The counts, exact at the time of the request."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: PollResultsSerializer, 404: ERRORS[404]})
    def get(self, request, pk=None):
        return Response(poll_selectors.poll_results(_poll(request, pk)))
