from django import forms

from .models import DECLARATIONS
from .uploads import KINDS


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        label="Which organisation are you applying for?",
        empty_label=None,
        error_messages={"required": "Select the organisation you are applying for."},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SectionForm(forms.Form):
    """One answer. Never required and never limited here: drafts keep whatever was typed."""

    def __init__(self, *args, section: dict, attrs: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.key = section["key"]
        self.fields[self.key] = forms.CharField(
            label=section["label"],
            required=False,
            strip=False,
            help_text=f"{section['hint']} {section['limit']} words or fewer.",
            widget=forms.Textarea(attrs={"rows": 12, **(attrs or {})}),
        )

    @property
    def field(self):
        return self[self.key]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A {KINDS} file, 20 MB or smaller.",
        error_messages={"required": "Select a file to upload.", "empty": "The selected file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.pptx"}),
    )


class DeclarationsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, text in DECLARATIONS:
            self.fields[key] = forms.BooleanField(
                label=text, required=True, error_messages={"required": f"Confirm: {text}"}
            )
