from django import forms

from ..models import DECLARATIONS
from ..uploads import KINDS


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


class ConflictDeclarationForm(forms.Form):
    has_conflict = forms.ChoiceField(
        choices=[("no", "No, I have no conflict of interest"), ("yes", "Yes, I have a conflict of interest")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether you have a conflict of interest"},
    )
    details = forms.CharField(
        label="Describe the conflict",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For example, a financial interest, a personal relationship or recent work with the applicant.",
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_conflict"].label = f"Do you have a conflict of interest with {organisation}?"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("has_conflict") == "yes" and not cleaned.get("details", "").strip():
            self.add_error("details", "Describe the conflict of interest")
        return cleaned


class ScoreForm(forms.Form):
    """A score (0 to the criterion's maximum) and a comment for each criterion."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (weight {criterion.weight})",
                choices=[(str(n), str(n)) for n in range(criterion.scale_max + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                help_text=criterion.guidance,
                error_messages={"required": f"Give a score for “{criterion.name}”"},
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on “{criterion.name}”",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Explain your score for “{criterion.name}”"},
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria}
