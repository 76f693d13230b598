from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers.filtersets import HelpRequestFilterSet
from ateliers.matching import URGENCY_WEIGHTS
from ateliers.models import ExpertProfile, HelpRequest, Membership, Notification
from ateliers.permissions import can_see_help_stats, can_talk_on_help_request, is_expert
from ateliers.selectors import events as event_selectors
from ateliers.selectors import help as help_selectors
from ateliers.selectors import matching as matching_selectors
from ateliers.services import help as help_services
from ateliers.services import notifications as notification_services

from .. import examples
from ..permissions import IsAccount
from ..serializers.help import (
    ExpertSuggestionSerializer,
    HelpRequestMessageSerializer,
    HelpRequestSerializer,
    HelpRequestTransitionSerializer,
    HelpRequestUpdateSerializer,
    HelpStatsSerializer,
    NotificationReadSerializer,
    NotificationSerializer,
    RatingInputSerializer,
    RequestSuggestionSerializer,
    TransitionNoteSerializer,
)

MAX_SUGGESTIONS = 200


def _limit(request, default: int = 20) -> int:
    try:
        value = int(request.query_params.get("limit", default))
    except (TypeError, ValueError):
        return default
    return max(1, min(value, MAX_SUGGESTIONS))


@extend_schema_view(create=extend_schema(examples=examples.HELP_REQUEST_CREATE))
class HelpRequestViewSet(viewsets.ModelViewSet):
    """Help requests: an organisation's concrete problem, claimed and solved by one expert.

    Who may do what:

    * **read**: every account reads every request (organisations publish them to find
      help); anonymous callers get 401, board guests 403 (not accounts). ``contact`` is
      filled only for the organisation's members, the claiming expert and organizers —
      never for partners, other experts or guests. The thread (``messages``) is readable by
      the same people only.
    * **create/edit**: the organisation's members and organizers.
    * **claim**: experts (not for their own organisation's requests); exactly one of
      concurrent claims wins, the others get 409.
    * **start/resolve/release**: the claiming expert or an organizer (403 otherwise; 409
      when the status does not allow it).
    """

    queryset = HelpRequest.objects.none()
    permission_classes = [IsAccount]
    filterset_class = HelpRequestFilterSet
    ordering_fields = ["created_at", "updated_at", "urgency_rank", "status", "title"]
    search_fields = ["title", "description"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        """``?ordering=-urgency_rank`` puts high urgency first (low 1, normal 2, high 3)."""
        return (
            help_selectors.help_requests_visible_to(self.request.user)
            .select_related("rating")
            .annotate(
                urgency_rank=Case(
                    *[When(urgency=u, then=Value(w)) for u, w in URGENCY_WEIGHTS.items()],
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .order_by("-created_at", "-id")
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return HelpRequestUpdateSerializer
        return HelpRequestSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        context["my_org_ids"] = (
            set(Membership.objects.filter(user=user).values_list("organization_id", flat=True))
            if getattr(user, "is_authenticated", False) and hasattr(user, "roles")
            else set()
        )
        return context

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["skills"] = [s.slug for s in data.get("skills", [])]
        serializer.instance = help_services.help_request_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        # Fixed when the request is made: a PATCH that sends them leaves them as they are.
        data.pop("organization", None)
        data.pop("expert", None)
        if "skills" in data:
            data["skills"] = [s.slug for s in data["skills"]]
        serializer.instance = help_services.help_request_update(
            actor=self.request.user, help_request=serializer.instance, **data
        )

    def _fresh(self, pk) -> HelpRequest:
        return get_object_or_404(self.get_queryset(), pk=pk)

    def _transition(self, request, pk, service):
        help_request = self.get_object()
        note = TransitionNoteSerializer(data=request.data or {})
        note.is_valid(raise_exception=True)
        kwargs = {"actor": request.user, "help_request": help_request}
        if service is not help_services.help_request_claim:
            kwargs["note"] = note.validated_data.get("note", "")
        service(**kwargs)
        return Response(self.get_serializer(self._fresh(pk)).data)

    @extend_schema(
        request=RatingInputSerializer,
        responses={
            200: HelpRequestSerializer,
            201: HelpRequestSerializer,
            403: OpenApiTypes.OBJECT,
            409: OpenApiTypes.OBJECT,
        },
    )
    @action(detail=True, methods=["post"])
    def rating(self, request, pk=None):
        """The organisation rates the help it got (``{score: 1..5, comment?}``), once the
        request is resolved (409 before); rating again changes it (200)."""
        help_request = self.get_object()
        data = RatingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _rating, created = help_services.help_request_rate(
            actor=request.user, help_request=help_request, **data.validated_data
        )
        return Response(
            self.get_serializer(self._fresh(pk)).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        """Claim an open request: 200 for exactly one expert, 409 for every other."""
        return self._transition(request, pk, help_services.help_request_claim)

    @extend_schema(request=TransitionNoteSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Give the request back (status ``open``): the claiming expert or an organizer."""
        return self._transition(request, pk, help_services.help_request_release)

    @extend_schema(request=TransitionNoteSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._transition(request, pk, help_services.help_request_start)

    @extend_schema(request=TransitionNoteSerializer, responses=HelpRequestSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        return self._transition(request, pk, help_services.help_request_resolve)

    @extend_schema(
        parameters=[OpenApiParameter("limit", int)],
        responses=ExpertSuggestionSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def suggestions(self, request, pk=None):
        """Experts ranked for this request, each with a score and readable reasons.

        ``{count, results: [{expert, user, score, fit, covered, reasons, summary}]}``.
        """
        help_request = self.get_object()
        ranked = matching_selectors.suggest_experts(help_request, limit=_limit(request))
        data = ExpertSuggestionSerializer(ranked, many=True).data
        return Response({"count": len(data), "results": data})

    @extend_schema(responses=HelpRequestTransitionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        help_request = self.get_object()
        rows = help_selectors.help_request_history(help_request)
        return Response(HelpRequestTransitionSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses=HelpRequestMessageSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=HelpRequestMessageSerializer,
        responses={201: HelpRequestMessageSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def messages(self, request, pk=None):
        """The thread between the organisation and its expert (organizers may join)."""
        help_request = self.get_object()
        if not can_talk_on_help_request(request.user, help_request):
            raise PermissionDenied(
                "Only the organisation, its expert and organizers can read this thread."
            )
        if request.method in SAFE_METHODS:
            rows = help_selectors.help_request_thread(help_request)
            return Response(HelpRequestMessageSerializer(rows, many=True).data)
        serializer = HelpRequestMessageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = help_services.help_message_post(
            actor=request.user, help_request=help_request, text=serializer.validated_data["text"]
        )
        return Response(HelpRequestMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("limit", int)],
        responses=RequestSuggestionSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def suggested(self, request):
        """For the calling expert: open requests that fit them, ranked, with reasons."""
        return expert_suggestions_response(self, request)


def expert_suggestions_response(view, request):
    if not is_expert(request.user):
        raise PermissionDenied("Only experts get suggested requests.")
    profile = ExpertProfile.objects.filter(user=request.user).prefetch_related("skills").first()
    if profile is None:
        return Response({"count": 0, "results": []})
    base = help_selectors.help_requests_visible_to(request.user)
    ranked = matching_selectors.suggest_requests(profile, queryset=base, limit=_limit(request))
    context = {"request": request, "my_org_ids": set()}
    data = RequestSuggestionSerializer(ranked, many=True, context=context).data
    return Response({"count": len(data), "results": data})


class MySuggestionsView(APIView):
    """``GET /api/experts/me/suggestions/``: the open requests that fit the calling expert."""

    permission_classes = [IsAccount]

    @extend_schema(
        parameters=[OpenApiParameter("limit", int)],
        responses=RequestSuggestionSerializer(many=True),
    )
    def get(self, request):
        return expert_suggestions_response(self, request)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's notifications, newest first; ``?unread=true`` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAccount]
    queryset = Notification.objects.none()

    def get_queryset(self):
        qs = help_selectors.notifications_for(self.request.user)
        unread = self.request.query_params.get("unread")
        if unread in ("true", "1"):
            qs = qs.filter(read_at__isnull=True)
        elif unread in ("false", "0"):
            qs = qs.filter(read_at__isnull=False)
        return qs

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_services.notification_mark_read(user=request.user, ids=[notification.pk])
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=NotificationReadSerializer, responses={200: dict})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark read the given ``ids`` (all when none are given)."""
        serializer = NotificationReadSerializer(data=request.data or {})
        serializer.is_valid(raise_exception=True)
        count = notification_services.notification_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids")
        )
        return Response(
            {"marked": count, "unread": notification_services.unread_count(request.user)}
        )

    @extend_schema(responses={200: dict})
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"unread": notification_services.unread_count(request.user)})


class EventHelpStatsView(APIView):
    """``GET /api/events/{id}/help-stats/`` (organizers): the help desk's queue —
    ``{open, claimed, resolved, median_wait_seconds, experts: [{expert, name, claimed,
    resolved, rating, ratings}]}``."""

    permission_classes = [IsAccount]

    @extend_schema(
        responses={200: HelpStatsSerializer, 403: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}
    )
    def get(self, request, pk):
        event = get_object_or_404(event_selectors.events_visible_to(request.user), pk=pk)
        if not can_see_help_stats(request.user):
            raise PermissionDenied("Only organizers see the help desk's figures.")
        return Response(help_selectors.help_stats(event))
