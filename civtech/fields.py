"""Form fields every app may use (kernel: no app imports)."""

from decimal import Decimal, InvalidOperation

from django import forms


class RecordChoiceField(forms.ModelChoiceField):
    """A posted id too large for the database is an invalid choice (SQLite raises OverflowError, PostgreSQL finds
    nothing), not a crash."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None


class NumberField(forms.Field):
    """A number as people type it ("1,200", "72.5%", "£5,000") cleaned to a `Decimal`, or None when left empty:
    thousands separators (unless `thousands` is False: in a percentage "7,5" is more likely a decimal comma than a
    thousands one) and the characters in `ignore` are dropped. A number of more than 40 digits either side of the
    point is not one anyone means, and is refused: arithmetic on it (int(), abs()) could take minutes or overflow.

    Only the reading is done here; whether a number is allowed (its range, its places) is the service's rule, so it
    holds for every caller. Text that is not a number (or is longer than any number) is refused with the words the
    services use, and the field shows again what was typed."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter a number, like 12 or 12.5."}
    max_length = 20
    ignore = ""
    thousands = True
    MAGNITUDE = 40  # digits either side of the point

    def __init__(self, *, ignore: str | None = None, max_length: int | None = None, thousands: bool = True, **kwargs):
        if ignore is not None:
            self.ignore = ignore
        self.thousands = thousands
        if max_length is not None:
            self.max_length = max_length
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length), "inputmode": "decimal"}

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if len(text) > self.max_length:
                raise InvalidOperation
            for character in ("," if self.thousands else "") + self.ignore:
                text = text.replace(character, "")
            amount = Decimal(text.strip())
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite() or (amount and abs(amount.adjusted()) > self.MAGNITUDE):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount


class MoneyField(NumberField):
    """Pounds as people type them ("£5,000", "5000.50", "-250"), read as a `NumberField` reads them."""

    default_error_messages = {"invalid": "Enter an amount in pounds, like 5000 or 5000.50."}
    ignore = "£"
