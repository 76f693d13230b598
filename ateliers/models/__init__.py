"""Models of the workshops domain, one module per area."""

from .accounts import User
from .events import Event, Registration, Theme, TimeSlot
from .people import ExpertProfile, Membership, Organization, Skill

__all__ = [
    "Event",
    "ExpertProfile",
    "Membership",
    "Organization",
    "Registration",
    "Skill",
    "Theme",
    "TimeSlot",
    "User",
]
