"""Fixes to the WebSocket server's own costs, applied once by ``livinglab/asgi.py``
inside daphne (profiled with py-spy, docs/performance.md):

* autobahn (daphne's WebSocket protocol) pretty-prints its whole configuration for a
  debug log line on every new connection, whether or not debug logging is on: 10 % of
  daphne's main thread during a connect storm of 1,000 guests; and it colours the
  arguments of a debug line on every chunk received and every frame sent. The text is
  now built only if such a line is ever written.
* Twisted buffers every write and registers the socket with epoll, then sends on the
  next loop turn and unregisters it: two ``epoll_ctl`` and a loop turn per frame, a
  third of daphne's time in a broadcast to 1,000 sockets. A plain TCP connection with
  nothing buffered now tries ``send()`` at once (as asyncio's transports do) and buffers
  only what the kernel did not take; order is kept (anything already buffered goes
  first), and errors take Twisted's own path.
* The garbage collector: start-up objects frozen, collections rarer
  (``tune_garbage_collector``).
* The GIL's switch interval goes from 5 ms to 1 ms: the board's database thread
  (hellos, writes) gives the GIL up at every query and Redis call, and got it back only
  when the busy event loop thread was made to let go, up to 5 ms later, three or four
  times per hello during a connect storm.
"""

from __future__ import annotations

import gc
import pprint
import sys

SWITCH_INTERVAL_SECONDS = 0.001
GC_THRESHOLDS = (20_000, 20, 100)


class _Lazy:
    """``function(value)``, computed when formatted (never, unless debug logs)."""

    __slots__ = ("function", "value")

    def __init__(self, function, value) -> None:
        self.function = function
        self.value = value

    def __str__(self) -> str:
        return str(self.function(self.value))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _pformat(value, *args, **kwargs):
    """autobahn's ``pformat``: lazy for the configuration list its connection debug line
    prints, a real string everywhere else (its ``__str__`` methods return it)."""
    if isinstance(value, list) and not args and not kwargs:
        return _Lazy(pprint.pformat, value)
    return pprint.pformat(value, *args, **kwargs)


def _lazy(function):
    def lazy(value):
        return _Lazy(function, value)

    lazy.lazy = True
    return lazy


def tune_websocket_server() -> None:
    try:
        from autobahn.twisted import websocket as twisted_websocket
        from autobahn.websocket import protocol
    except ImportError:  # pragma: no cover - daphne brings autobahn
        return
    if getattr(protocol, "pformat", None) is pprint.pformat:
        protocol.pformat = _pformat
    # autobahn colours the arguments of its debug lines (``hltype``, ``hlval``: a
    # qualified name and click's ANSI styling) before the logger knows the line is off,
    # on every chunk received and every frame sent: 10 % of daphne's CPU in a connect
    # storm, and as much per message in a broadcast. Now only for a line written.
    for module in (protocol, twisted_websocket):
        for name in ("hltype", "hlval"):
            function = getattr(module, name, None)
            if function is not None and not getattr(function, "lazy", False):
                setattr(module, name, _lazy(function))
    tune_tcp_writes()
    skip_twisted_access_log()
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    tune_garbage_collector()


def _no_access_line(self, request) -> None:
    """daphne writes its own access line for each request (``--access-log``)."""


def skip_twisted_access_log() -> None:
    """Twisted's HTTP factory formats a second, combined-format access line for every
    request and hands it to Twisted's log, which daphne sends nowhere (verbosity 1) or
    to the ``daphne.server`` logger beside daphne's own line (verbosity 2): 5 % of the
    event loop under 100 anonymous readers, for a line nobody reads."""
    try:
        from daphne.http_protocol import HTTPFactory
    except ImportError:  # pragma: no cover - outside daphne
        return
    HTTPFactory.log = _no_access_line


def tune_garbage_collector() -> None:
    """Everything loaded at start-up (Django, the URL conf, the catalogues, the warmed
    views) stays for the life of the process: ``gc.freeze()`` takes it out of every
    later collection. And the young generation is collected every 20,000 allocations
    instead of 700, the oldest a hundred times more rarely. With the defaults a connect
    storm of 1,000 guests spent 250–320 ms in the collector (15 % of daphne's CPU),
    most of it in full collections walking every socket's objects; now about 40 ms
    (``bench/board_fanout.py``; docs/performance.md). Cycles are still collected, in
    the young generations where almost all of them die."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


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
