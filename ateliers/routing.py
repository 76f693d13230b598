"""WebSocket routes of the workshops app (the live board)."""

from django.urls import path

from .realtime.notifications import NotificationConsumer

websocket_urlpatterns: list = []

websocket_urlpatterns += [
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
]
