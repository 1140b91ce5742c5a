"""Benefits: validation by kind, evidence, who records, who verifies, and re-verification after an edit."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import ModelLogEntry

from civtech.errors import DomainError
from impact.forms import BenefitForm
from impact.models import Benefit
from impact.services.benefits import benefit_record, benefit_reject, benefit_update, benefit_verify
from impact.services.returns import FiguresInvalid

from .conftest import PDF_BYTES
from .reading import read_benefit

pytestmark = pytest.mark.django_db

SAVING_TYPED_IN = {
    "kind": "cashable", "title": "Fewer agency staff", "recurrence": "recurring", "amount": "£12,500",
    "years": "3", "evidence": "Finance ledger, cost centre 4410.",
}  # fmt: skip
MEASURE_TYPED_IN = {
    "kind": "non_financial", "title": "Faster decisions", "metric": "Average wait", "unit": "days",
    "baseline": "42", "target": "10", "actual": "", "evidence": "Case management system report.",
}  # fmt: skip
# As the benefit form reads them: what the services take.
SAVING = read_benefit(SAVING_TYPED_IN)
MEASURE = read_benefit(MEASURE_TYPED_IN)
EVIDENCE_NEEDED = "Describe the evidence: how the figure was measured and where the evidence is"
BAD_START = "Enter the start of the period as a real date, like 2026-04-01"


def record(cast, by=None, **changes):
    fields = {**SAVING, **read_benefit(changes)}
    return benefit_record(challenge=cast.challenge, by=by or cast.sponsor, **fields)


def test_a_sponsor_records_a_recurring_saving(cast):
    benefit = record(cast)
    assert (benefit.sponsor, benefit.status, benefit.amount, benefit.years) == (
        cast.body, Benefit.Status.SUBMITTED, Decimal("12500.00"), 3,
    )  # fmt: skip
    entry = ModelLogEntry.objects.for_instance(benefit).get()
    assert entry.action == "civtech.benefit.record" and entry.data["after"]["amount"] == "12500.00"


def test_a_non_financial_benefit_keeps_only_its_own_fields(cast):
    benefit = benefit_record(
        challenge=cast.challenge,
        by=cast.sponsor,
        **{**MEASURE, **read_benefit({"amount": "5", "recurrence": "one_off"})},
    )
    assert (benefit.metric, benefit.baseline, benefit.target, benefit.actual) == (
        "Average wait", Decimal("42"), Decimal("10"), None,
    )  # fmt: skip
    assert benefit.amount is None and benefit.recurrence == ""


@pytest.mark.parametrize(
    "fields, errors",
    [
        ({"kind": ""}, {"kind": "Select the kind of benefit"}),
        ({"title": " "}, {"title": "Enter a short title for the benefit"}),
        ({"evidence": ""}, {"evidence": EVIDENCE_NEEDED}),
        ({"amount": ""}, {"amount": "Enter the amount saved"}),
        ({"amount": "0"}, {"amount": "The amount saved must be more than 0"}),
        ({"amount": "lots"}, {"amount": "Enter the amount saved as a number, like 1500.50"}),
        ({"recurrence": ""}, {"recurrence": "Select whether the saving is one-off or recurring"}),
        ({"years": ""}, {"years": "Enter how many years the saving recurs, from 1 to 30"}),
        ({"years": "31"}, {"years": "Enter how many years the saving recurs, from 1 to 30"}),
        ({"period_start": "2026-04-01", "period_end": "2026-03-01"},
         {"period_end": "The end of the period must be on or after its start"}),
        ({"period_start": "1 April"}, {"period_start": BAD_START}),
    ],
)  # fmt: skip
def test_a_saving_is_checked(cast, fields, errors):
    with pytest.raises(FiguresInvalid) as refused:
        record(cast, **fields)
    assert refused.value.errors == errors
    assert not Benefit.objects.exists()


def test_a_one_off_saving_needs_no_years(cast):
    assert record(cast, recurrence="one_off", years="").years is None


@pytest.mark.parametrize(
    "field, message",
    [
        ("metric", "Enter what is measured, for example average wait in days"),
        ("baseline", "Enter the baseline"),
        ("target", "Enter the target"),
    ],
)
def test_a_non_financial_benefit_needs_metric_baseline_and_target(cast, field, message):
    with pytest.raises(FiguresInvalid) as refused:
        benefit_record(challenge=cast.challenge, by=cast.sponsor, **{**MEASURE, **read_benefit({field: ""})})
    assert refused.value.errors == {field: message}


def test_an_evidence_file_must_be_a_real_document(cast):
    fake = SimpleUploadedFile("evidence.pdf", b"not a pdf", content_type="application/pdf")
    with pytest.raises(FiguresInvalid) as refused:
        record(cast, evidence_file=fake)
    assert "evidence_file" in refused.value.errors
    good = SimpleUploadedFile("../../Ledger extract.pdf", PDF_BYTES, content_type="application/pdf")
    benefit = record(cast, evidence_file=good)
    assert benefit.evidence_name == "Ledger_extract.pdf"
    assert benefit.evidence_file.name.startswith(f"private/benefits/{cast.challenge.pk}/")
    assert "Ledger" not in benefit.evidence_file.name


def test_only_the_sponsors_members_or_staff_record(cast):
    for outsider in (cast.other_sponsor, cast.team, cast.stranger):
        with pytest.raises(PermissionDenied, match="Only members of the challenge's sponsor"):
            record(cast, by=outsider)
    assert record(cast, by=cast.staff).sponsor == cast.body


def test_staff_verify_or_reject_with_a_reason(cast):
    benefit = record(cast)
    for not_staff in (cast.sponsor, cast.team):
        with pytest.raises(PermissionDenied, match="Only the CivTech team verifies benefits"):
            benefit_verify(benefit=benefit, by=not_staff, note="")
        with pytest.raises(PermissionDenied):
            benefit_reject(benefit=benefit, by=not_staff, note="No")
    with pytest.raises(DomainError, match="Say why") as refused:
        benefit_reject(benefit=benefit, by=cast.staff, note=" ")
    assert refused.value.field == "note"
    rejected = benefit_reject(benefit=benefit, by=cast.staff, note="The ledger extract is missing.")
    assert (rejected.status, rejected.verified_by) == (Benefit.Status.REJECTED, cast.staff)
    with pytest.raises(PermissionDenied, match="nothing to decide"):
        benefit_verify(benefit=rejected, by=cast.staff)


def test_editing_a_verified_benefit_sends_it_back_for_verification(cast):
    benefit = benefit_verify(benefit=record(cast), by=cast.staff, note="Matches the ledger.")
    assert benefit.status == Benefit.Status.VERIFIED and benefit.verified_at
    unchanged = benefit_update(benefit=benefit, by=cast.sponsor, **SAVING)
    assert unchanged.status == Benefit.Status.VERIFIED  # saving the same values changes nothing
    edited = benefit_update(benefit=benefit, by=cast.sponsor, **{**SAVING, "amount": Decimal(15000)})
    assert (edited.status, edited.verified_by, edited.verified_at, edited.verification_note) == (
        Benefit.Status.SUBMITTED, None, None, "",
    )  # fmt: skip
    actions = list(ModelLogEntry.objects.for_instance(benefit).order_by("pk").values_list("action", flat=True))
    assert actions == ["civtech.benefit.record", "civtech.benefit.verify", "civtech.benefit.update"]
    with pytest.raises(PermissionDenied, match="Only members of the sponsor"):
        benefit_update(benefit=benefit, by=cast.other_sponsor, **SAVING)


def test_a_rejected_benefit_put_right_is_resubmitted(cast):
    benefit = benefit_reject(benefit=record(cast), by=cast.staff, note="Missing evidence")
    fixed = benefit_update(benefit=benefit, by=cast.sponsor, **{**SAVING, "evidence": "Ledger attached."})
    assert fixed.status == Benefit.Status.SUBMITTED
    assert benefit_verify(benefit=fixed, by=cast.staff).status == Benefit.Status.VERIFIED


def test_the_services_take_a_benefit_typed_never_text(cast):
    for field, text in (("amount", "12500"), ("years", "3"), ("period_start", "2026-04-01")):
        with pytest.raises(TypeError, match=f"{field} must be"):
            benefit_record(challenge=cast.challenge, by=cast.sponsor, **{**SAVING, field: text})
    assert not Benefit.objects.exists()


def test_vast_years_are_refused_at_once_never_turned_into_a_million_digit_number(cast):
    for years in (Decimal("1e999999"), Decimal("NaN"), Decimal("3.5"), Decimal(0), 31):
        with pytest.raises(FiguresInvalid) as refused:
            benefit_record(challenge=cast.challenge, by=cast.sponsor, **{**SAVING, "years": years})
        assert refused.value.errors == {"years": "Enter how many years the saving recurs, from 1 to 30"}
    form = BenefitForm({**SAVING_TYPED_IN, "years": "1e999999"})
    assert not form.is_valid() and form.errors["years"] == ["Enter how many years the saving recurs, from 1 to 30"]


def test_what_was_typed_in_the_other_kinds_fields_does_not_stop_a_benefit_being_saved():
    measure = BenefitForm({**MEASURE_TYPED_IN, "amount": "n/a", "period_start": "1 April", "years": "lots"})
    assert measure.is_valid(), measure.errors
    assert (measure.cleaned_data["amount"], measure.cleaned_data["period_start"]) == (None, None)
    one_off = BenefitForm({**SAVING_TYPED_IN, "recurrence": "one_off", "years": "lots", "baseline": "x"})
    assert one_off.is_valid(), one_off.errors
    recurring = BenefitForm({**SAVING_TYPED_IN, "years": "lots"})
    assert not recurring.is_valid() and "years" in recurring.errors
