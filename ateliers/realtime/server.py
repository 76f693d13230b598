"""Small fixes to the WebSocket server's own per-connection costs (applied once by
``livinglab/asgi.py``, inside daphne).

autobahn (daphne's WebSocket protocol) pretty-prints its whole configuration for a debug
log line on every new connection, whether or not debug logging is on: 10 % of daphne's
main thread during a connect storm of 1,000 guests. The text is now built only if that
line is ever written.
"""

from __future__ import annotations

import pprint


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
