"""Form fields every app may use (kernel: no app imports)."""

from django import forms


class RecordChoiceField(forms.ModelChoiceField):
    """A posted id too large for the database is an invalid choice (SQLite raises OverflowError, PostgreSQL finds
    nothing), not a crash."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from None
