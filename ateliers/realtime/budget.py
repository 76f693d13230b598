"""One write budget per principal across all its sockets and HTTP (issue 14).

The REST API limits writes per guest token or account (``api.throttles.WritesThrottle``,
scope ``writes``); the board socket takes from the same counter, in the same cache (Redis
when configured, so every daphne process shares it): eight sockets of one token get no
more than one client over HTTP.
"""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


def principal_ident(*, participant, user) -> str:
    """The throttle identity HTTP uses: an account's pk, a guest's ``participant:<id>``
    (``api.authentication.GuestPrincipal.pk``)."""
    if user is not None:
        return str(user.pk)
    return f"participant:{participant.pk}"


class WriteBudget(SimpleRateThrottle):
    """DRF's ``writes`` scope, keyed like ``WritesThrottle`` (same cache entry)."""

    scope = "writes"

    def __init__(self, ident: str) -> None:
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


def take_write(ident: str) -> float | None:
    """Count one write; ``None`` if allowed, else the seconds to wait."""
    budget = WriteBudget(ident)
    if budget.allow_request(None, None):
        return None
    return budget.wait() or 1.0
