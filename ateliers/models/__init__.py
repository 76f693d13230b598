"""Models of the workshops domain, one module per area."""

from .accounts import User
from .events import Event, Registration, Theme, TimeSlot
from .help import HelpRequest, HelpRequestMessage, HelpRequestTransition, Notification
from .people import ExpertProfile, Membership, Organization, Skill
from .schedule import Meeting, Schedule

__all__ = [
    "Event",
    "ExpertProfile",
    "HelpRequest",
    "HelpRequestMessage",
    "HelpRequestTransition",
    "Meeting",
    "Membership",
    "Notification",
    "Organization",
    "Registration",
    "Schedule",
    "Skill",
    "Theme",
    "TimeSlot",
    "User",
]
