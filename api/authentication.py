"""Board guests: a signed, event-scoped participant token sent as ``Bearer <token>``."""

from __future__ import annotations

from rest_framework import authentication, exceptions

from ateliers.models import Participant
from ateliers.services.board import participant_from_token


class GuestPrincipal:
    """``request.user`` for a board guest. Not an account: it has no ``roles``
    (``ateliers.permissions.is_account`` is False), so every account-only rule refuses it."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, participant: Participant) -> None:
        self.participant = participant
        self.pk = f"participant:{participant.pk}"  # throttles key on this
        self.id = self.pk

    def __str__(self) -> str:
        return self.participant.display_name

    def get_username(self) -> str:
        return self.pk

    def has_perm(self, *args, **kwargs) -> bool:
        return False


class BearerParticipantAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Give one token after Bearer.")
        try:
            token = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        participant = participant_from_token(token)
        if participant is None:
            raise exceptions.AuthenticationFailed("Invalid or expired participant token.")
        return GuestPrincipal(participant), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
