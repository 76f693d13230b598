"""What every socket of the product shares: token auth, limits and error replies.

``LimitedConsumer`` is the base of the board socket and the notifications socket
(``ateliers/consumers.py``). It reads a frame in one pipeline: too large, too fast, not
JSON get an ``{"type": "error", "code", "detail"}`` reply (never a crash); a socket that
floods is closed with 4429, one that says no ``hello`` in time with 4408. Each subclass
sets its limits and wordings (docs/protocol.md, CONTRACT.md) and handles the messages.
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.generic.websocket import AsyncWebsocketConsumer

from ..selectors.board import dumps

# Close codes: 4000 + the nearest HTTP status, so they read easily (docs/protocol.md).
CLOSE_BAD_HELLO = 4400
CLOSE_UNAUTHORIZED = 4401
CLOSE_WRONG_EVENT = 4403
CLOSE_NO_EVENT = 4404
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_FLOOD = 4429  # also too many sockets for one token or one address
CLOSE_TOO_SLOW = 4503


def socket_language(scope) -> str:
    """The language a socket's error texts are written in: the one its page was served
    in. Pages connect with ``?lang=<the page's lang>``; without it, the language cookie,
    then the browser's Accept-Language, then the site's default (French)."""
    from urllib.parse import parse_qs

    from django.conf import settings
    from django.utils import translation

    supported = {code for code, _name in settings.LANGUAGES}
    query = parse_qs((scope.get("query_string") or b"").decode("latin-1"))
    wanted = [*query.get("lang", [])]
    headers = dict(scope.get("headers") or [])
    cookies = headers.get(b"cookie", b"").decode("latin-1")
    for part in cookies.split(";"):
        name, _sep, value = part.strip().partition("=")
        if name == settings.LANGUAGE_COOKIE_NAME:
            wanted.append(value)
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    wanted += [code for code, _q in translation.trans_real.parse_accept_lang_header(accept)]
    for code in wanted:
        code = code.strip().lower().split("-")[0]
        if code in supported:
            return code
    return settings.LANGUAGE_CODE


class ClientError(Exception):
    """A refusal the client is told about as ``{"type": "error", "code", "detail"}``."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


def account_from_token(key) -> object | None:
    """The active account an API token names (sync: call it on a database thread)."""
    from rest_framework.authtoken.models import Token

    if not isinstance(key, str) or not key:
        return None
    found = Token.objects.select_related("user").filter(key=key).first()
    if found is None or not found.user.is_active:
        return None
    return found.user


def session_account(scope_user) -> object | None:
    """The account of the browser's session (the handshake's cookie), if any."""
    if scope_user is not None and getattr(scope_user, "is_authenticated", False):
        return scope_user
    return None


class TokenBucket:
    """``rate`` messages a second on average, ``burst`` at once."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate = float(rate)
        self.capacity = float(burst)
        self.tokens = float(burst)
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class FixedWindow:
    """At most ``limit`` messages in each ``window`` seconds."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = float(window)
        self.start = time.monotonic()
        self.count = 0

    def take(self) -> bool:
        now = time.monotonic()
        if now - self.start > self.window:
            self.start, self.count = now, 0
        self.count += 1
        return self.count <= self.limit


class LimitedConsumer(AsyncWebsocketConsumer):
    """A JSON socket with a ``hello`` first, a size cap, a rate limit and error replies.

    Subclasses set the class attributes, make ``self.limiter`` (``TokenBucket`` or
    ``FixedWindow``) and ``self.max_bytes`` before reading, report ``ready`` once the
    hello succeeded, and implement ``handle(message, raw)``.
    """

    hello_timeout: float = 10.0
    hello_timeout_detail = "Say hello first."
    # A frame over the size cap: counted against the rate limit, or refused before it.
    count_oversize = False
    too_large_detail = "Message too large."  # may name {max_bytes}
    # Refused messages in a row before the socket is closed (1: the first one closes).
    flood_strikes = 1
    flood_detail = "Too many messages; slow down."
    slow_down_detail = "Too many messages; slow down."
    bad_json_detail = "Messages are JSON objects."

    ready = False  # the hello succeeded
    closing = False
    hello_timer = None
    strikes = 0

    # --- the hello deadline -----------------------------------------------------------

    def start_hello_timer(self) -> None:
        self.hello_timer = asyncio.get_running_loop().call_later(
            self.hello_timeout, lambda: asyncio.ensure_future(self._hello_timed_out())
        )

    def stop_hello_timer(self) -> None:
        if self.hello_timer is not None:
            self.hello_timer.cancel()

    async def _hello_timed_out(self) -> None:
        if not self.ready and not self.closing:
            await self.close_with_error(
                CLOSE_HELLO_TIMEOUT, "hello_timeout", self.hello_timeout_detail
            )

    # --- one frame --------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        if self.closing:
            return
        raw = text_data if text_data is not None else bytes_data
        if raw is None:
            raw = b""
        size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
        oversize = size > self.max_bytes
        if oversize and not self.count_oversize:
            await self._too_large()
            return
        if not await self._within_rate():
            return
        if oversize:
            await self._too_large()
            return
        try:
            message = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: nesting deeper than Python's stack (16 KiB of "[")
            await self.error("bad_json", self.bad_json_detail)
            return
        await self.handle(message, raw)

    async def _too_large(self) -> None:
        await self.error("too_large", self.too_large_detail.format(max_bytes=self.max_bytes))

    async def _within_rate(self) -> bool:
        if self.limiter.take():
            self.strikes = 0
            return True
        self.strikes += 1
        if self.strikes >= self.flood_strikes:
            await self.close_with_error(CLOSE_FLOOD, "rate_limited", self.flood_detail)
        elif self.strikes == 1 or self.strikes % 10 == 0:
            await self.error("rate_limited", self.slow_down_detail)
        return False

    async def handle(self, message, raw) -> None:
        raise NotImplementedError

    # --- replies ----------------------------------------------------------------------

    async def send_json(self, content: dict) -> None:
        await self.send(text_data=dumps(content))

    async def error(self, code: str, detail: str, client_id: str | None = None) -> None:
        payload = {"type": "error", "code": code, "detail": detail}
        if client_id is not None:
            payload["client_id"] = client_id
        # ASCII: whatever a client echoed back (a lone surrogate) cannot break the frame
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))

    async def close_with_error(self, code: int, error_code: str, detail: str) -> None:
        """Say why, then close with ``code`` (once)."""
        if self.closing:
            return
        await self.error(error_code, detail)
        self.closing = True
        await self.close(code=code)
