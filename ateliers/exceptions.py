"""Domain errors that every entry point (API, pages, WebSocket) maps to a clear answer."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: ``code`` is machine-readable, ``message`` is for people."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        if code:
            self.code = code


class Conflict(DomainError):
    """The state changed under the caller (already claimed, board locked, closed event)."""

    code = "conflict"
    status = 409


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404
