"""Forms for the company's returns and the sponsor's benefits. Every field is `required=False` and the pages
render them with `no_optional`: the services decide what is needed (by kind, for benefits) and say so.

Figures are text fields on purpose: the services check them (one set of messages for every caller) and a
form that fails keeps exactly what was typed, "£1,200" included.
"""

from django import forms

from civtech.errors import DomainError, add_to_form
from civtech.fields import RecordChoiceField

from .models import Benefit
from .services.returns import FiguresInvalid

NUMBER = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
YES_NO = [("yes", "Yes"), ("no", "No")]


class DomainErrorsMixin:
    def add_domain_error(self, error: DomainError) -> None:
        """Show a refused rule on the form: every problem at once when it is a FiguresInvalid."""
        self.full_clean()
        problems = [error]
        if isinstance(error, FiguresInvalid):
            problems = [DomainError(message, field=field) for field, message in error.errors.items()]
        for problem in problems:
            add_to_form(self, problem)


def _figure(label: str, hint: str = "", *, whole: bool = False, money: bool = False) -> forms.CharField:
    hints = [hint] if hint else []
    if money:
        hints.append("In pounds. Enter 0 if none.")
    elif whole:
        hints.append("A whole number. Enter 0 if none.")
    attrs = {**NUMBER, "inputmode": "numeric" if whole else "decimal"}
    return forms.CharField(label=label, required=False, help_text=" ".join(hints), widget=forms.TextInput(attrs=attrs))


class ReturnForm(DomainErrorsMixin, forms.Form):
    headcount = _figure("Headcount", "Everyone employed on the last day of the period.", whole=True)
    fte = _figure("Full-time equivalent staff", "For example, two half-time staff are 1.0. No more than headcount.")
    jobs_created = _figure("Jobs created because of the programme", "In this period.", whole=True)
    jobs_safeguarded = _figure("Jobs safeguarded because of the programme", "Jobs that would otherwise have gone.",
                               whole=True)  # fmt: skip
    turnover = _figure("Turnover in the period", money=True)
    investment_equity = _figure("Equity investment raised", "Shares sold to investors.", money=True)
    investment_grant = _figure("Grant funding raised", "Do not include public contracts.", money=True)
    investment_debt = _figure("Debt finance raised", "Loans and similar.", money=True)
    contracts_public = _figure("Public sector contracts won", "Their total value.", money=True)
    contracts_private = _figure("Private sector contracts won", "Their total value.", money=True)
    exports = _figure("Export sales", "Sales outside the UK.", money=True)
    still_trading = forms.ChoiceField(
        label="Is the company still trading?", choices=YES_NO, widget=forms.RadioSelect, required=False
    )


class CorrectionForm(ReturnForm):
    reason = forms.CharField(
        label="Why are these figures changing?",
        help_text="For example, the accounts were finalised after the return was submitted.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


def _text(label: str, hint: str = "", *, attrs: dict | None = None, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs=attrs or {})
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget)


class BenefitForm(DomainErrorsMixin, forms.Form):
    challenge = RecordChoiceField(
        queryset=None, label="Which challenge's product brought this benefit?", required=False
    )
    kind = forms.ChoiceField(
        label="Kind of benefit", choices=Benefit.Kind.choices, widget=forms.RadioSelect, required=False
    )
    title = _text("Title", "A short name, like “Fewer missed appointments”.")
    description = _text("Description (optional)", rows=3)
    # Savings
    recurrence = forms.ChoiceField(
        label="Is the saving one-off or recurring?",
        choices=Benefit.Recurrence.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    amount = _text("Amount saved", "In pounds: the one-off amount, or the amount a year.", attrs=NUMBER)
    years = _text("Years the saving recurs", "Recurring savings only, from 1 to 30.", attrs=NUMBER)
    period_start = _text("Period starts (optional)", "For example, 2026-04-01.")
    period_end = _text("Period ends (optional)", "For example, 2027-03-31.")
    # Non-financial measures
    metric = _text("What is measured", "For example, average wait for a decision.")
    unit = _text("Unit (optional)", "For example, days.")
    baseline = _text("Baseline", "Before the product.", attrs=NUMBER)
    target = _text("Target", attrs=NUMBER)
    actual = _text("Actual (optional)", "Leave blank until it is measured.", attrs=NUMBER)
    # Evidence
    evidence = _text("Evidence", "How the figure was measured, and where the evidence is.", rows=4)
    evidence_file = forms.FileField(
        label="Evidence file (optional)",
        help_text="A PDF, DOCX, ODT or PPTX file, 20 MB or smaller.",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.odt,.pptx"}),
    )

    SAVING_FIELDS = ("recurrence", "amount", "years", "period_start", "period_end")
    MEASURE_FIELDS = ("metric", "unit", "baseline", "target", "actual")

    def __init__(self, *args, challenges=None, **kwargs):
        super().__init__(*args, **kwargs)
        if challenges is None:
            del self.fields["challenge"]
        else:
            self.fields["challenge"].queryset = challenges
            self.fields["challenge"].empty_label = "Select a challenge"

    def section(self, names):
        return [self[name] for name in names]

    def saving_fields(self):
        return self.section(self.SAVING_FIELDS)

    def measure_fields(self):
        return self.section(self.MEASURE_FIELDS)


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What you checked. Required when the benefit is not verified: the sponsor reads it.",
    )  # fmt: skip
