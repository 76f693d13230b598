from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from ateliers.filtersets import ExpertFilterSet, OrganizationFilterSet, SkillFilterSet
from ateliers.models import ExpertProfile, Organization, Skill, User
from ateliers.permissions import can_manage_organization, is_account
from ateliers.selectors import people as people_selectors
from ateliers.services import people

from ..permissions import AccountWritesOthersRead, IsAccount, OrganizerWritesOthersRead
from ..serializers.people import (
    ExpertSerializer,
    MemberAddSerializer,
    MembershipSerializer,
    OrganizationSerializer,
    SkillSerializer,
)


class SkillViewSet(viewsets.ModelViewSet):
    """Skills experts offer and requests need; organizers curate the list."""

    serializer_class = SkillSerializer
    permission_classes = [OrganizerWritesOthersRead]
    queryset = Skill.objects.none()
    filterset_class = SkillFilterSet
    ordering_fields = ["slug", "name_fr", "name_en"]
    search_fields = ["slug", "name_fr", "name_en"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return people_selectors.skills_list()

    def perform_create(self, serializer):
        serializer.instance = people.skill_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        people.skill_update(
            actor=self.request.user, skill=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        people.skill_delete(actor=self.request.user, skill=instance)


class OrganizationViewSet(viewsets.ModelViewSet):
    """Organisations, described once; the creator becomes a member."""

    serializer_class = OrganizationSerializer
    permission_classes = [AccountWritesOthersRead]
    queryset = Organization.objects.none()
    filterset_class = OrganizationFilterSet
    ordering_fields = ["name", "created_at", "region"]
    search_fields = ["name", "description"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            people_selectors.organizations_list()
            .annotate(member_count=Count("memberships"))
            .order_by("name", "id")
        )

    def perform_create(self, serializer):
        org = people.organization_create(creator=self.request.user, **serializer.validated_data)
        org.member_count = 1
        serializer.instance = org

    def perform_update(self, serializer):
        people.organization_update(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        people.organization_delete(actor=self.request.user, organization=instance)

    @extend_schema(request=MemberAddSerializer, responses=MembershipSerializer(many=True))
    @action(
        detail=True, methods=["get", "post"], permission_classes=[IsAccount], pagination_class=None
    )
    def members(self, request, pk=None):
        """List members (members and organizers) or add one: ``{user}``."""
        org = self.get_object()
        if not can_manage_organization(request.user, org):
            raise PermissionDenied("Only the organisation's members or an organizer can do this.")
        if request.method in SAFE_METHODS:
            members = org.memberships.select_related("user").order_by("user__username")
            return Response(MembershipSerializer(members, many=True).data)
        serializer = MemberAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = get_object_or_404(User, pk=serializer.validated_data["user"])
        membership = people.organization_add_member(
            actor=request.user,
            organization=org,
            user=user,
            role=serializer.validated_data.get("role", "member"),
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class ExpertViewSet(viewsets.ModelViewSet):
    """Experts' profiles: skills, languages, bio. Accounts may read; each edits their own."""

    serializer_class = ExpertSerializer
    queryset = ExpertProfile.objects.none()
    filterset_class = ExpertFilterSet
    ordering_fields = ["user__username", "created_at"]
    search_fields = ["user__username", "user__display_name", "bio"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_permissions(self):
        return [IsAccount()]

    def get_queryset(self):
        if not is_account(self.request.user):
            return ExpertProfile.objects.none()
        return people_selectors.experts_list()

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data["skills"] = [s.slug for s in data.get("skills", [])]
        serializer.instance = people.expert_profile_create(user=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "skills" in data:
            data["skills"] = [s.slug for s in data["skills"]]
        serializer.instance = people.expert_profile_update(
            actor=self.request.user, profile=serializer.instance, **data
        )
