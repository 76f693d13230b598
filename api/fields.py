"""Serializer helpers for bilingual content fields."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ateliers.i18n import CONTENT_LANGUAGES, localized


@extend_schema_field(OpenApiTypes.STR)
class LocalizedField(serializers.Field):
    """Read-only: the content in the request's language, else the other one."""

    def __init__(self, name: str, **kwargs):
        self.content_name = name
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj):
        return localized(obj, self.content_name)


class BilingualSerializerMixin:
    """Declares ``<name>_fr``/``<name>_en`` writable and ``<name>`` read-only, resolved.

    Subclasses list the bilingual names in ``Meta.bilingual`` and, in
    ``Meta.bilingual_required``, those of which at least one language must be given.
    """

    def get_fields(self):
        fields = super().get_fields()
        for name in getattr(self.Meta, "bilingual", ()):
            fields[name] = LocalizedField(name)
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        errors = {}
        for name in getattr(self.Meta, "bilingual_required", ()):
            keys = [f"{name}_{code}" for code in CONTENT_LANGUAGES]
            if self.instance is not None and not any(k in attrs for k in keys):
                continue
            values = [
                attrs.get(k, getattr(self.instance, k, "") if self.instance else "") or ""
                for k in keys
            ]
            if not any(v.strip() for v in values):
                # The model's message (``require_one_language``), on the first field only.
                errors[keys[0]] = [gettext("Give this in French or in English (at least one).")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class LanguageListSerializerField(serializers.ListField):
    def __init__(self, **kwargs):
        from ateliers.choices import Language

        kwargs.setdefault("child", serializers.ChoiceField(choices=Language.choices))
        kwargs.setdefault("max_length", len(Language.values))
        super().__init__(**kwargs)


class EventDateTimeField(serializers.DateTimeField):
    """A date-time within years 2000–2100: no event happens in year 124 (and such dates
    would come back with a pre-1900 local-mean-time offset that is not RFC 3339)."""

    default_error_messages = {"out_of_range": _("Give a date between the years 2000 and 2100.")}

    def to_internal_value(self, value):
        parsed = super().to_internal_value(value)
        if not 2000 <= parsed.year <= 2100:
            self.fail("out_of_range")
        return parsed


class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key: a JSON integer (or a string of digits, from a form) in the range of
    a 64-bit key. ``1e999`` (infinity: an ``OverflowError`` deep in the lookup, a 500),
    ``2.7`` (silently truncated to 2 by ``int()``) and ``true`` are refused with a 400."""

    MAX_ID = 2**63 - 1

    def to_internal_value(self, data):
        if isinstance(data, str) and data.strip().isascii() and data.strip().isdigit():
            data = int(data.strip())
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 1 <= data <= self.MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


class IdNumberField(serializers.IntegerField):
    """An id taken as a number (the service looks it up): an integer from 1 to 2⁶³−1;
    ``2.0``, ``1e999`` and ``true`` are refused rather than turned into some id."""

    default_error_messages = {"invalid": _("A valid integer is required.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", IdField.MAX_ID)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool | float):
            self.fail("invalid")
        return super().to_internal_value(data)
