"""The live ideas board: guests, ideas, votes, comments and the append-only event log.

Every change of board state appends a ``BoardEvent`` with the event's next ``seq`` in the
same transaction (``ateliers/services/board.py``); the log is what clients catch up from.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import BoardEventType, IdeaStatus
from .events import Event, Theme

IDEA_MAX_LENGTH = 1000
COMMENT_MAX_LENGTH = 1000


class Participant(models.Model):
    """A guest identity on one event's board (optionally linked to an account)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    display_name = models.CharField(_("display name"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_participations",
    )
    # The SHA-256 of the joining browser's device cookie: the same browser joining again
    # gets this participant back instead of a second one (one phone, one vote).
    device = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    # Set when the guest deleted itself, its account went, or the retention period ran
    # out (``manage.py purge_guests``): the name is neutral and its token no longer works.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # Set by a moderator (``board.participant_ban``): the token still reads the board but
    # can no longer write on it, and its votes no longer count.
    banned_at = models.DateTimeField(_("banned at"), null=True, blank=True)

    class Meta:
        ordering = ["event_id", "id"]
        indexes = [models.Index(fields=["event", "device"], name="participant_event_device")]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="participant_one_per_account",
                violation_error_message=_("This account already takes part in this event."),
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class Idea(models.Model):
    """An idea posted on the board; ``votes`` and ``comment_count`` are counters.

    ``votes_logged`` is the tally last written to the board log: a vote changes ``votes``
    at once and the coalesced ``votes.changed`` event logs every idea where they differ.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ideas")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ideas")
    text = models.TextField(_("idea"), max_length=IDEA_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=IdeaStatus.choices, default=IdeaStatus.VISIBLE
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_ideas"
    )
    votes = models.PositiveIntegerField(_("votes"), default=0)
    votes_logged = models.PositiveIntegerField(default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    client_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event_id", "-pinned", "-votes", "id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["event", "status"], name="idea_event_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                name="idea_unique_client_id",
                violation_error_message=_("This idea was already posted."),
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | ~Q(merged_into=models.F("pk")),
                name="idea_not_merged_into_itself",
                violation_error_message=_("An idea cannot be merged into itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Vote(models.Model):
    """One participant's vote for one idea (at most one: DB constraint)."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="vote_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["idea_id", "id"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "idea"],
                name="vote_one_per_participant",
                violation_error_message=_("You already voted for this idea."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.idea_id}"


class Comment(models.Model):
    """A comment under an idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    client_id = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["idea_id", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "client_id"],
                name="comment_unique_client_id",
                violation_error_message=_("This comment was already posted."),
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class BoardEvent(models.Model):
    """One logged change of an event's board; ``seq`` grows by exactly 1 per change."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="board_events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=32, choices=BoardEventType.choices)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event_id", "seq"]
        verbose_name = _("board event")
        verbose_name_plural = _("board events")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "seq"],
                name="board_event_unique_seq",
                violation_error_message=_("This sequence number is already used."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}#{self.seq} {self.type}"

    def as_message(self) -> dict:
        return {"type": self.type, "seq": self.seq, **self.payload}
