from django import forms

from .models import Sector
from .services import QUESTION_MAX_CHARS

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.com",
}


class QuestionForm(forms.Form):
    question = forms.CharField(
        label="Your question",
        max_length=QUESTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=(
            f"Up to {QUESTION_MAX_CHARS:,} characters. Do not include your name or your organisation's name: "
            "the question and its answer are published for everyone to read."
        ),
        error_messages={
            "required": "Enter your question",
            "max_length": f"Your question must be {QUESTION_MAX_CHARS:,} characters or fewer (it has %(show_value)d)",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The browser would silently cut a pasted question at the limit; we say how long it is instead.
        self.fields["question"].widget.attrs.pop("maxlength", None)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Answer",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Published on the challenge page with the question, and emailed to everyone following it.",
        error_messages={"required": "Enter the answer"},
    )


class AlertForm(forms.Form):
    """Sectors and keywords to follow. A signed-in person's alerts always go to their account's address."""

    email = forms.EmailField(label="Email address", error_messages=EMAIL_ERRORS)
    sectors = forms.ModelMultipleChoiceField(
        label="Sectors",
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    keywords = forms.CharField(
        label="Keywords",
        max_length=200,
        required=False,
        help_text="Separate words with commas, for example: housing, net zero, data. "
        "We look for them in the title and summary of each new challenge.",
        error_messages={"max_length": "Keywords must be 200 characters or fewer (they have %(show_value)d)"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        email = self.fields["email"]
        if self.user is not None:
            if self.is_bound:
                self.data = self.data.copy()
                self.data["email"] = self.user.email
            # Fixed, not disabled: a read-only field can still be focused and read by everyone.
            email.initial = self.user.email
            email.required = False
            email.widget.attrs.update(readonly=True)
            email.help_text = "Alerts go to your account's email address. To use another address, sign out first."
        else:
            email.widget.attrs.update(autocomplete="email", spellcheck="false")
            email.help_text = "We will email you a link to confirm it is yours before sending any alerts."
        self.fields["keywords"].widget.attrs.pop("maxlength", None)  # say it is too long rather than cut it
        if not self.fields["sectors"].queryset.exists():
            del self.fields["sectors"]

    def clean_email(self):
        # Whatever was posted, a signed-in person's alerts go to their own address.
        return self.user.email if self.user is not None else self.cleaned_data["email"]

    def clean_keywords(self):
        return ", ".join(word.strip() for word in self.cleaned_data["keywords"].split(",") if word.strip())

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("sectors") and not data.get("keywords"):
            field = "sectors" if "sectors" in self.fields else "keywords"
            self.add_error(field, "Select at least one sector or enter a keyword")
        return data
