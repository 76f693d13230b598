from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import BoardModeration, EventStatus, RegistrationRole, SlotKind
from ..fields import LanguageListField
from ..i18n import BilingualMixin, require_one_language, translated
from .people import Organization

# No 0/O, 1/I/L: codes are read aloud in a room and typed on phones.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6

# What an organizer writes about an event, in the order the API and the form give them.
EVENT_CONTENT_FIELDS = (
    "title_fr",
    "title_en",
    "description_fr",
    "description_en",
    "starts_at",
    "ends_at",
    "venue",
    "online_url",
    "region",
    "languages",
    "capacity",
    "status",
)


def normalize_join_code(code: str) -> str:
    """What people type: lower case, spaces, dashes, and O/0 or I/1 mixed up."""
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return code.replace("0", "O").replace("1", "I")  # never in codes: harmless


class Event(BilingualMixin, models.Model):
    """A workshop day (an *atelier*) with its board, themes, slots and registrations."""

    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=10000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=10000)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True, max_length=300)
    region = models.CharField(_("region"), max_length=100, blank=True)
    languages = LanguageListField(_("languages"), blank=False)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, editable=False)
    board_locked = models.BooleanField(_("board locked"), default=False)
    moderation = models.CharField(
        _("moderation"),
        max_length=4,
        choices=BoardModeration.choices,
        default=BoardModeration.POST,
        help_text=_("Under pre-moderation a moderator approves each new idea first."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Who backs the event (public, shown on its page, in its data package and in the
    # funders' portfolio filter).
    partners = models.ManyToManyField(
        "ateliers.Organization",
        related_name="partnered_events",
        blank=True,
        verbose_name=_("partners"),
    )
    sponsors = models.ManyToManyField(
        "ateliers.Organization",
        related_name="sponsored_events",
        blank=True,
        verbose_name=_("sponsors"),
    )

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    title = translated("title")
    description = translated("description")

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    def clean(self) -> None:
        require_one_language(self, "title")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The event must end after it starts.")})


class Theme(BilingualMixin, models.Model):
    """A column of the ideas board and a strand of the day."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="themes")
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True, max_length=2000)
    description_en = models.TextField(_("description (English)"), blank=True, max_length=2000)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    name = translated("name")
    description = translated("description")

    def clean(self) -> None:
        require_one_language(self, "name")


class TimeSlot(BilingualMixin, models.Model):
    """A block of the day's programme: a talk, a workshop, a consultation round."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=15, choices=SlotKind.choices, default=SlotKind.WORKSHOP
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=100, blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="slots"
    )

    class Meta:
        ordering = ["event_id", "starts_at", "id"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="slot_ends_after_start",
                violation_error_message=_("A time slot must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    title = translated("title")

    def clean(self) -> None:
        require_one_language(self, "title")
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A time slot must end after it starts.")})


class Registration(models.Model):
    """An organisation, expert or participant registered for an event, checked in or not."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    role = models.CharField(_("role"), max_length=15, choices=RegistrationRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("registered by"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("organisation"),
    )
    available = models.JSONField(
        _("available"),
        default=list,
        blank=True,
        help_text=_(
            "When an expert or an organisation can meet: [{starts_at, ends_at}]; empty: all day."
        ),
    )
    max_meetings = models.PositiveSmallIntegerField(
        _("maximum consultations"),
        null=True,
        blank=True,
        help_text=_(
            "An organisation's wish, or an expert's limit, of consultation meetings; "
            "empty: as many as the schedule allows."
        ),
    )
    # Set by the organizers for an organisation's consultations (docs/schedule.md).
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=0,
        validators=[MaxValueValidator(3)],
        help_text=_("0 to 3: when seats are short, higher priorities get their meetings first."),
    )
    experts_per_meeting = models.PositiveSmallIntegerField(
        _("experts per meeting"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_(
            "1 to 3: a meeting of this organisation may seat several experts at one table, "
            "each covering a need the others do not."
        ),
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["event_id", "role", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(role="organization"),
                name="registration_unique_organization",
                violation_error_message=_("This organisation is already registered."),
            ),
            models.UniqueConstraint(
                fields=["event", "user", "role"],
                condition=Q(role__in=["expert", "participant"]),
                name="registration_unique_person",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.CheckConstraint(
                condition=(Q(role="organization") & Q(organization__isnull=False))
                | (~Q(role="organization") & Q(organization__isnull=True)),
                name="registration_organization_iff_role",
                violation_error_message=_(
                    "An organisation registration names an organisation; others do not."
                ),
            ),
        ]

    def __str__(self) -> str:
        who = self.organization if self.organization_id else self.user
        return f"{who} → {self.event} ({self.get_role_display()})"

    @property
    def checked_in(self) -> bool:
        return self.checked_in_at is not None
