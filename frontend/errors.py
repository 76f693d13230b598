"""A service's refusal, shown on a page: the one mapping of every view.

Services refuse with Django's ``ValidationError`` (a value rule, often per field) or a
``DomainError`` (the state or the caller's rights: already claimed, board locked, not a
member). A page shows them either on the form that was posted, next to the field they name
(``form_errors``, or ``save_posted`` for the whole post-validate-save round), or as a
message above the page after a redirect (``error_text``; ``act`` for a one-button action).

(Not to be confused with ``frontend.views.errors``: the 400/403/404/500 pages.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from ateliers.exceptions import DomainError

T = TypeVar("T")

#: What a view catches around a service call: ``except SERVICE_ERRORS as exc``.
SERVICE_ERRORS = (ValidationError, DomainError)


def error_messages(exc: Exception) -> list[str]:
    """Every message of the refusal, in order, for people."""
    if isinstance(exc, DomainError):
        return [exc.message]
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


def error_text(exc: Exception, *, sep: str = " ") -> str:
    """The refusal as one line, for ``messages.error``."""
    return sep.join(error_messages(exc))


def errors_by_field(exc: Exception) -> dict[str | None, list[str]]:
    """The messages by the field they name; ``None`` (or ``"__all__"``) for the rest."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return exc.message_dict
    return {None: error_messages(exc)}


def form_errors(
    form: forms.BaseForm,
    exc: Exception,
    *,
    rename: Mapping[str, str] | None = None,
    domain_field: str | None = None,
) -> None:
    """Show a service's refusal on ``form``: next to the field it names, or above the form.

    ``rename`` maps a service's field to the form's (the service's ``choices`` is the
    form's ``choices_fr``); a ``DomainError`` goes above the form, or next to
    ``domain_field`` when one field is the obvious cause (a username already taken).
    """
    if isinstance(exc, DomainError):
        form.add_error(domain_field, exc.message)
        return
    for field, errors in errors_by_field(exc).items():
        name = (rename or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)


@dataclass(frozen=True)
class Posted(Generic[T]):
    """What ``save_posted`` did: true once saved, with what the service returned."""

    saved: bool
    value: T | None = None

    def __bool__(self) -> bool:
        return self.saved


def save_posted(
    request,
    form: forms.BaseForm,
    save: Callable[[], T],
    *,
    catch: type[Exception] | tuple[type[Exception], ...] = SERVICE_ERRORS,
    **mapping,
) -> Posted[T]:
    """A page's usual post: when ``form`` was posted and is valid, ``save()`` (a service
    call reading ``form.cleaned_data``); a refusal lands on the form (``form_errors``, with
    ``rename``/``domain_field`` from ``mapping``). True once saved (``.value``: what the
    service returned); false when the page is to be drawn again with the form."""
    if request.method != "POST" or not form.is_valid():
        return Posted(False)
    try:
        return Posted(True, save())
    except catch as exc:
        form_errors(form, exc, **mapping)
        return Posted(False)


def act(
    request,
    call: Callable[[], object],
    *,
    done: str,
    catch: type[Exception] | tuple[type[Exception], ...] = SERVICE_ERRORS,
) -> bool:
    """A one-button action (a post, then a redirect): ``call()`` the service; a refusal
    becomes an error message above the next page, else ``done`` a success message. True
    when it went through."""
    try:
        call()
    except catch as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, done)
    return True
