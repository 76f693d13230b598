from __future__ import annotations

from rest_framework import serializers

from ateliers.models import ExpertProfile, Membership, Organization, Skill

from ..fields import BilingualSerializerMixin, IdField, IdNumberField, LanguageListSerializerField
from .accounts import UserPublicSerializer


class SkillSerializer(BilingualSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["id", "slug", "name_fr", "name_en"]
        bilingual = ["name"]
        bilingual_required = ["name"]


class OrganizationSerializer(serializers.ModelSerializer):
    languages = LanguageListSerializerField(required=False)
    member_count = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "description",
            "languages",
            "website",
            "region",
            "member_count",
            "created_at",
        ]
        read_only_fields = ["id", "member_count", "created_at"]


class MembershipSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "joined_at"]
        read_only_fields = fields


class MemberAddSerializer(serializers.Serializer):
    user = IdNumberField()
    role = serializers.ChoiceField(choices=["admin", "member"], required=False)


class ExpertSerializer(serializers.ModelSerializer):
    user = UserPublicSerializer(read_only=True)
    skills = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=Skill.objects.all(), required=False
    )
    languages = LanguageListSerializerField(allow_empty=False)
    organization = IdField(queryset=Organization.objects.all(), required=False, allow_null=True)

    class Meta:
        model = ExpertProfile
        fields = [
            "id",
            "user",
            "skills",
            "languages",
            "bio",
            "availability",
            "organization",
            "created_at",
        ]
        read_only_fields = ["id", "user", "created_at"]
