"""WebSocket routes of the workshops app: the live board and personal notifications."""

from django.urls import path

from . import consumers
from .realtime.notifications import NotificationConsumer

websocket_urlpatterns: list = [
    path("ws/events/<int:event_id>/board/", consumers.BoardConsumer.as_asgi()),
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
]
