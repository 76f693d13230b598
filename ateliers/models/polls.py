"""Live polls of one event's room: single choice, multiple choice, or a word cloud.

A guest (a board ``Participant``) has at most one answer per poll (database constraint);
answering again replaces it. ``version`` counts answers written and ``version_logged`` the
last count broadcast in a ``poll.updated`` event, so result pushes can be coalesced
without losing any (``ateliers/services/polls.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import PollKind, PollStatus
from ..i18n import BilingualMixin, translated
from .board import Participant
from .events import Event

QUESTION_MAX_LENGTH = 300
LABEL_MAX_LENGTH = 120
WORD_MAX_LENGTH = 40
MAX_CHOICES = 12


class Poll(BilingualMixin, models.Model):
    """A question put to the room by a moderator; opened and closed live."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="polls")
    question_fr = models.CharField(
        _("question (French)"), max_length=QUESTION_MAX_LENGTH, blank=True
    )
    question_en = models.CharField(
        _("question (English)"), max_length=QUESTION_MAX_LENGTH, blank=True
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PollKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=PollStatus.choices, default=PollStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    version_logged = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["event_id", "-id"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question

    question = translated("question")


class PollChoice(BilingualMixin, models.Model):
    """One option of a single- or multiple-choice poll."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label_fr = models.CharField(_("label (French)"), max_length=LABEL_MAX_LENGTH, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=LABEL_MAX_LENGTH, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["poll_id", "position", "id"]
        verbose_name = _("poll choice")
        verbose_name_plural = _("poll choices")

    def __str__(self) -> str:
        return self.label

    label = translated("label")


class PollAnswer(models.Model):
    """A guest's answer: chosen options, or a short text for a word cloud (``key`` is its
    normalised form: case, accents and simple plurals folded)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="poll_answers"
    )
    choices = models.ManyToManyField(PollChoice, blank=True, related_name="answers")
    text = models.CharField(_("answer"), max_length=WORD_MAX_LENGTH, blank=True)
    key = models.CharField(max_length=WORD_MAX_LENGTH * 2, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["poll_id", "id"]
        verbose_name = _("poll answer")
        verbose_name_plural = _("poll answers")
        indexes = [models.Index(fields=["poll", "key"], name="poll_answer_key")]
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "participant"],
                name="poll_answer_one_per_participant",
                violation_error_message=_("You already answered this poll."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} → {self.poll_id}"
