"""OpenAPI schema post-processing: make the schema say exactly what responses hold."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension

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


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error: `detail` (a sentence) and often `code` (stable, for "
    "programs). A validation error (400) maps each field to its list of messages instead.",
    "properties": {
        "detail": {"type": "string"},
    },
    "additionalProperties": True,
}

ERROR_RESPONSES = {
    "400": "Invalid input: malformed JSON, a field or query parameter out of range "
    "(`{field: [messages]}` or `detail`).",
    "401": "No credentials, or a wrong/expired token.",
    "403": "Authenticated, but this role may not do this.",
    "404": "No such object, or one the caller may not see (other organisations' data).",
    "405": "Method not allowed here.",
    "409": "The state forbids it (already claimed, board locked, event closed…); `code` says why.",
    "415": "Unsupported body media type (send `application/json`).",
    "429": "Throttled; retry after `Retry-After` seconds.",
}
BODY_ONLY = {"415"}
WRITE_ONLY = {"409"}


def document_error_responses(result, generator, request, public):
    """Every operation documents the errors the exception handler can answer with (one
    shape, ``#/components/schemas/Error``), so clients and schemathesis know them."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            has_body = "requestBody" in operation or method in ("post", "put", "patch")
            writes = method not in ("get", "head", "options")
            for code, description in ERROR_RESPONSES.items():
                if code in BODY_ONLY and not has_body:
                    continue
                if code in WRITE_ONLY and not writes:
                    continue
                operation["responses"].setdefault(
                    code,
                    {"description": description, "content": {"application/json": {"schema": ref}}},
                )
    return result


class BearerParticipantScheme(OpenApiAuthenticationExtension):
    """Board guests' signed tokens (``POST /api/join/``) in the schema's security schemes."""

    target_class = "api.authentication.BearerParticipantAuthentication"
    name = "guestBearer"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A board guest's token from `POST /api/join/` (one event only).",
        }
