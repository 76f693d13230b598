"""The WebSocket handshake's ``Origin`` check, port included (issue 16, item 9).

Channels' ``AllowedHostsOriginValidator`` compares the origin's host name with
``ALLOWED_HOSTS`` and ignores its port, so a page served by any other program on the same
host (``http://localhost:1``) could open the board socket with the visitor's session.
Here the origin must be an allowed host **and** name the port the browser connected to:
the ``Host`` header's port, or the scheme's default when the header has none (a reverse
proxy that sends ``Host $host``). A request without ``Host`` (only in-process test
harnesses send one) gets the host name check alone.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            try:
                return value.decode("latin1")
            except UnicodeDecodeError:  # pragma: no cover - latin1 decodes any byte
                return None
    return None


def origin_allowed(scope) -> bool:
    hosts = settings.ALLOWED_HOSTS or (
        ["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else []
    )
    return _verdict(_header(scope, b"origin"), _header(scope, b"host"), tuple(hosts))


@lru_cache(maxsize=256)
def _verdict(origin: str | None, host: str | None, hosts: tuple[str, ...]) -> bool:
    """Depends on these three alone: a room of phones sends the same pair again and
    again (remembered, per process, for the 256 latest)."""
    if not origin:
        return False
    try:
        parts = urlsplit(origin.strip().lower())
        origin_port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:  # a port that is not a number, or out of range
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname or origin_port is None:
        return False
    if not validate_host(parts.hostname, hosts):
        return False
    if not host:  # no HTTP/1.1 client omits it; an in-process test harness does
        return True
    _domain, port = split_domain_port(host.lower())
    if port and not port.isdigit():
        return False
    return origin_port == (int(port) if port else DEFAULT_PORTS[parts.scheme])


class SameOriginValidator:
    """ASGI middleware: refuse the handshake (HTTP 403) unless ``origin_allowed``."""

    def __init__(self, application) -> None:
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not origin_allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
