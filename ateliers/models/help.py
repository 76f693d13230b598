from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import HelpFormat, HelpStatus, Language, NotificationKind, Urgency
from .events import Event
from .people import Organization, Skill

CLAIMED_STATUSES = (HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS, HelpStatus.RESOLVED)


class HelpRequest(models.Model):
    """A concrete problem an organisation brings, which one expert claims and solves.

    The life cycle is open → claimed → in_progress → resolved, or released back to open;
    each step is recorded in ``HelpRequestTransition``. ``claimed_by`` is set exactly when
    the status says someone holds it (a database constraint), so a claim is one
    compare-and-set UPDATE on ``status = 'open'``.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="help_requests",
        verbose_name=_("organisation"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("event"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    skills = models.ManyToManyField(
        Skill, related_name="help_requests", blank=True, verbose_name=_("skills needed")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    format = models.CharField(
        _("format"), max_length=10, choices=HelpFormat.choices, default=HelpFormat.EITHER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=HelpStatus.choices, default=HelpStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="claimed_help_requests",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("offered first to"),
        help_text=_(
            "The expert the organisation asked for again: only they may claim it "
            "until the offer ends."
        ),
    )
    offered_until = models.DateTimeField(_("offered until"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"),
        default=0,
        help_text=_(
            "Who has been told while nobody claims it: 0 the expert asked for again, "
            "1 the suggested experts, 2 every matching expert, 3 the organizers."
        ),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_help_requests",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [models.Index(fields=["status", "event"], name="helprequest_status_event")]
        constraints = [
            # A claimant may be deleted (SET NULL) after resolution: only require the
            # claimant while the request is held, and forbid one on an open request.
            models.CheckConstraint(
                condition=~Q(status=HelpStatus.OPEN) | Q(claimed_by__isnull=True),
                name="helprequest_open_unclaimed",
                violation_error_message=_("An open request has no claiming expert."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[HelpStatus.CLAIMED, HelpStatus.IN_PROGRESS])
                | Q(claimed_by__isnull=False),
                name="helprequest_claimed_has_expert",
                violation_error_message=_("A claimed request names its expert."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=HelpStatus.values),
                name="helprequest_status_valid",
                violation_error_message=_("Unknown status."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == HelpStatus.OPEN


class HelpRequestRating(models.Model):
    """How the organisation rated the help it got, once the request was resolved."""

    request = models.OneToOneField(HelpRequest, on_delete=models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rated by"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_ratings",
        verbose_name=_("expert"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["request_id"]
        verbose_name = _("help rating")
        verbose_name_plural = _("help ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5),
                name="helprating_score_1_to_5",
                violation_error_message=_("A score goes from 1 to 5."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.score}/5"


class HelpRequestTransition(models.Model):
    """One step of a request's history: who moved it from which status to which, and when."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=HelpStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=HelpStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "created_at", "id"]
        verbose_name = _("help request transition")
        verbose_name_plural = _("help request transitions")

    def __str__(self) -> str:
        return f"{self.request_id}: {self.from_status or '∅'} → {self.to_status}"


class HelpRequestMessage(models.Model):
    """A message in the thread between the organisation and its expert."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["request_id", "created_at", "id"]
        verbose_name = _("help request message")
        verbose_name_plural = _("help request messages")

    def __str__(self) -> str:
        return f"{self.author}: {self.text[:40]}"


class Notification(models.Model):
    """Something a person should know (a claim, a message…), shown in-app and maybe e-mailed.

    ``title`` and ``body`` are rendered once, in the recipient's language, when the
    notification is made; ``payload`` keeps the ids for clients.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True, max_length=5000)
    url = models.CharField(_("link"), max_length=300, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    help_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
