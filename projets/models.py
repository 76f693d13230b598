"""Living-lab projects: phases, team, partners, milestones, journal, indicators, story."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ateliers.i18n import BilingualMixin, require_one_language, translated

from .choices import Phase, ProjectRole, Visibility


class Project(BilingualMixin, models.Model):
    """An idea or a help request carried through the living-lab cycle, with its partners.

    Who may read it is decided in one place: ``projets.selectors.projects_visible_to``.
    """

    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True, max_length=10000)
    summary_en = models.TextField(_("summary (English)"), blank=True, max_length=10000)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.EXPLORATION
    )
    phase_changed_at = models.DateTimeField(_("phase changed at"), default=timezone.now)
    region = models.CharField(_("region"), max_length=100, blank=True)
    event = models.ForeignKey(
        "ateliers.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("event"),
    )
    theme = models.ForeignKey(
        "ateliers.Theme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("theme"),
    )
    organizations = models.ManyToManyField(
        "ateliers.Organization",
        related_name="projects",
        blank=True,
        verbose_name=_("organisations involved"),
    )
    partners = models.ManyToManyField(
        "ateliers.Organization",
        related_name="partnered_projects",
        blank=True,
        verbose_name=_("partners"),
    )
    source_ideas = models.ManyToManyField(
        "ateliers.Idea",
        related_name="projects",
        blank=True,
        verbose_name=_("from ideas"),
    )
    source_help_requests = models.ManyToManyField(
        "ateliers.HelpRequest",
        related_name="projects",
        blank=True,
        verbose_name=_("from help requests"),
    )
    source_meetings = models.ManyToManyField(
        "ateliers.Meeting",
        related_name="projects",
        blank=True,
        verbose_name=_("from consultations"),
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

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="project_visibility_valid",
                violation_error_message=_("Choose public, partners or private."),
            ),
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values),
                name="project_phase_valid",
                violation_error_message=_("Unknown phase."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    title = translated("title")
    summary = translated("summary")

    @property
    def progress_percent(self) -> int | None:
        """Weight of the done milestones over all of them, in %; ``None`` without any.

        Read from the annotations of ``selectors.project_list`` when
        present (no query), else computed.
        """
        total = getattr(self, "milestone_weight", None)
        done = getattr(self, "milestone_done_weight", None)
        if total is None or done is None:
            weights = [(m.weight, m.done_on is not None) for m in self.milestones.all()]
            total = sum(w for w, _d in weights)
            done = sum(w for w, d in weights if d)
        if not total:
            return None
        return round(100 * done / total)

    def clean(self) -> None:
        require_one_language(self, "title")
        if self.theme_id and self.event_id and self.theme.event_id != self.event_id:
            raise ValidationError({"theme": _("This theme belongs to another event.")})


class ProjectMember(models.Model):
    """A person on the project's team, with a role."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(
        _("role"), max_length=15, choices=ProjectRole.choices, default=ProjectRole.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "role", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                name="project_member_unique",
                violation_error_message=_("This person is already on the team."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) — {self.project}"


