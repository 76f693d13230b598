"""A JSON parser that turns every malformed document into a 400 (CONTRACT: never a 5xx)."""

from __future__ import annotations

import math

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _check_text(value) -> None:
    """Lone UTF-16 surrogates ("\\ud800") parse, but cannot be stored or echoed as UTF-8;
    ``1e999`` parses as infinity, which no field stores (an ``OverflowError`` in an id)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise ParseError("The JSON document holds text that is not valid Unicode.") from exc
        elif isinstance(item, float) and not math.isfinite(item):
            raise ParseError("The JSON document holds a number out of range.")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            # json.load recurses once per level: "[[[[…]]]]" is bad input, not a crash.
            raise ParseError("The JSON document is nested too deeply.") from exc
        _check_text(data)
        return data
