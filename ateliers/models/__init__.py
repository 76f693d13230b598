"""Models of the workshops domain, one module per area."""

from .accounts import User
from .board import BoardEvent, Comment, Idea, Participant, Vote
from .events import Event, Registration, Theme, TimeSlot
from .help import (
    HelpRequest,
    HelpRequestMessage,
    HelpRequestRating,
    HelpRequestTransition,
    Notification,
)
from .outbox import OutgoingEmail
from .people import ExpertProfile, Membership, Organization, Skill
from .polls import Poll, PollAnswer, PollChoice
from .room import EventModerator
from .schedule import AgendaFeed, Meeting, Schedule

__all__ = [
    "AgendaFeed",
    "BoardEvent",
    "Comment",
    "Event",
    "EventModerator",
    "ExpertProfile",
    "HelpRequest",
    "HelpRequestMessage",
    "HelpRequestRating",
    "HelpRequestTransition",
    "Idea",
    "Meeting",
    "Membership",
    "Notification",
    "Organization",
    "OutgoingEmail",
    "Participant",
    "Poll",
    "PollAnswer",
    "PollChoice",
    "Registration",
    "Schedule",
    "Skill",
    "Theme",
    "TimeSlot",
    "User",
    "Vote",
]
