from django import forms

from formbuilder.questions import FormSpec, Section

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
    """One section's questions. Never required and never checked here: drafts keep whatever was typed, and the form's
    rules (formbuilder.questions) say what must change before submission."""

    def __init__(self, *args, spec: FormSpec, section: Section, attrs: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.section = section
        for question in section.questions:
            self.fields[question.key] = question.form_field(
                attrs=(attrs or {}).get(question.key), condition=spec.condition_text(question)
            )

    def answers(self) -> dict:
        """What was typed, by question key: choices as sent, text exactly as typed."""
        return {
            key: self.cleaned_data[key] for key, field in self.fields.items() if not isinstance(field, forms.FileField)
        }

    def uploads(self) -> dict:
        """The files chosen for the section's file questions, by question key."""
        return {
            key: self.cleaned_data[key]
            for key, field in self.fields.items()
            if isinstance(field, forms.FileField) and self.cleaned_data.get(key)
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A {KINDS} file, 20 MB or smaller.",
        error_messages={"required": "Select a file to upload.", "empty": "The selected file is empty."},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.pptx"}),
    )


class DeclarationsForm(forms.Form):
    def __init__(self, *args, spec: FormSpec, **kwargs):
        super().__init__(*args, **kwargs)
        for declaration in spec.declarations:
            self.fields[declaration.key] = forms.BooleanField(
                label=declaration.label,
                required=True,
                error_messages={"required": f"Confirm: {declaration.label}"},
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

    def rows(self, answers_shown: dict[str, tuple[str, str]] | None = None) -> list[dict]:
        """Each criterion with its two fields and the answers it judges (label, text), as the assessor reads them."""
        answers_shown = answers_shown or {}
        return [
            {
                "criterion": c,
                "score": self[f"score_{c.pk}"],
                "comment": self[f"comment_{c.pk}"],
                "answers": [answers_shown[key] for key in c.question_keys if key in answers_shown],
            }
            for c in self.criteria
        ]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"]) for c in self.criteria}
