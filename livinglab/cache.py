"""A Redis cache that degrades to "always a miss" while Redis is unreachable.

The cache holds nothing that cannot be rebuilt: throttle counters and the board snapshot
(the log in PostgreSQL is the truth). Django's ``RedisCache`` raises on a refused
connection, which would turn every throttled request into a 500 during a Redis outage;
this one logs the failure (at most once every ``LOG_EVERY`` seconds) and answers as an
empty cache: reads miss, writes are dropped, throttles let requests through.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

LOG_EVERY = 10.0
_last_log = 0.0


def _failed(operation: str, exc: Exception) -> None:
    global _last_log
    now = time.monotonic()
    if now - _last_log >= LOG_EVERY:
        _last_log = now
        logger.error("Redis cache unavailable (%s: %s); serving without cache", operation, exc)


def _tolerant(name: str, fallback):
    parent = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return parent(self, *args, **kwargs)
        except RedisError as exc:
            _failed(name, exc)
            return fallback(*args, **kwargs) if callable(fallback) else fallback

    method.__name__ = name
    return method


def _default(key, default=None, *args, **kwargs):
    return default


def _no_such_key(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found")  # what Django says for a missing key


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)
    set = _tolerant("set", None)
    add = _tolerant("add", False)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", lambda keys, *a, **k: {})
    set_many = _tolerant("set_many", lambda data, *a, **k: list(data))
    delete_many = _tolerant("delete_many", None)
    has_key = _tolerant("has_key", False)
    incr = _tolerant("incr", _no_such_key)
    clear = _tolerant("clear", False)
