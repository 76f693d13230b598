"""WebSocket routes of the workshops app: the live board and personal notifications."""

from django.urls import path

from . import consumers

websocket_urlpatterns: list = [
    path("ws/events/<int:event_id>/board/", consumers.BoardConsumer.as_asgi()),
    path("ws/notifications/", consumers.NotificationConsumer.as_asgi(), name="ws-notifications"),
]
