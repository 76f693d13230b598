"""Projects, their milestones, journal, indicators and story (CONTRACT.md "Projects").

Every queryset starts from ``projets.selectors.projects_visible_to``: a project the caller
may not read is a 404 everywhere (list, detail, children, exports).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from ateliers.i18n import current_language
from ateliers.models import Organization, User
from projets import exports, selectors, services
from projets.filtersets import ProjectFilterSet
from projets.models import (
    Indicator,
    IndicatorValue,
    Milestone,
    PhaseCriterion,
    PhaseTransition,
    Project,
    ProjectMember,
    ProjectUpdate,
    Story,
)

from .. import examples
from ..permissions import AccountWritesOthersRead, IsAccount, OrganizerWritesOthersRead
from ..serializers.projects import (
    FollowSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    MilestoneSerializer,
    PhaseCriterionSerializer,
    ProjectDetailSerializer,
    ProjectMemberSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    StorySerializer,
    TeamAddSerializer,
    TransitionSerializer,
)
from .reports import JSON_ROWS, export_response, pdf_response

ERROR = OpenApiTypes.OBJECT
PORTFOLIO_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, description=f"Filter by {name}, as on the page.")
    for name in ("event", "phase", "theme", "region", "partner", "organization", "q")
]

PROJECT_ORDERING = ["updated_at", "created_at", "phase_changed_at", "title_fr", "title_en", "id"]


class ProjectViewSet(viewsets.ModelViewSet):
    """Living-lab projects, scoped to what the caller may see."""

    serializer_class = ProjectSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = Project.objects.none()
    filterset_class = ProjectFilterSet
    ordering_fields = PROJECT_ORDERING
    ordering = ["-updated_at", "-id"]
    search_fields = ["title_fr", "title_en", "summary_fr", "summary_en"]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_permissions(self):
        if self.action in {"partial_update", "update", "transition", "follow", "story", "team"}:
            return [AccountWritesOthersRead()]
        if self.action in {"export_csv", "export_json"}:
            return []
        if self.action in {"portfolio_csv", "portfolio_pdf"}:
            return [IsAccount()]
        return super().get_permissions()

    def get_serializer_class(self):
        if self.action == "list":
            return ProjectSerializer
        return ProjectDetailSerializer

    def get_queryset(self):
        qs = selectors.project_list(self.request.user)
        if self.action != "list":
            qs = qs.prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=PhaseTransition.objects.select_related("actor").order_by(
                        "created_at", "id"
                    ),
                )
            )
        return qs

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.project_create(actor=self.request.user, **data)

    def perform_update(self, serializer):
        services.project_update(
            actor=self.request.user, project=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.project_delete(actor=self.request.user, project=instance)

    def _fresh(self, pk):
        return self.get_queryset().get(pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        data = self.get_serializer(self._fresh(serializer.instance.pk)).data
        return Response(data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        super().update(request, *args, **kwargs)
        return Response(self.get_serializer(self._fresh(kwargs["pk"])).data)

    @extend_schema(
        request=TransitionSerializer,
        responses=ProjectDetailSerializer,
        examples=examples.TRANSITION,
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the project to ``phase`` with a ``note``; the move is recorded with its date."""
        project = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.project_advance_phase(
            actor=request.user, project=project, **serializer.validated_data
        )
        return Response(
            ProjectDetailSerializer(self._fresh(project.pk), context={"request": request}).data
        )

    @extend_schema(methods=["GET"], responses=ProjectMemberSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=TeamAddSerializer,
        responses={201: ProjectMemberSerializer(many=True)},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def team(self, request, pk=None):
        """The team (``GET``); the lead or an organizer adds someone: ``{user, role}``."""
        project = self.get_object()
        if request.method in SAFE_METHODS:
            return Response(ProjectMemberSerializer(project.members.all(), many=True).data)
        serializer = TeamAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = get_object_or_404(User, pk=serializer.validated_data["user"], is_active=True)
        services.project_member_add(
            actor=request.user,
            project=project,
            user=user,
            role=serializer.validated_data.get("role", "member"),
        )
        members = ProjectMember.objects.filter(project=project).select_related("user")
        return Response(
            ProjectMemberSerializer(members, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: FollowSerializer})
    @action(detail=True, methods=["post", "delete"])
    def follow(self, request, pk=None):
        """Follow (``POST``) or stop following (``DELETE``) the project's news."""
        project = self.get_object()
        following = services.project_follow(
            actor=request.user, project=project, follow=request.method == "POST"
        )
        return Response({"following": following})

    @extend_schema(request=StorySerializer, responses=StorySerializer)
    @action(detail=True, methods=["get", "put", "patch"])
    def story(self, request, pk=None):
        """The project's story; the team writes it (``publish: true`` publishes it)."""
        project = self.get_object()
        story = selectors.stories_visible_to(request.user).filter(project=project).first()
        if request.method in SAFE_METHODS:
            if story is None:
                raise NotFound(gettext("This project has no published story yet."))
            return Response(StorySerializer(story, context={"request": request}).data)
        existing = Story.objects.filter(project=project).first()
        serializer = StorySerializer(
            existing, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        story = services.story_save(
            actor=request.user, project=project, **serializer.validated_data
        )
        return Response(StorySerializer(story, context={"request": request}).data)

    def _export(self, request):
        """Scoped like the list, without what exports do not show (counts, provenance)."""
        qs = (
            selectors.projects_visible_to(request.user)
            .select_related("event")
            .prefetch_related(
                Prefetch("partners", queryset=Organization.objects.order_by("name", "id")),
                Prefetch("organizations", queryset=Organization.objects.order_by("name", "id")),
            )
        )
        return list(self.filter_queryset(qs)[:10000])

    @extend_schema(
        operation_id="projects_export_csv", responses={(200, "text/csv"): OpenApiTypes.BINARY}
    )
    def export_csv(self, request):
        """The projects the caller may see, as CSV (filters apply; docs/open-data.md)."""
        dataset = exports.projects_dataset(self._export(request), fmt="csv")
        return export_response(request, dataset, "csv")

    @extend_schema(
        operation_id="projects_export_json", responses={(200, "application/json"): JSON_ROWS}
    )
    def export_json(self, request):
        """The projects the caller may see, as a JSON array (filters apply)."""
        dataset = exports.projects_dataset(self._export(request), fmt="json")
        return export_response(request, dataset, "json")

    def _portfolio(self, request):
        filterset, qs = selectors.portfolio(request.user, request.query_params)
        if filterset.is_bound and not filterset.is_valid():
            raise ValidationError(filterset.errors)
        return filterset, qs

    @extend_schema(
        operation_id="projects_portfolio_csv",
        parameters=PORTFOLIO_PARAMETERS,
        responses={(200, "text/csv"): OpenApiTypes.BINARY, 400: ERROR, 401: ERROR},
    )
    def portfolio_csv(self, request):
        """The caller's portfolio (the partner dashboard's projects: shared with me, mine,
        followed; all for organizers) as CSV, narrowed by the same filters as the page."""
        _filterset, qs = self._portfolio(request)
        dataset = exports.portfolio_dataset(qs[:10000].iterator(chunk_size=500), fmt="csv")
        return export_response(request, dataset, "csv")

    @extend_schema(
        operation_id="projects_portfolio_pdf",
        parameters=PORTFOLIO_PARAMETERS,
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, 400: ERROR, 401: ERROR},
    )
    def portfolio_pdf(self, request):
        """The caller's portfolio as one PDF: a summary table, then each project's status
        (at most 100 projects; narrow with the filters)."""
        from projets import reports as project_reports

        filterset, qs = self._portfolio(request)
        lang, reader = current_language(), request.user
        labels = portfolio_filter_labels(filterset)
        return pdf_response(
            request,
            lambda out: project_reports.write_portfolio(
                qs, out, lang=lang, reader=reader, filters=labels
            ),
            "portfolio.pdf",
        )


def portfolio_filter_labels(filterset) -> list[tuple[str, str]]:
    """The filters in use, as (label, value) for the PDF's cover."""
    if not filterset.is_bound or not filterset.is_valid():
        return []
    out = []
    for name, value in filterset.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = filterset.form.fields[name]
        if hasattr(value, "pk"):  # a model choice: its name (no query over every choice)
            shown = value
        else:
            shown = dict(getattr(field, "choices", ())).get(value, value)
        out.append((str(field.label), str(shown)))
    return out


class ProjectChildMixin:
    """Views under ``/api/projects/{project_pk}/``: the project must be visible."""

    permission_classes = [AccountWritesOthersRead]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_project(self) -> Project:
        if not hasattr(self, "_project"):
            self._project = get_object_or_404(
                selectors.projects_visible_to(self.request.user).prefetch_related(
                    Prefetch("members", queryset=ProjectMember.objects.all())
                ),
                pk=self.kwargs["project_pk"],
            )
        return self._project


class MilestoneViewSet(ProjectChildMixin, viewsets.ModelViewSet):
    """Milestones: due, done, late."""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()
    ordering_fields = ["due_on", "done_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        return Milestone.objects.filter(project=self.get_project())

    def perform_create(self, serializer):
        serializer.instance = services.milestone_create(
            actor=self.request.user, project=self.get_project(), **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.milestone_update(
            actor=self.request.user, milestone=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.milestone_delete(actor=self.request.user, milestone=instance)


class ProjectUpdateViewSet(
    ProjectChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The project's journal of status updates, newest first."""

    serializer_class = ProjectUpdateSerializer
    queryset = ProjectUpdate.objects.none()
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return ProjectUpdate.objects.filter(project=self.get_project()).select_related("author")

    def perform_create(self, serializer):
        serializer.instance = services.project_post_update(
            actor=self.request.user, project=self.get_project(), **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.update_delete(actor=self.request.user, update=instance)


class IndicatorViewSet(ProjectChildMixin, viewsets.ModelViewSet):
    """Impact indicators with their target, baseline and dated history of values."""

    serializer_class = IndicatorSerializer
    queryset = Indicator.objects.none()
    ordering_fields = ["position", "id", "name"]
    ordering = ["position", "id"]

    def get_queryset(self):
        return Indicator.objects.filter(project=self.get_project()).prefetch_related(
            Prefetch("values", queryset=IndicatorValue.objects.order_by("measured_on", "id"))
        )

    def perform_create(self, serializer):
        indicator = services.indicator_create(
            actor=self.request.user, project=self.get_project(), **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=indicator.pk)

    def perform_update(self, serializer):
        services.indicator_update(
            actor=self.request.user, indicator=serializer.instance, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        services.indicator_delete(actor=self.request.user, indicator=instance)

    @extend_schema(request=IndicatorValueSerializer, responses=IndicatorSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAccount])
    def values(self, request, project_pk=None, pk=None):
        """Record a measurement ``{value, measured_on?}`` (one per date; default today)."""
        indicator = self.get_object()
        serializer = IndicatorValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.indicator_record_value(
            actor=request.user, indicator=indicator, **serializer.validated_data
        )
        fresh = self.get_queryset().get(pk=indicator.pk)
        return Response(
            IndicatorSerializer(fresh, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class StoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Published stories (récits d'expérience) of the projects the caller may see."""

    serializer_class = StorySerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = Story.objects.none()
    ordering_fields = ["published_at", "id"]
    ordering = ["-published_at", "-id"]

    def get_queryset(self):
        return selectors.stories_visible_to(self.request.user)


class PhaseCriterionViewSet(viewsets.ModelViewSet):
    """Entry criteria of each phase (a checklist): organizers configure them, everyone
    reads them. A project enters a phase only with all of that phase's active criteria
    ticked (``POST /api/projects/{id}/transition/ {phase, criteria: [ids]}``)."""

    serializer_class = PhaseCriterionSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = PhaseCriterion.objects.order_by("phase", "position", "id")
    filterset_fields = ["phase", "active"]
    ordering_fields = ["phase", "position", "id"]
    ordering = ["phase", "position", "id"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.phase_criterion_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        services.phase_criterion_save(
            actor=self.request.user, criterion=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.phase_criterion_delete(actor=self.request.user, criterion=instance)
