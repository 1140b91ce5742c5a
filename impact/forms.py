"""Forms for the company's returns and the sponsor's benefits. Every field is `required=False` and the pages
render them with `no_optional`: the services decide what is needed (by kind, for benefits) and say so.

The forms read what people type into typed values ("£1,200" → Decimal("1200"), "2026-04-01" → a date, "yes" →
True), refusing what cannot be read at all; the services' rules then run on the typed values. `clean()` runs those
rules here too, so a page shows every problem at once, and a form that fails keeps exactly what was typed.
"""

from django import forms

from civtech.errors import DomainError, add_to_form
from civtech.fields import NumberField, RecordChoiceField

from .models import Assumptions, Benefit
from .models.returns import FIGURES
from .services.assumptions import FIELDS as ASSUMPTION_FIELDS
from .services.benefits import LABELS as BENEFIT_LABELS
from .services.benefits import NOT_A_DATE, NOT_A_NUMBER, SAVINGS, YEARS, clean_benefit
from .services.returns import FiguresInvalid, clean_correction, clean_figures, not_a_number

NUMBER = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
YES_NO = [("yes", "Yes"), ("no", "No")]
TRADING = "Select whether the company is still trading"


class DomainErrorsMixin:
    def add_domain_error(self, error: DomainError) -> None:
        """Show a refused rule on the form: every problem at once when it is a FiguresInvalid."""
        self.full_clean()
        problems = [error]
        if isinstance(error, FiguresInvalid):
            problems = [DomainError(message, field=field) for field, message in error.errors.items()]
        for problem in problems:
            add_to_form(self, problem)

    def add_rule_errors(self, check) -> None:
        """Run a service's rules on what was read (`check()` raises FiguresInvalid), adding each problem to a field
        that has none yet: a figure that could not be read is not also called missing."""
        try:
            check()
        except FiguresInvalid as invalid:
            for field, message in invalid.errors.items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, message)


def _figure(key: str, label: str, hint: str = "", *, whole: bool = False, money: bool = False) -> NumberField:
    hints = [hint] if hint else []
    if money:
        hints.append("In pounds. Enter 0 if none.")
    elif whole:
        hints.append("A whole number. Enter 0 if none.")
    attrs = {**NUMBER, "inputmode": "numeric" if whole else "decimal"}
    return NumberField(
        label=label,
        required=False,
        help_text=" ".join(hints),
        widget=forms.TextInput(attrs=attrs),
        ignore="£" if money else "",
        # Long enough to read any number the rules then call unrealistic, which says more than "not a number".
        max_length=40,
        error_messages={"invalid": not_a_number(key)},
    )


def _yes_no(value: str) -> bool:
    return value == "yes"


class ReturnForm(DomainErrorsMixin, forms.Form):
    headcount = _figure("headcount", "Headcount", "Everyone employed on the last day of the period.", whole=True)
    fte = _figure("fte", "Full-time equivalent staff",
                  "For example, two half-time staff are 1.0. No more than headcount.")  # fmt: skip
    jobs_created = _figure("jobs_created", "Jobs created because of the programme", "In this period.", whole=True)
    jobs_safeguarded = _figure("jobs_safeguarded", "Jobs safeguarded because of the programme",
                               "Jobs that would otherwise have gone.", whole=True)  # fmt: skip
    turnover = _figure("turnover", "Turnover in the period", money=True)
    investment_equity = _figure("investment_equity", "Equity investment raised", "Shares sold to investors.",
                                money=True)  # fmt: skip
    investment_grant = _figure("investment_grant", "Grant funding raised", "Do not include public contracts.",
                               money=True)  # fmt: skip
    investment_debt = _figure("investment_debt", "Debt finance raised", "Loans and similar.", money=True)
    contracts_public = _figure("contracts_public", "Public sector contracts won", "Their total value.", money=True)
    contracts_private = _figure("contracts_private", "Private sector contracts won", "Their total value.",
                                money=True)  # fmt: skip
    exports = _figure("exports", "Export sales", "Sales outside the UK.", money=True)
    still_trading = forms.TypedChoiceField(
        label="Is the company still trading?",
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": TRADING},
    )

    def figures(self) -> dict:
        """The figures as read, for the services (call after is_valid())."""
        return {key: self.cleaned_data.get(key) for key in FIGURES}

    def clean(self):
        cleaned = super().clean()
        self.add_rule_errors(lambda: clean_figures(self.figures()))
        return cleaned


class CorrectionForm(ReturnForm):
    reason = forms.CharField(
        label="Why are these figures changing?",
        help_text="For example, the accounts were finalised after the return was submitted.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        cleaned = forms.Form.clean(self)
        self.add_rule_errors(lambda: clean_correction(self.figures(), self.cleaned_data.get("reason", "")))
        return cleaned


def _text(label: str, hint: str = "", *, attrs: dict | None = None, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(attrs=attrs or {})
    return forms.CharField(label=label, help_text=hint, required=False, widget=widget)


def _number(key: str, label: str, hint: str = "", *, money: bool = False) -> NumberField:
    return NumberField(
        label=label,
        help_text=hint,
        required=False,
        widget=forms.TextInput(attrs=NUMBER),
        ignore="£" if money else "",
        error_messages={"invalid": NOT_A_NUMBER.format(label=BENEFIT_LABELS[key])},
    )


def _date(key: str, label: str, hint: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=hint,
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": NOT_A_DATE.format(label=BENEFIT_LABELS[key])},
    )


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
    amount = _number("amount", "Amount saved", "In pounds: the one-off amount, or the amount a year.", money=True)
    years = NumberField(
        label="Years the saving recurs",
        help_text="Recurring savings only, from 1 to 30.",
        required=False,
        widget=forms.TextInput(attrs={**NUMBER, "inputmode": "numeric"}),
        error_messages={"invalid": YEARS},
    )
    period_start = _date("period_start", "Period starts (optional)", "For example, 2026-04-01.")
    period_end = _date("period_end", "Period ends (optional)", "For example, 2027-03-31.")
    # Non-financial measures
    metric = _text("What is measured", "For example, average wait for a decision.")
    unit = _text("Unit (optional)", "For example, days.")
    baseline = _number("baseline", "Baseline", "Before the product.")
    target = _number("target", "Target")
    actual = _number("actual", "Actual (optional)", "Leave blank until it is measured.")
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

    def benefit_fields(self) -> dict:
        """The benefit as read, for the services (call after is_valid()); the evidence file is passed apart."""
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in ("challenge", "evidence_file")}

    def clean(self):
        cleaned = super().clean()
        # What was typed in the other kind's fields (or in years, for a one-off saving) is cleared by the service,
        # not stored: it cannot stop the benefit being saved, so it is not refused either.
        kind, unused = cleaned.get("kind"), set()
        if kind == Benefit.Kind.NON_FINANCIAL:
            unused = set(self.SAVING_FIELDS)
        elif kind in SAVINGS:
            unused = set(self.MEASURE_FIELDS)
            if cleaned.get("recurrence") != Benefit.Recurrence.RECURRING:
                unused.add("years")
        for name in unused & set(self._errors or {}):
            del self._errors[name]
            cleaned[name] = None
        self.add_rule_errors(lambda: clean_benefit(self.benefit_fields()))
        return cleaned

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


class AssumptionsForm(forms.ModelForm):
    """Staff adopt new additionality assumptions (the report's net-impact formula), with a note saying why."""

    class Meta:
        model = Assumptions
        fields = [*ASSUMPTION_FIELDS, "note"]
