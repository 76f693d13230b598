"""Every set of choices of the workshops domain, in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FR = "fr", _("French")
    EN = "en", _("English")
    ES = "es", _("Spanish")
    AR = "ar", _("Arabic")
    HT = "ht", _("Haitian Creole")


class Role(models.TextChoices):
    ORGANIZER = "organizer", _("Organizer")
    EXPERT = "expert", _("Expert")
    MEMBER = "member", _("Organisation member")
    PARTNER = "partner", _("Partner")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class RegistrationRole(models.TextChoices):
    ORGANIZATION = "organization", _("Organisation")
    EXPERT = "expert", _("Expert")
    PARTICIPANT = "participant", _("Participant")


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class SlotKind(models.TextChoices):
    TALK = "talk", _("Talk")
    WORKSHOP = "workshop", _("Workshop")
    CONSULTATION = "consultation", _("Consultation round")
    BREAK = "break", _("Break")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class HelpFormat(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Remote or on site")


class HelpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")


class NotificationKind(models.TextChoices):
    REQUEST_FITS = "help.fits", _("A new request fits you")
    CLAIMED = "help.claimed", _("Request claimed")
    RELEASED = "help.released", _("Request released")
    STARTED = "help.started", _("Work started")
    RESOLVED = "help.resolved", _("Request resolved")
    MESSAGE = "help.message", _("New message")
    OFFERED = "help.offered", _("A request asks for you again")
    UNCLAIMED = "help.unclaimed", _("A request waits for an expert")
    # Projects (projets.notify): followers and team hear of these.
    PROJECT_PHASE = "project.phase", _("Project phase changed")
    PROJECT_UPDATE = "project.update", _("Project status update")
    PROJECT_STORY = "project.story", _("Project story published")
    SCHEDULE_PUBLISHED = "schedule.published", _("Consultation schedule published")
    SCHEDULE_CHANGED = "schedule.changed", _("Your consultations changed")


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class IdeaStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden")
    MERGED = "merged", _("Merged")
    # Pre-moderation (``Event.moderation == "pre"``): a new idea waits for a moderator;
    # only its author and the moderators see it. A rejected one stays theirs alone.
    PENDING = "pending", _("Awaiting moderation")
    REJECTED = "rejected", _("Not published")


# What the board shows to everyone: a hidden, pending or rejected idea is not on it.
NOT_ON_BOARD = (IdeaStatus.HIDDEN, IdeaStatus.PENDING, IdeaStatus.REJECTED)


class BoardModeration(models.TextChoices):
    POST = "post", _("Ideas appear at once; moderators hide afterwards")
    PRE = "pre", _("A moderator approves each idea before it appears")


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hide")
    SHOW = "show", _("Show")
    PIN = "pin", _("Pin")
    UNPIN = "unpin", _("Unpin")
    MERGE = "merge", _("Merge into another idea")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class BoardEventType(models.TextChoices):
    IDEA_CREATED = "idea.created", "idea.created"
    IDEA_UPDATED = "idea.updated", "idea.updated"
    IDEA_MERGED = "idea.merged", "idea.merged"
    COMMENT_CREATED = "comment.created", "comment.created"
    COMMENT_REMOVED = "comment.removed", "comment.removed"
    VOTES_CHANGED = "votes.changed", "votes.changed"
    BOARD_UPDATED = "board.updated", "board.updated"
    POLL_UPDATED = "poll.updated", "poll.updated"


class ModeratorRole(models.TextChoices):
    """What an account appointed on one event may do there (organizers may do all)."""

    MODERATOR = "moderator", _("Co-moderator")
    FACILITATOR = "facilitator", _("Facilitator")


class PollKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    WORDS = "words", _("Word cloud")


class PollStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# The languages of the interface (a person's preference), a subset of Language.
INTERFACE_LANGUAGES = Language.choices[:2]
