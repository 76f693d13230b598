"""WebSocket routes of the workshops app (the live board)."""

websocket_urlpatterns: list = []
