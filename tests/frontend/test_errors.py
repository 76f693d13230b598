"""The one mapping of a service's refusal onto a page (``frontend.errors``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ateliers.exceptions import Conflict
from frontend.errors import error_text, form_errors


class _Form(forms.Form):
    username = forms.CharField()
    choices_fr = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({"username": "ana"})
    assert form.is_valid()
    return form


def test_field_errors_go_next_to_their_field_and_the_rest_above_the_form():
    form = _bound()
    form_errors(form, ValidationError({"username": "Taken.", "nope": "Odd.", "__all__": "All."}))
    assert form.errors["username"] == ["Taken."]
    assert form.non_field_errors() == ["Odd.", "All."]
    assert "username" not in form.cleaned_data


def test_a_service_field_is_renamed_to_the_form_field():
    form = _bound()
    form_errors(
        form, ValidationError({"choices": "Two to twelve."}), rename={"choices": "choices_fr"}
    )
    assert form.errors == {"choices_fr": ["Two to twelve."]}


def test_a_refusal_without_field_goes_above_the_form_or_to_the_named_field():
    form = _bound()
    form_errors(form, ValidationError(["One.", "Two."]))
    form_errors(form, Conflict("Already claimed."))
    assert form.non_field_errors() == ["One.", "Two.", "Already claimed."]
    form = _bound()
    form_errors(form, Conflict("This username is taken."), domain_field="username")
    assert form.errors == {"username": ["This username is taken."]}


def test_error_text_is_one_line_for_a_message():
    assert error_text(Conflict("Closed.")) == "Closed."
    assert error_text(ValidationError({"a": ["One."], "b": ["Two."]})) == "One. Two."
    assert error_text(ValidationError(["One.", "Two."]), sep="; ") == "One.; Two."
    assert error_text(ValidationError("%(n)s left.", params={"n": 3})) == "3 left."
