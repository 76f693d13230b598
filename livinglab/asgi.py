"""ASGI entry point: HTTP through Django, WebSockets through Channels (served by daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from ateliers.realtime.origin import SameOriginValidator  # noqa: E402
from livinglab.routing import websocket_urlpatterns  # noqa: E402

if os.environ.get("LIVINGLAB_WARM", "1") != "0":
    # Import the views and load the report code, fonts and catalogues now, not on the
    # first request after a restart (docs/reports.md, "Cold start").
    from livinglab.warm import warm

    warm()

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # the Origin must be an allowed host on the port the client connected to
        "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
