"""The one text cleaner: what users write is stored without control characters.

REST refused NUL (DRF's ``CharField``), but the WebSocket and the HTML board form did not,
and NUL and other control bytes reached the pages, the projector, the CSV and the PDF
(PostgreSQL refuses NUL outright: a 500 there). Every entry point — REST, WebSocket, HTML
forms, the admin, management commands — writes through the models of this project, so:

- ``clean_text`` is the rule: NUL is refused (a 400 / an ``error`` frame, never stored);
  a lone UTF-16 surrogate is refused too; ``\\r\\n`` and ``\\r`` become ``\\n``; the other
  C0 controls, DEL and the C1 controls are dropped; tab and newline stay in long texts
  (``TextField``) and become spaces in one-line ones (``CharField``: names, titles).
- the services call it where they check a text themselves (the board's ideas, comments
  and display names, also written with ``QuerySet.update``), and ``clean_model_text``
  runs it on every ``CharField``/``TextField`` of every model of the project before each
  save (a ``pre_save`` receiver, ``AteliersConfig.ready``): no service, form or command
  can forget it.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

# C0 controls but tab (\x09), newline (\x0a) and carriage return (\x0d, normalised first);
# DEL; C1 controls (U+0080–U+009F, which no keyboard types and some terminals obey).
_DROPPED = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?")
_ONE_LINE = re.compile("[\t\n]")
PROJECT_APPS = frozenset({"ateliers", "projets"})


def clean_text(value: str, *, field: str = "text", multiline: bool = True) -> str:
    """``value`` without control characters; ``ValidationError`` on NUL or bad Unicode."""
    if "\x00" in value:
        raise ValidationError({field: _("Remove the NUL character (\\0): it cannot be stored.")})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError({field: _("This text is not valid Unicode.")}) from exc
    value = _DROPPED.sub("", _LINE_BREAKS.sub("\n", value))
    if not multiline:
        value = _ONE_LINE.sub(" ", value)
    return value


def clean_model_text(sender, instance, raw: bool = False, **kwargs) -> None:
    """``pre_save``: every text field of a project model goes through ``clean_text``."""
    if raw or sender._meta.app_label not in PROJECT_APPS:
        return  # fixtures load as they are; Django's own models are not user text
    for field in sender._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, str) and value:
            cleaned = clean_text(
                value, field=field.name, multiline=isinstance(field, models.TextField)
            )
            if cleaned != value:
                setattr(instance, field.attname, cleaned)
