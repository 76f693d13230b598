"""``UNSET``: "not given" for the services' partial updates.

``None`` is a value there (no event, no capacity, not done), so a missing argument needs
its own marker. Each service names the fields it may change as keyword-only parameters
defaulting to ``UNSET``: a misspelt field is a ``TypeError``, never silently dropped.
"""

from __future__ import annotations

import enum
from typing import Any


class Unset(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET


def given(params: dict[str, Any], *skip: str) -> dict[str, Any]:
    """The parameters the caller gave, less ``skip``: a service's first line is
    ``changes = given(locals(), "actor", "theme")``."""
    return {key: value for key, value in params.items() if value is not UNSET and key not in skip}


def assign(instance, changes: dict[str, Any]) -> None:
    for key, value in changes.items():
        setattr(instance, key, value)
