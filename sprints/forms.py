from django import forms

from applications.uploads import KINDS
from challenges.models import Round
from organisations.models import Organisation

from .models import Engagement, Feedback, MessagePreference, Risk

FILE_HELP = f"A {KINDS} file, 20 MB or smaller."
ACCEPT = ".pdf,.docx,.odt,.pptx"


def _text(label: str, *, required: bool = True, rows: int = 4, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": f"Answer “{label}”"},
    )


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (YYYY-MM-DD) whatever the locale, or an edit form
    shows the field empty."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format=format)


class SprintForm(forms.Form):
    starts_on = forms.DateField(label="Start date", widget=DateInput, error_messages={"required": "Enter a start date"})
    ends_on = forms.DateField(label="End date", widget=DateInput, error_messages={"required": "Enter an end date"})
    goal = _text("Sprint goal", required=False, rows=3)


class UpdateForm(forms.Form):
    done = _text("What did you do in this sprint?")
    next_steps = _text("What will you do next?")
    blockers = _text("Anything blocking you?", required=False, rows=3)
    help_needed = _text("What help do you need from the sponsor?", required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["done"].error_messages["required"] = "Say what you did in this sprint"
        self.fields["next_steps"].error_messages["required"] = "Say what you will do next"


class DeliverableForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    description = _text("Description", rows=5, help_text="What it is, what it does and how to try it.")
    demo_url = forms.URLField(label="Demo URL", required=False, assume_scheme="https")
    repository_url = forms.URLField(label="Repository URL", required=False, assume_scheme="https")
    video_url = forms.URLField(label="Video URL", required=False, assume_scheme="https")
    notes = _text("Version notes", required=False, rows=3, help_text="What changed since the last version.")
    file = forms.FileField(
        label="Attach a file",
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    milestone = forms.ModelChoiceField(queryset=None, required=False, label="Milestone this delivers")

    def __init__(self, *args, milestones=None, **kwargs):
        super().__init__(*args, **kwargs)
        if milestones is None or not milestones.exists():
            del self.fields["milestone"]
        else:
            self.fields["milestone"].queryset = milestones


class FeedbackForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=Feedback.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept or request changes"},
    )
    comments = _text("Feedback for the team", rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comments"].error_messages["required"] = "Give the team your feedback"


class MessageForm(forms.Form):
    body = _text("Message", rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = "Write a message"


class PreferenceForm(forms.Form):
    frequency = forms.ChoiceField(
        label="How do you want to hear about new messages?",
        choices=MessagePreference.Frequency.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how you want to hear about new messages"},
    )


class MeetingForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    starts_at = forms.DateTimeField(
        label="Date and time",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        error_messages={"required": "Enter the date and time", "invalid": "Enter a real date and time"},
    )
    notes = _text("Notes", required=False, rows=5)


class MeetingNotesForm(forms.Form):
    notes = forms.CharField(
        label="Notes", required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 12}),
        help_text="What was discussed, decisions and actions. Everyone in the workspace can read them.",
    )  # fmt: skip


class EndForm(forms.Form):
    reason = _text(
        "Why is the engagement ending early?", rows=4,
        help_text="For example: the team withdrew, or the contract was ended. The team and sponsor can read this.",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Say why the engagement is ending"


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="Upload a document",
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": "Select a file to upload", "empty": "The selected file is empty"},
    )


class PitchForm(forms.Form):
    summary = _text("Pitch summary", rows=8, help_text="Your plan for the accelerator: what you would build and why.")
    deck = forms.FileField(
        label="Pitch deck",
        required=False,
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary"].error_messages["required"] = "Summarise your pitch"


class RiskForm(forms.Form):
    kind = forms.ChoiceField(label="Risk or issue", choices=Risk.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    severity = forms.ChoiceField(label="Severity", choices=Risk.Severity.choices)
    description = _text("Description", required=False, rows=3)
    mitigation = _text("Mitigation", required=False, rows=3)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="Milestone", max_length=200, error_messages={"required": "Enter a title"})
    due_on = forms.DateField(label="Due date", widget=DateInput, error_messages={"required": "Enter a due date"})
    tranche_amount = forms.DecimalField(
        label="Tranche (£, ex VAT)", max_digits=12, decimal_places=2, error_messages={"required": "Enter the tranche"}
    )


class RagForm(forms.Form):
    rag = forms.ChoiceField(label="RAG status", choices=Engagement.Rag.choices, widget=forms.RadioSelect)
    note = _text("Why?", required=False, rows=3, help_text="Needed when not green.")


class LessonForm(forms.Form):
    what_worked = _text("What worked?", rows=4)
    what_did_not = _text("What did not work?", rows=4)
    differently = _text("What would you do differently?", rows=4)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Engagement.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the outcome"},
    )
    value = forms.DecimalField(
        label="Contract or agreement value (£, ex VAT)", required=False, max_digits=14, decimal_places=2, min_value=0
    )
    reason = _text("Reason", required=False, rows=3, help_text="Needed when the product was not progressed.")


class PortfolioFilterForm(forms.Form):
    """Narrow the portfolio (GET, every field optional); the export takes the same filters."""

    round = forms.ModelChoiceField(queryset=Round.objects.all(), required=False, empty_label="All rounds")
    stage = forms.ChoiceField(choices=[("", "All stages"), *Engagement.Stage.choices], required=False)
    rag = forms.ChoiceField(label="RAG", choices=[("", "Any RAG status"), *Engagement.Rag.choices], required=False)
    sponsor = forms.ModelChoiceField(
        queryset=Organisation.objects.public_bodies(), required=False, empty_label="All sponsors"
    )

    def filter(self, engagements):
        if not self.is_valid():
            return engagements
        data = self.cleaned_data
        if data["round"]:
            engagements = engagements.filter(application__challenge__round=data["round"])
        if data["stage"]:
            engagements = engagements.filter(stage=data["stage"])
        if data["rag"]:
            engagements = engagements.filter(rag=data["rag"])
        if data["sponsor"]:
            engagements = engagements.filter(application__challenge__sponsor=data["sponsor"])
        return engagements
