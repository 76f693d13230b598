from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import ScheduleStatus
from .events import Event
from .people import Organization


class Schedule(models.Model):
    """An event's consultation rounds: one-to-one meetings of organisations and experts.

    ``rounds`` holds ``[{starts_at, ends_at}]`` (ISO 8601) in order; a meeting's ``round``
    is a 1-based index into it. ``removed`` keeps the (organisation, expert user) pairs an
    organizer took out, so a new solve does not bring them back.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="schedule")
    status = models.CharField(
        _("status"), max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    rounds = models.JSONField(_("rounds"), default=list)
    tables = models.PositiveIntegerField(_("tables"))
    max_meetings_per_organization = models.PositiveIntegerField(
        _("maximum meetings per organisation"), null=True, blank=True
    )
    max_meetings_per_expert = models.PositiveIntegerField(
        _("maximum meetings per expert"),
        null=True,
        blank=True,
        help_text=_("Balances the experts' load: nobody gives more consultations than this."),
    )
    removed = models.JSONField(_("removed pairs"), default=list, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    generated_at = models.DateTimeField(_("generated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["event_id"]
        verbose_name = _("consultation schedule")
        verbose_name_plural = _("consultation schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(tables__gte=1),
                name="schedule_tables_positive",
                violation_error_message=_("At least one table is needed."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.get_status_display()})"

    @property
    def is_published(self) -> bool:
        return self.status == ScheduleStatus.PUBLISHED


class Meeting(models.Model):
    """One consultation: an organisation meets an expert (and, in a multi-party meeting, up
    to two ``co_experts``) at a table during a round."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="meetings")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("organisation"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="consultations",
        verbose_name=_("expert"),
    )
    round = models.PositiveSmallIntegerField(_("round"))
    table = models.PositiveSmallIntegerField(_("table"))
    fit = models.PositiveIntegerField(_("fit"))
    skills = models.JSONField(_("skills covered"), default=list, blank=True)
    languages = models.JSONField(_("shared languages"), default=list, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    co_experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="co_consultations",
        verbose_name=_("other experts"),
        help_text=_(
            "A multi-party meeting: the other experts at the table (the expert above leads)."
        ),
    )

    class Meta:
        ordering = ["schedule_id", "round", "table", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "round", "table"],
                name="meeting_one_per_table",
                violation_error_message=_("This table is already taken in this round."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "round", "organization"],
                name="meeting_organization_once_per_round",
                violation_error_message=_("The organisation already has a meeting this round."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "round", "expert"],
                name="meeting_expert_once_per_round",
                violation_error_message=_("The expert already has a meeting this round."),
            ),
            models.UniqueConstraint(
                fields=["schedule", "organization", "expert"],
                name="meeting_pair_once",
                violation_error_message=_("These two already meet."),
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1) & Q(table__gte=1) & Q(fit__gte=1),
                name="meeting_round_table_fit_positive",
                violation_error_message=_(
                    "Rounds and tables count from 1, and the fit is positive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} × {self.expert} (round {self.round}, table {self.table})"

    @property
    def experts_label(self) -> str:
        """Every expert at the table, the lead first: "Alice", "Alice and Bob" (reads the
        prefetched ``co_experts``)."""
        from ..matching import _join

        others = sorted(self.co_experts.all(), key=lambda u: u.pk) if self.pk else []
        return _join([self.expert.public_name, *(u.public_name for u in others)])


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class AgendaFeed(models.Model):
    """A person's secret calendar address: whoever holds the token reads their agenda
    (calendar apps send no session), until the person revokes it (the row is deleted and a
    new address is made on the next request)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_feed"
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_feed_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user_id"]
        verbose_name = _("agenda feed")
        verbose_name_plural = _("agenda feeds")

    def __str__(self) -> str:
        return f"{self.user} (agenda feed)"
