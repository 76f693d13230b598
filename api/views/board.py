"""The live board over HTTP: join, ideas, votes, comments, moderation and catch-up.

Thin: parse, find the caller's participant, call ``ateliers.services.board``, render.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers.exceptions import NotFound
from ateliers.filtersets import IdeaFilterSet
from ateliers.models import Comment, Event, Idea, Participant
from ateliers.permissions import can_moderate_event, is_account, is_organizer
from ateliers.selectors import board as board_selectors
from ateliers.selectors import events as event_selectors
from ateliers.services import board as board_services

from .. import examples
from ..serializers.board import (
    BoardCatchUpSerializer,
    CommentSerializer,
    IdeaEditSerializer,
    IdeaSerializer,
    IdeaWriteSerializer,
    JoinResponseSerializer,
    JoinSerializer,
    ModerateSerializer,
    ParticipantBanSerializer,
    ParticipantModerationSerializer,
    VoteResponseSerializer,
)
from ..throttles import JoinCodeThrottle, JoinFailureThrottle
from .events import EventChildMixin


def participant_for(request, event: Event) -> Participant:
    """The caller's board identity on ``event``: a guest's own, or an account's."""
    user = request.user
    participant = getattr(user, "participant", None)
    if participant is not None:
        if participant.event_id != event.pk:
            raise PermissionDenied("This participant token is for another event.")
        return participant
    if is_account(user):
        return board_services.participant_for_user(event=event, user=user)
    raise NotAuthenticated("Join the event with its code first.")


def join_payload(participant: Participant) -> dict:
    event = participant.event
    return {
        "token": board_services.participant_token(participant),
        "participant": board_selectors.participant_dict(participant),
        "event": {
            "id": event.pk,
            "title": event.title,
            "join_code": event.join_code,
            "board_locked": event.board_locked,
            "status": event.status,
        },
    }


DEVICE_COOKIE = "livinglab_device"
DEVICE_COOKIE_AGE = 60 * 60 * 24 * 365


def device_of(request) -> tuple[str, bool]:
    """The browser's device id (cookie) and whether it is new (to be set)."""
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    if board_services.device_digest(value):
        return value, False
    return secrets.token_urlsafe(24), True


