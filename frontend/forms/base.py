"""Widgets and fields shared by the forms of several areas."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date-and-time picker (``<input type=datetime-local>``)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def datetime_field(label) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )


def url_field(label) -> forms.URLField:
    return forms.URLField(label=label, max_length=300, required=False, assume_scheme="https")


class IdsField(forms.ModelMultipleChoiceField):
    """Ids out of the database's integer range are invalid choices (SQLite would raise)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if text.isdigit() and not 0 < int(text) < 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)
