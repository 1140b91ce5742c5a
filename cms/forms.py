from django import forms


class RegistrationForm(forms.Form):
    """A place at a Demo Day. Every refusal comes back on this form, so nothing typed is lost."""

    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter your name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We send your confirmation here.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        help_text="Where you work, or “none”.",
        error_messages={"required": "Enter your organisation, or “none”"},
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    accessibility_needs = forms.CharField(
        label="Accessibility needs", required=False, max_length=2000,
        help_text="Anything we should arrange so you can take part, such as step-free access or captions.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
