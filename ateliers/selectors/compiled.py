"""Hot reads whose SQL the ORM writes once per process, not once per call.

A connect storm says ``hello`` 1,000 times and 100 anonymous readers check the board
hundreds of times a second: for a small query, building and compiling it (annotations,
subqueries, joins) cost three times what running it did. ``compiled(name, keys, build)``
asks the ORM for the SQL of ``build(stand_ins)`` once per database vendor and number of
keys (rounded up to a power of two, the keys padded with the first), finds where each
key goes among its parameters, and then only fills them in. The SQL stays the ORM's.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from django.db import connection
from django.db.models import QuerySet

SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)
MAX_KEYS = SIZES[-1]
_FIRST_MARK = 2**40  # stand-ins for the keys, far from any real primary key

_compiled: dict[tuple[str, str, int], tuple[str, tuple]] = {}


def compiled(name: str, keys: list[int], build: Callable[[list[int]], QuerySet]):
    """``(sql, params)`` of ``build(keys)`` for at most ``MAX_KEYS`` keys: the keys are
    the query's only parameters that vary (``build`` must use them once each, as
    ``pk__in=keys`` does)."""
    if not 0 < len(keys) <= MAX_KEYS:
        raise ValueError(f"{len(keys)} keys")
    size = SIZES[bisect.bisect_left(SIZES, len(keys))]
    keys = list(keys) + [keys[0]] * (size - len(keys))
    cache_key = (connection.vendor, name, size)
    found = _compiled.get(cache_key)
    if found is None:
        marks = list(range(_FIRST_MARK, _FIRST_MARK + size))
        sql, params = build(marks).query.sql_with_params()
        # where each key goes (the other parameters are constants, such as a
        # subquery's LIMIT on some databases)
        slots = tuple(marks.index(p) if p in marks else (p,) for p in params)
        if sorted(s for s in slots if isinstance(s, int)) != list(range(size)):
            raise RuntimeError(f"unexpected parameters for {name}: {params!r}")
        found = _compiled[cache_key] = sql, slots
    sql, slots = found
    return sql, [keys[s] if isinstance(s, int) else s[0] for s in slots]


def chunks(keys: list[int]):
    """``keys`` in runs of at most ``MAX_KEYS``."""
    for start in range(0, len(keys), MAX_KEYS):
        yield keys[start : start + MAX_KEYS]
