"""Model fields shared by the domain apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Language


class LanguageListField(models.CharField):
    """A list of language codes stored as ``",fr,en,"``.

    The delimiters make ``field__contains=",fr,"`` an exact membership test that works on
    SQLite and PostgreSQL alike (JSONField containment does not exist on SQLite). Use
    ``has_language(field, code)`` to build that filter.
    """

    description = "A list of language codes"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @staticmethod
    def _split(value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [code for code in value.split(",") if code]
        return list(value)

    def from_db_value(self, value, expression, connection):
        return self._split(value)

    def to_python(self, value):
        return self._split(value)

    def get_prep_value(self, value):
        if isinstance(value, str) and value.startswith(","):
            return value
        codes = self._split(value)
        return "," + ",".join(codes) + "," if codes else ""

    def value_to_string(self, obj):
        return ",".join(self.value_from_object(obj))

    def validate(self, value, model_instance):
        codes = self._split(value)
        if not codes and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")
        valid = set(Language.values)
        for code in codes:
            if code not in valid:
                raise ValidationError(
                    _("Unknown language code: %(code)s."), code="invalid", params={"code": code}
                )
        if len(set(codes)) != len(codes):
            raise ValidationError(_("A language is listed twice."), code="duplicate")

    def run_validators(self, value):
        # CharField's max-length validator would measure the list, not the stored text.
        return None

    def formfield(self, **kwargs):
        from django import forms

        return forms.MultipleChoiceField(
            choices=Language.choices,
            required=not self.blank,
            label=self.verbose_name.capitalize() if self.verbose_name else None,
            widget=forms.CheckboxSelectMultiple,
            **{k: v for k, v in kwargs.items() if k in {"help_text", "label"}},
        )


def has_language(field: str, code: str) -> dict:
    """A filter kwarg: rows whose language list ``field`` contains ``code``."""
    return {f"{field}__contains": f",{code},"}


def shares_language(a: list[str], b: list[str]) -> bool:
    return bool(set(a) & set(b))
