from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import MembershipRole
from ..fields import LanguageListField
from ..i18n import BilingualMixin, require_one_language


class Skill(BilingualMixin, models.Model):
    """A skill an expert offers and a help request needs (``wordpress``, ``accessibility``)."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.tr("name") or self.slug

    @property
    def name(self) -> str:
        return self.tr("name") or self.slug

    def clean(self) -> None:
        require_one_language(self, "name")


class Organization(models.Model):
    """A community group, co-operative, IT organisation or partner, described once."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    languages = LanguageListField(_("languages"))
    website = models.URLField(_("website"), blank=True, max_length=300)
    region = models.CharField(_("region"), max_length=100, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Membership",
        related_name="organizations",
        verbose_name=_("members"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person belongs to an organisation and may act for it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organization_id", "user_id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"],
                name="membership_unique",
                violation_error_message=_("This person is already a member."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class ExpertProfile(models.Model):
    """An expert's skills and languages, kept once and reused at every event."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert_profile"
    )
    skills = models.ManyToManyField(Skill, related_name="experts", blank=True)
    languages = LanguageListField(_("languages"), blank=False)
    bio = models.TextField(_("bio"), blank=True, max_length=5000)
    availability = models.CharField(
        _("availability"),
        max_length=300,
        blank=True,
        help_text=_("In your words, e.g. “weekday evenings”."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="experts",
        verbose_name=_("organisation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("expert profile")
        verbose_name_plural = _("expert profiles")

    def __str__(self) -> str:
        return str(self.user)
