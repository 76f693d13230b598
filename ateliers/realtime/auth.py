"""Channels' session and auth middleware only for handshakes that carry a session.

``AuthMiddlewareStack`` makes two hops to Django's one shared sync thread per handshake
(the session store, then the user), even with no cookie at all, and wraps every frame
the socket sends afterwards. Phones on the board say who they are with a guest token in
``hello``; only a browser logged in to an account sends the session cookie. Without it
the socket gets ``AnonymousUser`` at once: a connect storm of 1,000 guests no longer
queues 2,000 thread hops behind whatever the HTTP views are doing.
"""

from __future__ import annotations

from channels.auth import AuthMiddlewareStack
from django.conf import settings


def has_session_cookie(scope) -> bool:
    name = settings.SESSION_COOKIE_NAME.encode()
    for header, value in scope.get("headers") or ():
        if header.lower() == b"cookie":
            for part in value.split(b";"):
                if part.strip().partition(b"=")[0] == name:
                    return True
    return False


class SessionAuthWhenNeeded:
    """``AuthMiddlewareStack(inner)`` when the handshake has a session cookie, else
    ``inner`` with ``scope["user"] = AnonymousUser()``."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.with_session = AuthMiddlewareStack(inner)

    async def __call__(self, scope, receive, send):
        if has_session_cookie(scope):
            return await self.with_session(scope, receive, send)
        from django.contrib.auth.models import AnonymousUser

        return await self.inner({**scope, "user": AnonymousUser()}, receive, send)
