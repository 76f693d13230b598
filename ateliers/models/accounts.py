from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import INTERFACE_LANGUAGES, Role


class User(AbstractUser):
    """An account: organizer, expert, organisation member or partner (or several).

    Board guests have no account (see the board's participants). A superuser has every
    role. ``roles`` is derived, never stored twice: expert from the flag or a profile,
    member from memberships.
    """

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=INTERFACE_LANGUAGES, default="fr"
    )
    is_organizer = models.BooleanField(_("organizer"), default=False)
    is_expert = models.BooleanField(_("expert"), default=False)
    is_partner = models.BooleanField(_("partner"), default=False)
    email_notifications = models.BooleanField(_("email notifications"), default=True)

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.public_name

    @property
    def public_name(self) -> str:
        """The name others see: never the login username (CONTRACT.md, "Privacy")."""
        return (
            self.display_name
            or self.get_full_name()
            or gettext("Member %(number)s") % {"number": self.pk or ""}
        )

    @property
    def roles(self) -> list[str]:
        if self.is_superuser:
            return list(Role.values)
        roles = []
        if self.is_organizer:
            roles.append(Role.ORGANIZER.value)
        if self.is_expert or hasattr(self, "expert_profile"):
            roles.append(Role.EXPERT.value)
        if self.memberships.all():  # uses a prefetch when there is one
            roles.append(Role.MEMBER.value)
        if self.is_partner:
            roles.append(Role.PARTNER.value)
        return roles

    @property
    def role_labels(self) -> list[str]:
        """The roles as people read them, in the page's language (``/me/``)."""
        return [str(Role(role).label) for role in self.roles]

    def has_role(self, role: str) -> bool:
        return role in self.roles
