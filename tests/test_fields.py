"""The kernel's form fields (civtech/fields.py): money read from what people type, ids that cannot crash a query."""

from decimal import Decimal

import pytest
from django import forms

from civtech.fields import MoneyField

MESSAGE = "Enter an amount in pounds, like 5000 or 5000.50."


class Money(forms.Form):
    amount = MoneyField(required=False)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("5000", Decimal("5000")),
        ("£5,000.50", Decimal("5000.50")),
        (" 1,250 ", Decimal("1250")),
        ("-250", Decimal("-250")),  # a variation may reduce a contract: whether that is allowed is the service's rule
        ("0.001", Decimal("0.001")),  # read, not judged: the service refuses part pence
        ("", None),
    ],
)
def test_money_is_read_as_people_type_it(typed, amount):
    form = Money({"amount": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount
    assert amount is None or isinstance(form.cleaned_data["amount"], Decimal)


@pytest.mark.parametrize("typed", ["five thousand", "£", "1.2.3", "NaN", "-Infinity", "sNaN", "1e", "x" * 21])
def test_what_is_not_an_amount_is_refused_with_the_services_words_and_kept(typed):
    form = Money({"amount": typed})
    assert not form.is_valid()
    assert form.errors["amount"] == [MESSAGE]
    assert form["amount"].value() == typed  # what was typed is shown again


def test_the_box_says_how_long_an_amount_may_be_and_asks_for_a_decimal_keypad():
    html = str(Money()["amount"])
    assert 'maxlength="20"' in html and 'inputmode="decimal"' in html


def test_an_empty_required_amount_is_asked_for():
    class Required(forms.Form):
        amount = MoneyField()

    form = Required({"amount": "  "})
    assert not form.is_valid() and form.errors["amount"] == ["This field is required."]
