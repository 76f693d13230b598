"""Issue 16, item 9: the WebSocket origin check ignored the port, so a page on another
port of an allowed host (``http://localhost:1``) could open the board socket with the
visitor's cookies. The origin must name the port the client connected to."""

from __future__ import annotations

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from tests.live import DaphneServer, run


@pytest.fixture(scope="module")
def server():
    daphne = DaphneServer().migrate().start()
    yield daphne
    daphne.stop()


def handshake(server, origin: str | None) -> int:
    async def attempt() -> int:
        try:
            async with connect(f"{server.ws_url}/ws/events/1/board/", origin=origin):
                return 101
        except InvalidStatus as exc:
            return exc.response.status_code

    return run(attempt())


@pytest.mark.parametrize(
    "origin",
    [
        "http://localhost:1",
        "http://127.0.0.1:1",
        "http://127.0.0.1",  # port 80, not the server's
        "https://127.0.0.1",
        "http://evil.example:{port}",
        "http://127.0.0.1:notaport",
        "null",
    ],
)
def test_an_origin_on_another_port_or_host_is_refused(server, origin):
    assert handshake(server, origin.format(port=server.port)) in (400, 403)  # refused


def test_the_servers_own_origin_is_accepted(server):
    assert handshake(server, server.url) == 101
    assert handshake(server, f"http://localhost:{server.port}") == 101
