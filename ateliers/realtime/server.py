"""Two fixes to the WebSocket server's own costs, applied once by ``livinglab/asgi.py``
inside daphne (profiled with py-spy, docs/performance.md):

* autobahn (daphne's WebSocket protocol) pretty-prints its whole configuration for a
  debug log line on every new connection, whether or not debug logging is on: 10 % of
  daphne's main thread during a connect storm of 1,000 guests. The text is now built
  only if that line is ever written.
* Twisted buffers every write and registers the socket with epoll, then sends on the
  next loop turn and unregisters it: two ``epoll_ctl`` and a loop turn per frame, a
  third of daphne's time in a broadcast to 1,000 sockets. A plain TCP connection with
  nothing buffered now tries ``send()`` at once (as asyncio's transports do) and buffers
  only what the kernel did not take; order is kept (anything already buffered goes
  first), and errors take Twisted's own path.
* The GIL's switch interval goes from 5 ms to 1 ms: the board's database thread
  (hellos, writes) gives the GIL up at every query and Redis call, and got it back only
  when the busy event loop thread was made to let go, up to 5 ms later, three or four
  times per hello during a connect storm.
"""

from __future__ import annotations

import pprint
import sys

SWITCH_INTERVAL_SECONDS = 0.001


class _LazyPformat:
    """``pprint.pformat(value)``, computed when formatted (never, unless debug logs)."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value

    def __str__(self) -> str:
        return pprint.pformat(self.value)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _pformat(value, *args, **kwargs):
    """autobahn's ``pformat``: lazy for the configuration list its connection debug line
    prints, a real string everywhere else (its ``__str__`` methods return it)."""
    if isinstance(value, list) and not args and not kwargs:
        return _LazyPformat(value)
    return pprint.pformat(value, *args, **kwargs)


def tune_websocket_server() -> None:
    try:
        from autobahn.websocket import protocol
    except ImportError:  # pragma: no cover - daphne brings autobahn
        return
    if getattr(protocol, "pformat", None) is pprint.pformat:
        protocol.pformat = _pformat
    tune_tcp_writes()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def _write_through(original):
    def write(self, data) -> None:
        if (
            type(data) is bytes
            and data
            and not self.TLS
            and self.connected
            and not self._writeDisconnected
            and not self.dataBuffer
            and not self._tempDataBuffer
        ):
            try:
                sent = self.socket.send(data)
            except OSError:  # would block, or the peer is gone: Twisted's path handles it
                sent = 0
            if sent == len(data):
                return
            data = data[sent:]
        original(self, data)

    write.write_through = True
    return write


def tune_tcp_writes() -> None:
    from twisted.internet import tcp

    if not getattr(tcp.Connection.write, "write_through", False):
        tcp.Connection.write = _write_through(tcp.Connection.write)
