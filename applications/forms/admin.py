"""Forms for programme staff's evaluation pages in the Wagtail admin."""

from django import forms
from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from civtech.fields import NumberField

from ..services.assessment import Stage
from ..services.decisions import MODERATED_SCORE


def assessors_queryset():
    """Everyone who may assess: assessors and sponsor staff."""
    return (
        User.objects.filter(Q(groups__name=Role.ASSESSOR.label) | Q(groups__name=Role.SPONSOR.label), is_active=True)
        .distinct()
        .order_by("email")
    )


class PeopleField(forms.ModelMultipleChoiceField):
    """People named so that two with the same name can be told apart: "Jo Bloggs (jo@nhs.example)"."""

    def label_from_instance(self, obj) -> str:
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name != obj.email else obj.email


class AssignForm(forms.Form):
    assessors = PeopleField(
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Assessors and sponsor staff. Nobody is assigned to an application from their own organisation.",
        error_messages={"required": "Choose at least one assessor."},
    )
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assessors"].queryset = assessors_queryset()


class ModerationForm(forms.Form):
    score = NumberField(
        label="Moderated score (%)",
        ignore="%",
        thousands=False,  # "7,5" is a decimal comma, not seventy-five: refused rather than misread
        error_messages={"required": "Enter the moderated score.", "invalid": MODERATED_SCORE},
        help_text="From 0 to 100. It replaces the assessors' average in the ranking.",
    )
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why the panel agreed this score. Kept for the record; not sent to the applicant.",
        error_messages={"required": "Explain the moderated score."},
    )
    feedback = forms.CharField(
        label="Feedback for the applicant",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent to the applicant if they are not taken forward. Required before they can be turned down.",
    )


class InterviewForm(forms.Form):
    at = forms.DateTimeField(
        label="Interview date and time (UK time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Enter the interview date and time.", "invalid": "Enter a real date and time."},
    )
    details = forms.CharField(
        label="Where, or how to join",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say where the interview is, or how to join it."},
    )


class DecisionForm(forms.Form):
    """Choose who goes forward; everyone else waiting for this decision is told they were unsuccessful."""

    chosen = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, error_messages={"required": "Choose at least one application."}
    )
    confirm = forms.BooleanField(
        label="I understand that every other application waiting for this decision will be told it was unsuccessful",
        error_messages={"required": "Confirm that the other applicants will be told they were unsuccessful."},
    )

    def __init__(self, *args, candidates, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].choices = [(str(a.pk), f"{a.reference} — {a.organisation}") for a in candidates]
        self.fields["chosen"].help_text = f"Up to {limit}, as the round sets."

    def chosen_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["chosen"]]
