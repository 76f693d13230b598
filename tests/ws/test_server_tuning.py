"""What ``tune_websocket_server`` changes inside daphne besides the TCP writes
(``ateliers/realtime/server.py``): autobahn's debug arguments built only for a line
written, the garbage collector's start-up objects frozen and its thresholds raised, and
the Origin verdict remembered per (origin, host, allowed hosts)."""

from __future__ import annotations

import gc
import logging

import autobahn.util
from autobahn.twisted import websocket as twisted_websocket
from autobahn.websocket import protocol

from ateliers.realtime import origin
from ateliers.realtime.server import GC_THRESHOLDS, tune_websocket_server


def test_autobahn_colours_a_debug_argument_only_when_the_line_is_written(monkeypatch):
    tune_websocket_server()
    tune_websocket_server()  # applied once: a second call wraps nothing twice
    expected = autobahn.util.hltype(
        test_autobahn_colours_a_debug_argument_only_when_the_line_is_written
    )
    calls = []
    original = autobahn.util.hl
    monkeypatch.setattr(autobahn.util, "hl", lambda *a, **k: calls.append(a) or original(*a, **k))
    for module in (protocol, twisted_websocket):
        lazy = module.hltype(test_autobahn_colours_a_debug_argument_only_when_the_line_is_written)
        value = module.hlval(42)
        assert calls == []  # nothing coloured yet
        assert str(lazy) == expected  # the same text when a debug line is written
        assert f"{value}" == autobahn.util.hlval(42)
        assert calls
        calls.clear()


def test_a_websocket_frame_builds_no_debug_text_when_debug_is_off(monkeypatch):
    """A real autobahn server protocol receiving and sending: ``hl`` is never called."""
    tune_websocket_server()
    assert not logging.getLogger("autobahn").isEnabledFor(logging.DEBUG)
    calls = []
    monkeypatch.setattr(autobahn.util, "hl", lambda *a, **k: calls.append(a) or "")

    class Transport:
        def __init__(self):
            self.written = b""

        def write(self, data):
            self.written += data

        def getPeer(self):
            from twisted.internet.address import IPv4Address

            return IPv4Address("TCP", "127.0.0.1", 5000)

        getHost = getPeer

        def loseConnection(self):
            pass

        def abortConnection(self):
            pass

    factory = twisted_websocket.WebSocketServerFactory("ws://127.0.0.1:5000")
    factory.protocol = twisted_websocket.WebSocketServerProtocol
    proto = factory.buildProtocol(None)
    transport = Transport()
    proto.makeConnection(transport)
    proto.dataReceived(
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n\r\n"
    )
    assert b"101 Switching Protocols" in transport.written
    proto.sendMessage(b"hello")
    assert transport.written.endswith(b"hello")
    assert calls == []


def test_start_up_objects_are_frozen_and_collections_rarer():
    tune_websocket_server()
    assert gc.get_threshold() == GC_THRESHOLDS
    assert gc.get_freeze_count() > 0


def test_the_origin_verdict_is_remembered_and_still_follows_the_settings(settings):
    origin._verdict.cache_clear()
    scope = {"headers": [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]}
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert origin.origin_allowed(scope)
    assert origin.origin_allowed(scope)
    assert origin._verdict.cache_info().hits == 1
    settings.ALLOWED_HOSTS = ["example.org"]  # the allowed hosts are part of the key
    assert not origin.origin_allowed(scope)
    other_port = {"headers": [(b"origin", b"http://127.0.0.1:1"), (b"host", b"127.0.0.1:8000")]}
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    assert not origin.origin_allowed(other_port)


def test_twisted_formats_no_second_access_line():
    """daphne writes its own access line; Twisted's would go nowhere."""
    from daphne.http_protocol import HTTPFactory

    tune_websocket_server()

    class Request:
        def __getattr__(self, name):
            raise AssertionError(f"Twisted's access line read request.{name}")

    assert HTTPFactory.log(HTTPFactory.__new__(HTTPFactory), Request()) is None
