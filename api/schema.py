"""OpenAPI schema post-processing: make the schema say exactly what responses hold."""

from __future__ import annotations

FORMATS_THAT_MAY_BE_BLANK = {"uri", "email"}


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def allow_blank_formats(result, generator, request, public):
    """An optional website or email is stored as "" when absent; ``format: uri`` would
    declare "" invalid. Express "a URI or empty" as a pattern-free string instead."""
    for node in _walk(result.get("components", {}).get("schemas", {})):
        if node.get("type") == "string" and node.get("format") in FORMATS_THAT_MAY_BE_BLANK:
            kind = node.pop("format")
            node.setdefault(
                "description",
                f"A {'URL' if kind == 'uri' else 'email address'} or an empty string.",
            )
    return result
