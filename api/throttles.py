"""Throttles backed by the cache (Redis in production, so every daphne process shares them).

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (env-configurable in
settings; docs/api.md#throttles). A workshop room is up to 300 people behind one NAT
address, so the only per-address limits are on endpoints a crowd does not hammer together
(login, sign-up) or that must resist enumeration (join, generous enough for a room
joining in a few minutes). Board writes are limited per principal: per guest token
(``participant:<id>``) or per account, never per address.

Every address comes from ``livinglab.addresses.client_address``: ``X-Forwarded-For`` is
believed only from a trusted proxy (``TRUSTED_PROXIES``), never from any client.

Logins are slowed per address and per (username, address) pair, never per username
alone: a counter on the name alone let anyone lock a named user out, the right password
refused with a 429 (issue 16).
"""

from __future__ import annotations

import hashlib

from rest_framework import throttling

from livinglab.addresses import client_address


class _ClientAddressMixin:
    def get_ident(self, request):
        return client_address(request)


class ScopedRateThrottle(_ClientAddressMixin, throttling.ScopedRateThrottle):
    """DRF's scoped throttle (``throttle_scope`` on the view), keyed on the real address."""


class AddressThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
    """Every request of ``scope`` from one client address (API views and HTML forms)."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginAddressThrottle(AddressThrottle):
    """One address guessing many accounts."""

    scope = "login"


class SignupAddressThrottle(AddressThrottle):
    """Account spam and ``username_taken`` enumeration from one address."""

    scope = "signup"


def _submitted_username(request) -> str | None:
    data = getattr(request, "data", None)  # DRF: JSON or form; Django: the form
    if data is None:
        data = request.POST
    username = data.get("username") if hasattr(data, "get") else None
    if not isinstance(username, str) or not username.strip():
        return None
    return username.strip().lower()


class LoginPairThrottle(AddressThrottle):
    """Attempts on one username from one address: the real user, elsewhere, still logs in."""

    scope = "login_pair"

    def get_cache_key(self, request, view):
        username = _submitted_username(request)
        if username is None:
            return None  # the serializer or form refuses it; the address counter counts it
        pair = f"{username}\0{self.get_ident(request)}".encode()
        digest = hashlib.sha256(pair).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": digest}


class WritesThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
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


LOGIN_THROTTLES = (LoginAddressThrottle, LoginPairThrottle)


def page_allowed(request, throttle_classes) -> bool:
    """Count a plain Django form post (HTML login, sign-up, the admin's login) against the
    API's counters, so no form is a way around them; False when any is exhausted."""
    throttles = [throttle_class() for throttle_class in throttle_classes]
    allowed = [throttle.allow_request(request, None) for throttle in throttles]  # count all
    return all(allowed)


def page_login_allowed(request) -> bool:
    return page_allowed(request, LOGIN_THROTTLES)


__all__ = [
    "LOGIN_THROTTLES",
    "AddressThrottle",
    "JoinCodeThrottle",
    "JoinFailureThrottle",
    "LoginAddressThrottle",
    "LoginPairThrottle",
    "ScopedRateThrottle",
    "SignupAddressThrottle",
    "WritesThrottle",
    "page_allowed",
    "page_login_allowed",
]


# --- joining a board (issue 14): a venue's phones share one address -------------------


class JoinFailureThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
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


class JoinCodeThrottle(_ClientAddressMixin, throttling.SimpleRateThrottle):
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
