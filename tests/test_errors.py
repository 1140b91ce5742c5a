"""add_to_form: a refused rule's message lands on the form, under its field when the form has one."""

import pytest
from django import forms
from django.forms.forms import NON_FIELD_ERRORS

from civtech.errors import DomainError, add_to_form

MESSAGE = "Say why the engagement is not on track — “RAG” £1,200."


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def _bound_form() -> NoteForm:
    form = NoteForm({"note": "typed"})
    assert form.is_valid()
    return form


def test_field_the_form_has_gets_the_message():
    form = _bound_form()
    add_to_form(form, DomainError(MESSAGE, field="note"))
    assert form.errors == {"note": [MESSAGE]}
    assert form.non_field_errors() == []


@pytest.mark.parametrize("field", [None, "reason"], ids=["no field", "field the form lacks"])
def test_otherwise_the_message_goes_above_the_form(field):
    form = _bound_form()
    add_to_form(form, DomainError(MESSAGE, field=field))
    assert form.errors == {NON_FIELD_ERRORS: [MESSAGE]}
    assert form.non_field_errors() == [MESSAGE]


def test_what_was_typed_is_kept():
    form = _bound_form()
    add_to_form(form, DomainError(MESSAGE, field="note"))
    assert not form.is_valid()
    assert form["note"].value() == "typed"
