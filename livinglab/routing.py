"""WebSocket routes of every app, gathered for the ASGI application."""

from ateliers.routing import websocket_urlpatterns as ateliers_routes

websocket_urlpatterns = [*ateliers_routes]
