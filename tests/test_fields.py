"""The kernel's form fields (civtech/fields.py): money read from what people type, ids that cannot crash a query."""

from decimal import Decimal

import pytest
from django import forms

from civtech.fields import MoneyField, NumberField

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


@pytest.mark.parametrize(
    "typed",
    ["five thousand", "£", "1.2.3", "NaN", "-Infinity", "sNaN", "1e", "x" * 21, "1e41", "1e999999", "1e-41"],
)
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


def test_a_number_of_41_digits_is_refused_40_is_read():
    """int() or abs() of a number with a vast exponent can take minutes or overflow: such a number is not read."""
    field = NumberField(required=False)
    assert field.clean("1e40") == Decimal("1e40") and field.clean("1e-40") == Decimal("1e-40")
    assert field.clean("0e99") == 0  # zero, however written
    for typed in ("1e41", "-1e41", "1e-41", "9e999999"):
        with pytest.raises(forms.ValidationError):
            field.clean(typed)


def test_where_a_comma_is_a_decimal_comma_it_is_refused_not_dropped():
    percentage = NumberField(required=False, ignore="%", thousands=False)
    assert percentage.clean("72.5%") == Decimal("72.5")
    with pytest.raises(forms.ValidationError):
        percentage.clean("7,5")  # would otherwise read as 75
    assert NumberField(required=False).clean("7,500") == Decimal(7500)
