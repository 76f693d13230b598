"""ASGI entry point: HTTP through Django, WebSockets through Channels (served by daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "livinglab.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from api.board_read import AnonymousBoardReads  # noqa: E402
from ateliers.realtime.auth import SessionAuthWhenNeeded  # noqa: E402
from ateliers.realtime.origin import SameOriginValidator  # noqa: E402
from ateliers.realtime.server import tune_websocket_server  # noqa: E402
from livinglab.routing import websocket_urlpatterns  # noqa: E402

if os.environ.get("LIVINGLAB_WARM", "1") != "0":
    # Import the views and load the report code, fonts and catalogues now, not on the
    # first request after a restart (docs/reports.md, "Cold start").
    from livinglab.warm import warm

    warm()

tune_websocket_server()

application = ProtocolTypeRouter(
    {
        # a repeated anonymous board read is answered before Django (api/board_read.py)
        "http": AnonymousBoardReads(django_asgi_app),
        # the Origin must be an allowed host on the port the client connected to; the
        # session is read only when the handshake carries one (ateliers/realtime/auth.py)
        "websocket": SameOriginValidator(SessionAuthWhenNeeded(URLRouter(websocket_urlpatterns))),
    }
)
