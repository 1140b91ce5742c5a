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


class MoneyField(forms.Field):
    """Pounds as people type them ("£5,000", "5000.50", "-250") cleaned to a `Decimal`, or None when left empty.

    Only the reading is done here; whether an amount is allowed (more than £0, whole pence, a limit) is the
    service's rule, so it holds for every caller. Text that is not an amount (or is longer than any amount) is
    refused with the words the services use, and the field shows again what was typed."""

    widget = forms.TextInput
    default_error_messages = {"invalid": "Enter an amount in pounds, like 5000 or 5000.50."}
    max_length = 20

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.max_length), "inputmode": "decimal"}

    def to_python(self, value):
        text = str(value or "").strip()
        if not text:
            return None
        try:
            if len(text) > self.max_length:
                raise InvalidOperation
            amount = Decimal(text.replace(",", "").replace("£", "").strip())
        except InvalidOperation:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not amount.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return amount