def remember_device(response, value: str, new: bool) -> None:
    if new:
        response.set_cookie(
            DEVICE_COOKIE,
            value,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


class JoinView(APIView):
    """Join an event's board with its code; returns a guest token for ``Bearer``.

    Never refused for the address alone (a venue's phones share one): wrong codes are
    limited per address, joins per address and code only far above any venue. The same
    browser (its ``livinglab_device`` cookie) joining again gets its own guest back."""

    permission_classes = [AllowAny]
    throttle_classes = [JoinFailureThrottle, JoinCodeThrottle]

    @extend_schema(
        request=JoinSerializer,
        responses={
            201: JoinResponseSerializer,
            404: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
            429: OpenApiTypes.OBJECT,
        },
        examples=examples.JOIN,
    )
    def post(self, request):
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device, new = device_of(request)
        try:
            participant = board_services.participant_join(
                code=serializer.validated_data["code"],
                display_name=serializer.validated_data.get("display_name", ""),
                user=request.user if is_account(request.user) else None,
                device=device,
            )
        except NotFound:
            JoinFailureThrottle().record_failure(request)
            raise
        response = Response(join_payload(participant), status=status.HTTP_201_CREATED)
        remember_device(response, device, new)
        return response


class EventIdeaViewSet(
    EventChildMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """An event's ideas. Organizers also see hidden ones. ``POST`` is idempotent by
    ``client_id``: a retry answers ``200`` with the first idea."""

    serializer_class = IdeaSerializer
    queryset = Idea.objects.none()
    filterset_class = IdeaFilterSet
    ordering_fields = ["votes", "created_at", "id"]
    ordering = ["-pinned", "-votes", "id"]
    search_fields = ["text"]

    def get_queryset(self):
        return board_selectors.ideas_visible_to(self.request.user, self.get_event())

    def get_serializer_context(self):
        event = self.get_event()
        moderates = can_moderate_event(self.request.user, event)
        return {
            **super().get_serializer_context(),
            "moderated_events": {event.pk} if moderates else (),
        }

    @extend_schema(
        examples=examples.IDEA_CREATE,
        request=IdeaWriteSerializer,
        responses={201: IdeaSerializer, 200: IdeaSerializer},
    )
    def create(self, request, *args, **kwargs):
        event = self.get_event()
        serializer = IdeaWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        participant = participant_for(request, event)
        idea, created = board_services.idea_post(
            participant=participant,
            text=data["text"],
            theme=data.get("theme"),
            client_id=data.get("client_id") or uuid.uuid4(),
        )
        return Response(
            IdeaSerializer(idea, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class IdeaViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One idea: read, edit (its author), vote, moderate (organizers)."""

    serializer_class = IdeaSerializer
    queryset = Idea.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        qs = Idea.objects.filter(event__in=event_selectors.events_visible_to(user)).select_related(
            "author"
        )
        if not is_organizer(user):
            moderated = event_selectors.events_moderated_by(user)
            qs = qs.filter(board_selectors.on_board_or_own(user) | Q(event__in=moderated))
        return qs

    @extend_schema(request=IdeaEditSerializer, responses=IdeaSerializer)
    def partial_update(self, request, pk=None):
        idea = self.get_object()
        serializer = IdeaEditSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        idea = board_services.idea_edit(
            participant=participant_for(request, idea.event),
            idea=idea,
            text=serializer.validated_data["text"],
        )
        return Response(IdeaSerializer(idea, context={"request": request}).data)

    @extend_schema(request=None, responses={200: VoteResponseSerializer})
    @action(detail=True, methods=["post", "delete"])
    def vote(self, request, pk=None):
        """``POST`` votes (again: no-op), ``DELETE`` withdraws the vote."""
        idea = self.get_object()
        participant = participant_for(request, idea.event)
        value = 0 if request.method == "DELETE" else 1
        idea = board_services.vote_set(participant=participant, idea=idea, value=value)
        return Response({"idea": idea.pk, "votes": idea.votes, "voted": bool(value)})

    @extend_schema(request=ModerateSerializer, responses=IdeaSerializer, examples=examples.MODERATE)
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        """The event's moderators (organizers and its co-moderators): ``hide``, ``show``,
        ``pin``, ``unpin`` or ``merge`` (with ``into``)."""
        idea = self.get_object()
        if not can_moderate_event(request.user, idea.event_id):
            raise PermissionDenied("Only this event's moderators can moderate the board.")
        serializer = ModerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        into = None
        if serializer.validated_data.get("into"):
            into = Idea.objects.filter(pk=serializer.validated_data["into"]).first()
            if into is None:
                raise ValidationError({"into": ["No such idea."]})
        idea = board_services.idea_moderate(
            actor=request.user, idea=idea, action=serializer.validated_data["action"], into=into
        )
        idea = Idea.objects.select_related("author").get(pk=idea.pk)
        return Response(IdeaSerializer(idea, context={"request": request}).data)


class IdeaCommentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Comments under an idea; ``POST`` is idempotent by ``client_id`` like ideas."""

    serializer_class = CommentSerializer
    queryset = Comment.objects.none()
    ordering_fields = ["created_at", "id"]
    ordering = ["id"]

    def get_idea(self) -> Idea:
        if not hasattr(self, "_idea"):
            self._idea = get_object_or_404(
                IdeaViewSet(request=self.request).get_queryset(), pk=self.kwargs["idea_pk"]
            )
        return self._idea

    def get_queryset(self):
        return board_selectors.comments_visible_to(self.request.user, self.get_idea())

    def create(self, request, *args, **kwargs):
        idea = self.get_idea()
        serializer = CommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment, created = board_services.comment_post(
            participant=participant_for(request, idea.event),
            idea=idea,
            text=serializer.validated_data["text"],
            client_id=serializer.validated_data.get("client_id") or uuid.uuid4(),
        )
        return Response(
            CommentSerializer(comment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class BoardView(EventChildMixin, APIView):
    """Catch-up: the logged events after ``since``, in the WebSocket's shape; the board
    state in parts instead when ``since`` is missing or more than ``BOARD_REPLAY_LIMIT``
    behind. No body is over 256 KiB: follow ``next`` (``null`` on the last part)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.INT,
                required=False,
                description="The last seq the client applied: the events after it.",
            ),
            OpenApiParameter(
                "part",
                OpenApiTypes.STR,
                required=False,
                description="A following part of the board state (from a `next` URL).",
            ),
        ],
        responses={200: BoardCatchUpSerializer, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request, event_pk=None):
        event = self.get_event()
        since = self._since(request)
        board_services.votes_flush(event_id=event.pk)
        viewer = getattr(request.user, "participant", None)
        if viewer is not None:  # a guest: its own votes are in the body
            return self._answer(request, event, since, viewer)
        # Everyone else gets the same bytes at one seq: rendered and compressed once.
        # (Anonymous repeats are served from these bytes before Django: board_read.py.)
        seq = board_selectors.board_seq(event)
        generation = board_selectors.board_generation(event.pk)
        variant = "|".join(
            (request.query_params.get("part", ""), str(since), get_language(), request.get_host())
        )
        digest = hashlib.sha256(variant.encode()).hexdigest()[:24]
        key = f"board-body:{event.pk}:{seq}:{generation}:{digest}"
        body = cache.get(key)
        if body is None:
            response = self._answer(request, event, since, None)
            data = JSONRenderer().render(response.data)
            body = {"json": data, "gzip": gzip.compress(data, compresslevel=6, mtime=0)}
            cache.set(key, body, board_selectors.PART_CACHE_SECONDS)
        return self._bytes(request, body, f"{seq}.{generation}.{digest}")

    @staticmethod
    def _bytes(request, body: dict, tag: str) -> HttpResponse:
        """The cached body, its ETag (``"<seq>.<generation>.<variant>[z]"``: the board at
        one seq) and a 304 when the client has it already."""
        accepts_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
        etag = f'"{tag}{"z" if accepts_gzip else ""}"'
        if etag in request.META.get("HTTP_IF_NONE_MATCH", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(
                body["gzip"] if accepts_gzip else body["json"], content_type="application/json"
            )
            if accepts_gzip:
                response["Content-Encoding"] = "gzip"
        response["ETag"] = etag
        patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
        return response

    def _answer(self, request, event, since, viewer) -> Response:
        raw_part = request.query_params.get("part")
        if raw_part not in (None, ""):
            try:
                cursor = board_selectors.PartCursor.decode(raw_part)
            except ValueError as exc:
                raise ValidationError({"part": ["Follow the next URL as given."]}) from exc
            part = board_selectors.board_part(event, cursor, viewer)
            nxt = part.pop("next")
            part["complete"] = nxt is None
            return self._body(request, part["seq"], [], part, nxt and {"part": nxt})
        events = None
        if since is not None:
            events = board_selectors.board_events_since(
                event, since, settings.LIVINGLAB["BOARD_REPLAY_LIMIT"]
            )
        if events is None:
            head = board_selectors.board_head(event, viewer)
            nxt = head.pop("next")
            head["complete"] = nxt is None
            return self._body(request, head["seq"], [], head, nxt and {"part": nxt})
        events, more = board_selectors.within_budget(events)
        seq = events[-1]["seq"] if events else max(since, 0)
        return self._body(request, seq, events, None, {"since": seq} if more else None)

    @staticmethod
    def _since(request) -> int | None:
        raw = request.query_params.get("since")
        if raw in (None, ""):
            return None
        try:
            since = int(raw)
        except ValueError as exc:
            raise ValidationError({"since": ["Give the last seq you saw (an integer)."]}) from exc
        if since < 0 or since > 2**62:
            raise ValidationError({"since": ["Give the last seq you saw (≥ 0)."]})
        return since

    @staticmethod
    def _body(request, seq, events, snapshot, next_query) -> Response:
        nxt = None
        if next_query:
            nxt = request.build_absolute_uri(f"{request.path}?{urlencode(next_query)}")
        return Response({"seq": seq, "events": events, "snapshot": snapshot, "next": nxt})


class ParticipantBanView(EventChildMixin, APIView):
    """A guest who disrupts the board: ``POST`` bans it from writing on this event (its
    token still reads; its votes stop counting; ``hide_ideas`` hides its ideas too),
    ``DELETE`` lifts the ban. The event's moderators only."""

    def _participant(self) -> Participant:
        if not is_account(self.request.user) and not getattr(
            self.request.user, "participant", None
        ):
            raise NotAuthenticated("Sign in as one of this event's moderators.")
        event = self.get_event()
        if not can_moderate_event(self.request.user, event):
            raise PermissionDenied("Only this event's moderators can ban a participant.")
        return get_object_or_404(Participant, pk=self.kwargs["pk"], event=event)

    @staticmethod
    def _answer(participant: Participant) -> Response:
        return Response(
            {
                "id": participant.pk,
                "display_name": participant.display_name,
                "banned": participant.banned_at is not None,
                "banned_at": participant.banned_at,
            }
        )

    @extend_schema(
        request=ParticipantBanSerializer, responses={200: ParticipantModerationSerializer}
    )
    def post(self, request, event_pk=None, pk=None):
        participant = self._participant()
        serializer = ParticipantBanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        participant = board_services.participant_ban(
            actor=request.user,
            participant=participant,
            hide_ideas=serializer.validated_data["hide_ideas"],
        )
        return self._answer(participant)

    @extend_schema(request=None, responses={200: ParticipantModerationSerializer})
    def delete(self, request, event_pk=None, pk=None):
        participant = board_services.participant_ban(
            actor=request.user, participant=self._participant(), banned=False
        )
        return self._answer(participant)
