"""What the impact pages hand the services: figures as people type them, read by the page's form fields.

Services take typed values (issue #19); these helpers let a test say what was typed, as the tests always have, and
pass the service what the page would. A value the form cannot read is refused the way the page refuses it: with the
field's message, as a FiguresInvalid, before any service runs."""

from django.core.exceptions import ValidationError

from impact.forms import BenefitForm, ReturnForm
from impact.services.returns import FiguresInvalid

NOT_READ = {"challenge", "evidence_file"}  # passed to the services apart, as the pages do


def read(form_class, typed_in: dict) -> dict:
    values, errors = {}, {}
    for key, value in typed_in.items():
        field = form_class.base_fields.get(key)
        if field is None or key in NOT_READ:
            values[key] = value
            continue
        try:
            values[key] = field.clean(value)
        except ValidationError as error:
            errors[key] = error.messages[0]
    if errors:
        raise FiguresInvalid(errors)
    return values


def read_figures(typed_in: dict) -> dict:
    return read(ReturnForm, typed_in)


def read_benefit(typed_in: dict) -> dict:
    return read(BenefitForm, typed_in)
