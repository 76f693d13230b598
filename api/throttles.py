"""Throttles backed by the cache (Redis in production, so every daphne process shares them).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env-configurable in
settings). A workshop room is up to 300 people behind one NAT address, so the only
per-IP limits are on endpoints a crowd does not hammer together (login, sign-up) or that
must resist enumeration (join, generous enough for a room joining in a few minutes).
Board writes are limited per principal: per guest token (``participant:<id>``) or per
account, never per IP.
"""

from __future__ import annotations

import hashlib

from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class WritesThrottle(SimpleRateThrottle):
    """Unsafe methods (POST/PUT/PATCH/DELETE) per guest token or account; reads are free."""

    scope = "writes"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        ident = user.pk if authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class LoginUsernameThrottle(SimpleRateThrottle):
    """Attempts on one username, whatever the address: slows a distributed guess of one
    password (the per-IP ``login`` scope slows one address guessing many)."""

    scope = "login_username"

    def get_cache_key(self, request, view):
        data = getattr(request, "data", None)
        username = data.get("username") if hasattr(data, "get") else None
        if not isinstance(username, str) or not username.strip():
            return None  # the serializer refuses it; nothing to count against
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


__all__ = ["LoginUsernameThrottle", "ScopedRateThrottle", "WritesThrottle"]


class _PageThrottleMixin:
    """The same counters for the site's HTML forms (a plain Django request, form data)."""

    def get_cache_key(self, request, view):
        if self.scope == "login_username":
            username = request.POST.get("username", "")
            if not username.strip():
                return None
            digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
            return self.cache_format % {"scope": self.scope, "ident": digest}
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PageLoginIPThrottle(_PageThrottleMixin, SimpleRateThrottle):
    scope = "login"


class PageLoginUsernameThrottle(_PageThrottleMixin, SimpleRateThrottle):
    scope = "login_username"


def page_login_allowed(request) -> bool:
    """Count a login attempt from the HTML form against the API's login scopes (so the
    form is no way around them); False when either is exhausted."""
    throttles = (PageLoginIPThrottle(), PageLoginUsernameThrottle())
    allowed = [throttle.allow_request(request, None) for throttle in throttles]  # count both
    return all(allowed)


# --- joining a board (issue 14): a venue's phones share one address -------------------


class JoinFailureThrottle(SimpleRateThrottle):
    """Wrong codes per address (scope ``join``): only a wrong code counts, so a room
    joining from one address is never refused; an address that has used up its budget
    of wrong codes waits out the window (every attempt then gets 429, or guessing would
    go on at full speed, a right guess showing as 201)."""

    scope = "join"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return True

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        if not hasattr(self, "history"):
            self.allow_request(request, None)
        self.history.insert(0, self.timer())
        self.cache.set(self.key, self.history, self.duration)


class JoinCodeThrottle(SimpleRateThrottle):
    """Joins per (address, code), slowly (scope ``join_code``, 5000 an hour): far above
    any venue, it only stops one address from filling an event with made-up guests."""

    scope = "join_code"

    def get_cache_key(self, request, view):
        data = getattr(request, "data", None)
        code = data.get("code") if hasattr(data, "get") else None
        if not isinstance(code, str):
            return None
        code = "".join(ch for ch in code.upper() if ch.isalnum())[:40]
        digest = hashlib.sha256(f"{self.get_ident(request)}|{code}".encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}
