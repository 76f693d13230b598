from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from ateliers import privacy
from ateliers.models import User
from ateliers.services import accounts
from ateliers.services import privacy as privacy_services

from .. import examples
from ..permissions import IsAccount, IsOrganizer
from ..serializers.accounts import (
    AccountDeleteSerializer,
    AccountUserSerializer,
    MeSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UserCreateSerializer,
)
from ..throttles import LOGIN_THROTTLES, SignupAddressThrottle


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = list(LOGIN_THROTTLES)

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenResponseSerializer},
        examples=examples.TOKEN,
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            return Response(
                {"detail": gettext("Wrong username or password."), "code": "bad_credentials"},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token = accounts.api_token_obtain(user=user)
        return Response({"token": token.key, "user": MeSerializer(user).data})


class RegisterView(APIView):
    """Self sign-up for experts and organisation members."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SignupAddressThrottle]

    @extend_schema(request=RegisterSerializer, responses={201: TokenResponseSerializer})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = accounts.user_register(**serializer.validated_data)
        token = accounts.api_token_obtain(user=user)
        return Response(
            {"token": token.key, "user": MeSerializer(user).data}, status=status.HTTP_201_CREATED
        )


class MeView(APIView):
    """The caller's own account, with its roles; ``DELETE`` removes it (with the password)."""

    permission_classes = [IsAuthenticated, IsAccount]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = accounts.user_update_profile(user=request.user, **serializer.validated_data)
        return Response(MeSerializer(user).data)

    @extend_schema(
        request=AccountDeleteSerializer,
        responses={204: None},
        description=(
            "Delete the caller's account (Law 25 / GDPR). The password is asked again. "
            "Ideas, comments, messages and updates it wrote stay under a neutral name; "
            "the profile, memberships, registrations, notifications and tokens go. "
            "A wrong password answers 400 with `password` in the errors."
        ),
    )
    def delete(self, request):
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        privacy_services.user_delete(user=request.user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _json_download(data: dict, filename: str) -> Response:
    response = Response(data)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class MeExportView(APIView):
    """Everything the product holds about the caller, as one JSON document."""

    permission_classes = [IsAuthenticated, IsAccount]
    renderer_classes = [JSONRenderer]  # a file to keep, even from a browser's link

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description=(
            "The caller's own data (Law 25 / GDPR right of access and portability): "
            "`account`, then one list per kind of record that names the person "
            "(memberships, registrations, help requests created and claimed, messages, "
            "notifications, board identities with their ideas, comments and votes, "
            "projects…). Secrets (password hash, token keys) are never exported."
        ),
    )
    def get(self, request):
        return _json_download(privacy.export_user(request.user), "livinglab-my-data.json")


class ParticipantMeView(APIView):
    """A board guest's own data (``GET``) and its erasure (``DELETE``), with its token."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]

    def _participant(self, request):
        participant = getattr(request.user, "participant", None)
        if participant is None:
            raise PermissionDenied(gettext("Send the guest token from POST /api/join/."))
        return participant

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT},
        description="What the product holds about the guest whose token is sent.",
    )
    def get(self, request):
        participant = self._participant(request)
        return _json_download(privacy.export_participant(participant), "livinglab-guest.json")

    @extend_schema(
        request=None,
        responses={204: None},
        description=(
            "Erase the guest: its name becomes neutral everywhere (the board, its log, "
            "exports) and its token stops working. Its ideas, comments and votes stay."
        ),
    )
    def delete(self, request):
        privacy_services.participant_erase(participant=self._participant(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts, for organizers: list them and create colleagues, experts and partners."""

    permission_classes = [IsOrganizer]
    serializer_class = AccountUserSerializer
    queryset = User.objects.none()
    search_fields = ["username", "display_name", "email"]
    ordering_fields = ["username", "date_joined"]
    filterset_fields = ["is_organizer", "is_expert", "is_partner"]

    def get_queryset(self):
        return (
            User.objects.all()
            .select_related("expert_profile")
            .prefetch_related("memberships")
            .order_by("username")
        )

    @extend_schema(request=UserCreateSerializer, responses={201: AccountUserSerializer})
    def create(self, request, *args, **kwargs):
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = accounts.user_create(actor=request.user, **serializer.validated_data)
        return Response(AccountUserSerializer(user).data, status=status.HTTP_201_CREATED)
