"""Every set of choices of the projects domain, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The living-lab cycle, in order; ``closed`` ends it."""

    EXPLORATION = "exploration", _("Exploration")
    CO_CREATION = "co_creation", _("Co-creation")
    EXPERIMENTATION = "experimentation", _("Experimentation")
    EVALUATION = "evaluation", _("Evaluation")
    DEPLOYMENT = "deployment", _("Deployment")
    CLOSED = "closed", _("Closed")


#: The cycle's phases in order, without ``closed``.
CYCLE = [
    Phase.EXPLORATION,
    Phase.CO_CREATION,
    Phase.EXPERIMENTATION,
    Phase.EVALUATION,
    Phase.DEPLOYMENT,
]


def allowed_moves(phase: str) -> list[str]:
    """Where a project may go from ``phase``.

    - forward by exactly one step (phases are not skipped: each one leaves a dated trace);
    - back to any earlier phase (a pilot that fails goes back to co-creation, recorded);
    - to ``closed`` from any phase;
    - from ``closed``, reopened into any phase of the cycle.
    """
    if phase == Phase.CLOSED:
        return [p.value for p in CYCLE]
    index = [p.value for p in CYCLE].index(phase)
    moves = [p.value for p in CYCLE[:index]]
    if index + 1 < len(CYCLE):
        moves.append(CYCLE[index + 1].value)
    moves.append(Phase.CLOSED.value)
    return moves


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Partners only")
    PRIVATE = "private", _("Private")


class ProjectRole(models.TextChoices):
    LEAD = "lead", _("Project lead")
    MEMBER = "member", _("Team member")
    FACILITATOR = "facilitator", _("Facilitator")
    EXPERT = "expert", _("Expert")


class NotificationKind(models.TextChoices):
    PHASE_CHANGED = "project.phase_changed", _("Phase changed")
    UPDATE_POSTED = "project.update_posted", _("Status update posted")
    STORY_PUBLISHED = "project.story_published", _("Story published")
