"""The people who run one event's room besides the organizers: co-moderators and facilitators.

An organizer appoints an account on one event; the appointment gives rights on that event
and no other (``ateliers.permissions.can_moderate_event`` / ``can_run_polls``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ModeratorRole
from .events import Event


class EventModerator(models.Model):
    """An account appointed to moderate (or facilitate) one event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="moderators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderated_events"
    )
    role = models.CharField(
        _("role"), max_length=12, choices=ModeratorRole.choices, default=ModeratorRole.MODERATOR
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("appointed at"), auto_now_add=True)

    class Meta:
        ordering = ["event_id", "id"]
        verbose_name = _("event moderator")
        verbose_name_plural = _("event moderators")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="event_moderator_once",
                violation_error_message=_("This account already helps run this event."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event} ({self.get_role_display()})"
