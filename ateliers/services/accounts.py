from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from ..choices import Role
from ..exceptions import Conflict, Forbidden
from ..models import User
from ..permissions import is_organizer

ASSIGNABLE_ROLES = {Role.ORGANIZER.value, Role.EXPERT.value, Role.PARTNER.value}

# The admin group of organizers (its permissions: ``ateliers/admin_access.py``).
ORGANIZERS_GROUP = "organizers"


def _build_user(
    *, username: str, password: str, email: str, display_name: str, language: str | None
) -> User:
    username = (username or "").strip()
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is taken."), code="username_taken")
    user = User(username=username, email=(email or "").strip(), display_name=display_name or "")
    if language:
        user.language = language
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean()
    return user


@transaction.atomic
def user_register(
    *,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    language: str | None = None,
) -> User:
    """Self sign-up (experts and organisation members): an account with no role yet."""
    user = _build_user(
        username=username,
        password=password,
        email=email,
        display_name=display_name,
        language=language,
    )
    user.save()
    return user


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    email: str = "",
    display_name: str = "",
    roles: Iterable[str] = (),
    language: str | None = None,
) -> User:
    """An organizer makes an account for a colleague, an expert or a partner."""
    if not is_organizer(actor):
        raise Forbidden(_("Only organizers can create accounts."))
    roles = set(roles)
    unknown = roles - ASSIGNABLE_ROLES
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %s.") % ", ".join(sorted(unknown))})
    user = _build_user(
        username=username,
        password=password,
        email=email,
        display_name=display_name,
        language=language,
    )
    user.is_organizer = Role.ORGANIZER.value in roles
    user.is_expert = Role.EXPERT.value in roles
    user.is_partner = Role.PARTNER.value in roles
    user.save()
    user_grant_organizer_admin(user=user)
    return user


@transaction.atomic
def user_admin_save(*, actor: User, user: User) -> User:
    """An account saved from the admin's user form (which has validated the fields and
    hashed any new password). The admin then sets its groups and calls
    ``user_grant_organizer_admin``."""
    if not actor.has_perm("ateliers.add_user" if user.pk is None else "ateliers.change_user"):
        raise Forbidden(_("Only organizers can create accounts."))
    user.save()
    return user


@transaction.atomic
def user_grant_organizer_admin(*, user: User) -> None:
    """An organizer account can log into /admin/ and is in the organizers group
    (``ateliers/admin_access.py``); any other account is left as it is."""
    from django.contrib.auth.models import Group

    if not user.is_organizer:
        return
    if not user.is_staff:
        User.objects.filter(pk=user.pk).update(is_staff=True)
        user.is_staff = True
    group = Group.objects.filter(name=ORGANIZERS_GROUP).first()
    if group is not None:
        user.groups.add(group)


@transaction.atomic
def api_token_obtain(*, user: User) -> Token:
    """The account's API token (``Authorization: Token …``), made on first use; the
    same token for every login until the account is erased."""
    token, _created = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    email: str | None = None,
    email_notifications: bool | None = None,
) -> User:
    if display_name is not None:
        user.display_name = display_name
    if language is not None:
        user.language = language
    if email is not None:
        user.email = email
    if email_notifications is not None:
        user.email_notifications = email_notifications
    user.full_clean()
    user.save()
    return user
