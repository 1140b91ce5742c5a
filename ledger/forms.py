"""The staff's forms for contracts and payments. Money is cleaned to a `Decimal` here (civtech.fields.MoneyField);
the services then apply the ledger's rules (more than £0, whole pence, within the contracted value)."""

from django import forms

from challenges.models import ChallengePage
from civtech.fields import MoneyField, RecordChoiceField
from organisations.models import Organisation

from .models import Contract


class FollowOnForm(forms.Form):
    challenge = RecordChoiceField(
        queryset=ChallengePage.objects.filter(applications__engagements__isnull=False).distinct().order_by("title"),
        help_text="The challenge whose product the contract buys.",
    )
    kind = forms.ChoiceField(choices=[(k, Contract.Kind(k).label) for k in Contract.FOLLOW_ON_KINDS])
    supplier = forms.ModelChoiceField(queryset=Organisation.objects.suppliers())
    buyer = forms.ModelChoiceField(queryset=Organisation.objects.public_bodies(), required=False,
                                   help_text="The public body that bought it (not for private contracts).")  # fmt: skip
    buyer_name = forms.CharField(label="Private buyer", required=False, max_length=200)
    title = forms.CharField(max_length=255)
    value = MoneyField(label="Value (£, ex VAT)")
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    awarded_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="How we know: a contract notice, a letter, an email.")  # fmt: skip


class VariationForm(forms.Form):
    amount = MoneyField(label="Change (£, ex VAT; negative to reduce)")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    description = forms.CharField(max_length=200)
    amount = MoneyField(label="Amount (£, ex VAT)")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class PaymentPickForm(forms.Form):
    """The payment a button acts on, posted as a hidden id: bounded, so a tampered one is refused, not a crash."""

    payment = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1)


class PaidForm(PaymentPickForm):
    paid_on = forms.DateField(label="Paid on", widget=forms.DateInput(attrs={"type": "date"}))