class PhaseTransition(models.Model):
    """A dated move from one phase to another, with the team's note: the project's history."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(
        _("from"), max_length=20, choices=Phase.choices, blank=True, default=""
    )
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    #: The entry criteria of ``to_phase`` ticked for this move, as they read then.
    criteria = models.JSONField(_("entry criteria met"), default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["project_id", "created_at", "id"]
        verbose_name = _("phase transition")
        verbose_name_plural = _("phase transitions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_phase=F("to_phase")),
                name="phase_transition_moves",
                violation_error_message=_("A transition goes to another phase."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_phase or '∅'} → {self.to_phase}"

    @property
    def is_backward(self) -> bool:
        from .choices import CYCLE

        order = [p.value for p in CYCLE]
        if self.from_phase in order and self.to_phase in order:
            return order.index(self.to_phase) < order.index(self.from_phase)
        return False


class ChildTextMixin:
    """Child content (milestones, journal entries, indicators) is written in the team's
    language in ``<field>`` (French first, as the site) with an optional English version
    in ``<field>_en``: ``shown(field)`` is the English one on English pages and PDFs when
    given, else the original (``ateliers.i18n.localized``'s fallback rule)."""

    def shown(self, field: str, lang: str | None = None) -> str:
        from ateliers.i18n import current_language

        lang = lang or current_language()
        original = getattr(self, field, "") or ""
        english = getattr(self, f"{field}_en", "") or ""
        if lang == "en" and english:
            return english
        return original or english


class PhaseCriterion(BilingualMixin, models.Model):
    """An entry criterion of a phase, configured by organizers (Dribdat's stage checklist).

    A project enters ``phase`` (moving forward) only once the team ticks every active
    criterion of that phase; the ticked texts are kept on the transition.
    """

    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices)
    text_fr = models.CharField(_("criterion (French)"), max_length=300, blank=True)
    text_en = models.CharField(_("criterion (English)"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["phase", "position", "id"]
        verbose_name = _("phase entry criterion")
        verbose_name_plural = _("phase entry criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=Phase.values),
                name="phase_criterion_phase_valid",
                violation_error_message=_("Unknown phase."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    text = translated("text")

    def clean(self) -> None:
        require_one_language(self, "text")


class Milestone(ChildTextMixin, models.Model):
    """A dated step the team commits to; late when the date passed and it is not done.

    ``weight`` says how much of the project's work it stands for: the project's progress
    is the weight of the done milestones over the weight of all of them.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "due_on", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.title

    @property
    def title_shown(self) -> str:
        return self.shown("title")

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class ProjectUpdate(ChildTextMixin, models.Model):
    """An entry of the project's journal: what happened, in the team's words."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("text"), max_length=5000)
    text_en = models.TextField(_("text (English)"), max_length=5000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text_shown(self) -> str:
        return self.shown("text")


class Indicator(ChildTextMixin, models.Model):
    """An impact indicator: a target to reach from a baseline, measured over time.

    ``current`` is the latest measured value (kept by the service that records values).
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    current = models.DecimalField(
        _("current value"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["project_id", "position", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline__isnull=True) | ~Q(baseline=F("target")),
                name="indicator_target_differs_from_baseline",
                violation_error_message=_("The target must differ from the baseline."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name_shown(self) -> str:
        return self.shown("name")

    def clean(self) -> None:
        if self.baseline is not None and self.target is not None and self.baseline == self.target:
            raise ValidationError({"target": _("The target must differ from the baseline.")})

    @property
    def progress(self) -> Decimal | None:
        """Share of the way from baseline (0 when none) to target; may exceed 1 or be < 0."""
        if self.current is None or self.target is None:
            return None
        start = self.baseline if self.baseline is not None else Decimal(0)
        span = self.target - start
        if span == 0:
            return Decimal(1) if self.current >= self.target else Decimal(0)
        return (self.current - start) / span

    @property
    def progress_percent(self) -> int | None:
        """Rounded percentage, uncapped (130 means 30 % over target)."""
        value = self.progress
        return None if value is None else int((value * 100).to_integral_value())

    @property
    def bar_percent(self) -> int:
        """The percentage a progress bar can draw: 0 to 100."""
        value = self.progress_percent
        return 0 if value is None else max(0, min(100, value))

    @property
    def reached(self) -> bool:
        value = self.progress
        return value is not None and value >= 1


class IndicatorValue(models.Model):
    """One measurement of an indicator at a date: the history behind the chart."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    measured_on = models.DateField(_("measured on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "measured_on", "id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "measured_on"],
                name="indicator_value_one_per_day",
                violation_error_message=_("There is already a value for this date."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class Story(BilingualMixin, models.Model):
    """The project's *récit d'expérience*: what worked, what did not, and the lessons."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="story")
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    narrative_fr = models.TextField(_("narrative (French)"), blank=True, max_length=20000)
    narrative_en = models.TextField(_("narrative (English)"), blank=True, max_length=20000)
    worked_fr = models.TextField(_("what worked (French)"), blank=True, max_length=5000)
    worked_en = models.TextField(_("what worked (English)"), blank=True, max_length=5000)
    did_not_work_fr = models.TextField(_("what did not (French)"), blank=True, max_length=5000)
    did_not_work_en = models.TextField(_("what did not (English)"), blank=True, max_length=5000)
    lessons_fr = models.TextField(_("lessons (French)"), blank=True, max_length=5000)
    lessons_en = models.TextField(_("lessons (English)"), blank=True, max_length=5000)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.tr("title") or self.project.title

    narrative = translated("narrative")
    worked = translated("worked")
    did_not_work = translated("did_not_work")
    lessons = translated("lessons")

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        require_one_language(self, "narrative")


class Follow(models.Model):
    """A person follows a project and is told of its phase changes and updates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_follows"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["project_id", "user_id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"],
                name="follow_unique",
                violation_error_message=_("You already follow this project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project}"
