from __future__ import annotations

from rest_framework import serializers

from ateliers.choices import INTERFACE_LANGUAGES
from ateliers.models import User
from ateliers.services.accounts import ASSIGNABLE_ROLES


class UserPublicSerializer(serializers.ModelSerializer):
    """What others may see of a person: the name they chose, never the e-mail nor the
    login username (CONTRACT.md, "Privacy")."""

    name = serializers.CharField(source="public_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "display_name", "name"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.ListField(child=serializers.CharField(), read_only=True)
    organizations = serializers.SerializerMethodField()
    has_expert_profile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "display_name",
            "language",
            "roles",
            "email_notifications",
            "organizations",
            "has_expert_profile",
        ]
        read_only_fields = ["id", "username", "roles", "organizations", "has_expert_profile"]

    def get_organizations(self, user) -> list[dict]:
        return [
            {"id": m.organization_id, "name": m.organization.name, "role": m.role}
            for m in user.memberships.select_related("organization")
        ]

    def get_has_expert_profile(self, user) -> bool:
        return hasattr(user, "expert_profile")


class RegisterSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    password = serializers.CharField(
        write_only=True, max_length=128, style={"input_type": "password"}
    )
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=80)
    language = serializers.ChoiceField(choices=INTERFACE_LANGUAGES, required=False)


class UserCreateSerializer(RegisterSerializer):
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(ASSIGNABLE_ROLES)),
        required=False,
        max_length=3,
    )


class AccountUserSerializer(serializers.ModelSerializer):
    """An organizer's view of an account."""

    roles = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "email", "display_name", "language", "roles", "date_joined"]
        read_only_fields = fields


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    user = MeSerializer(required=False)
