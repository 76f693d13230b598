"""Bilingual content fields: ``<name>_fr`` and ``<name>_en`` resolved to one language.

Content that matters (titles, descriptions) may be written in French, English or both;
readers get their language and fall back to the other one rather than an empty string.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CONTENT_LANGUAGES = ("fr", "en")


def current_language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return lang if lang in CONTENT_LANGUAGES else settings.LANGUAGE_CODE


def localized(obj: object, field: str, lang: str | None = None) -> str:
    """The value of ``field`` in ``lang`` (default: the active one), else the other."""
    lang = lang or current_language()
    order = [lang] + [code for code in CONTENT_LANGUAGES if code != lang]
    for code in order:
        value = getattr(obj, f"{field}_{code}", "") or ""
        if value:
            return value
    return ""


def require_one_language(obj: object, field: str) -> None:
    """Raise a ValidationError naming both fields when neither language is given."""
    if not any((getattr(obj, f"{field}_{code}", "") or "").strip() for code in CONTENT_LANGUAGES):
        raise ValidationError(
            {
                f"{field}_{code}": _("Give this in French or in English (at least one).")
                for code in CONTENT_LANGUAGES
            }
        )


class BilingualMixin:
    """Adds ``obj.tr("title")``; models declare the fields themselves."""

    def tr(self, field: str, lang: str | None = None) -> str:
        return localized(self, field, lang)


def translated(field: str) -> property:
    """``title = translated("title")`` on a model: ``obj.title`` is ``title_fr`` or
    ``title_en`` in the active language, else the other (read-only)."""

    def get(self) -> str:
        return localized(self, field)

    get.__name__ = field
    return property(get, doc=f"``{field}`` in the active language, else the other.")
