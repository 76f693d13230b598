"""``/ws/notifications/``: one person's live notifications (their ``user_<id>`` group).

Protocol (docs: CONTRACT.md style):

* client → ``{"type": "hello", "token": "<account token>"}`` first; a browser with a
  session may omit the token. Board guests' tokens are refused (accounts only).
* server → ``{"type": "welcome", "user": <id>, "unread": <count>}``, then
  ``{"type": "notification.created", "notification": {...}, "unread": <count>}`` live.
* client → ``{"type": "ping"}`` → ``{"type": "pong"}``.
* Bad JSON, unknown types, a message before ``hello`` or an oversize message get
  ``{"type": "error", "code": ..., "detail": ...}``; a failed ``hello`` closes with 4401,
  no ``hello`` within ``HELLO_TIMEOUT`` seconds with 4408, a flood (more than
  ``RATE_LIMIT`` messages in ``RATE_WINDOW`` seconds) with 4429.
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

MAX_MESSAGE_BYTES = 4096
CLOSE_UNAUTHORIZED = 4401
CLOSE_HELLO_TIMEOUT = 4408
CLOSE_RATE_LIMITED = 4429
HELLO_TIMEOUT = 10.0
RATE_LIMIT = 20
RATE_WINDOW = 10.0


@database_sync_to_async
def _user_from_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return None
    return token.user


@database_sync_to_async
def _unread(user_id: int) -> int:
    from ateliers.models import Notification

    return Notification.objects.filter(recipient_id=user_id, read_at__isnull=True).count()


class NotificationConsumer(AsyncWebsocketConsumer):
    user_id: int | None = None
    hello_timeout = HELLO_TIMEOUT

    async def connect(self):
        self.window_start = time.monotonic()
        self.window_count = 0
        await self.accept()
        self.hello_timer = asyncio.get_running_loop().call_later(
            self.hello_timeout, lambda: asyncio.ensure_future(self._hello_timed_out())
        )

    async def _hello_timed_out(self) -> None:
        if self.user_id is None:
            await self.error("hello_timeout", "No hello received in time.")
            await self.close(code=CLOSE_HELLO_TIMEOUT)

    def _flooding(self) -> bool:
        now = time.monotonic()
        if now - self.window_start > RATE_WINDOW:
            self.window_start, self.window_count = now, 0
        self.window_count += 1
        return self.window_count > RATE_LIMIT

    async def disconnect(self, code):
        timer = getattr(self, "hello_timer", None)
        if timer is not None:
            timer.cancel()
        if self.user_id is not None:
            from ateliers.services.notifications import user_group

            await self.channel_layer.group_discard(user_group(self.user_id), self.channel_name)

    async def error(self, code: str, detail: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "code": code, "detail": detail}))

    async def receive(self, text_data=None, bytes_data=None):
        if self._flooding():
            await self.error("rate_limited", "Too many messages; slow down.")
            await self.close(code=CLOSE_RATE_LIMITED)
            return
        raw = text_data if text_data is not None else (bytes_data or b"").decode("utf-8", "replace")
        if len(raw.encode("utf-8")) > MAX_MESSAGE_BYTES:
            await self.error("too_large", "Message too large.")
            return
        try:
            message = json.loads(raw)
        except ValueError:
            await self.error("bad_json", "Messages are JSON objects.")
            return
        if not isinstance(message, dict):
            await self.error("bad_json", "Messages are JSON objects.")
            return
        kind = message.get("type")
        if kind == "hello":
            await self.hello(message)
        elif self.user_id is None:
            await self.error("hello_required", "Send a hello message first.")
        elif kind == "ping":
            await self.send(text_data=json.dumps({"type": "pong"}))
        else:
            await self.error("unknown_type", "Unknown message type.")

    async def hello(self, message: dict) -> None:
        from ateliers.services.notifications import user_group

        if self.user_id is not None:
            await self.error("already_welcomed", "Hello was already received.")
            return
        token = message.get("token")
        user = None
        if isinstance(token, str) and token:
            user = await _user_from_token(token[:100])
        else:
            scoped = self.scope.get("user")
            if scoped is not None and getattr(scoped, "is_authenticated", False):
                user = scoped
        if user is None:
            await self.error("unauthorized", "An account's token or session is required.")
            await self.close(code=CLOSE_UNAUTHORIZED)
            return
        self.user_id = user.pk
        self.hello_timer.cancel()
        await self.channel_layer.group_add(user_group(user.pk), self.channel_name)
        unread = await _unread(user.pk)
        await self.send(
            text_data=json.dumps({"type": "welcome", "user": user.pk, "unread": unread})
        )

    async def notification_created(self, event: dict) -> None:
        await self.send(
            text_data=json.dumps(
                {
                    "type": "notification.created",
                    "notification": event["notification"],
                    "unread": event.get("unread"),
                }
            )
        )
