"""Benefits from sponsors: record and edit (the sponsor's members or staff), verify or reject (staff).

Only verified benefits count publicly, so any change to a verified benefit sends it back for verification.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.uploads import check_upload
from challenges.models import ChallengePage
from civtech.audit import audit
from civtech.errors import DomainError, require, require_type
from civtech.permissions import has_permission

from ..models import Benefit
from .returns import FiguresInvalid

AMOUNT_LIMIT = Decimal("1000000000000")  # the column's size: max_digits=14, decimal_places=2
SAVINGS = (Benefit.Kind.CASHABLE, Benefit.Kind.NON_CASHABLE)
SAVING_FIELDS = ("recurrence", "amount", "years", "period_start", "period_end")
MEASURE_FIELDS = ("metric", "unit", "baseline", "target", "actual")
EDITABLE = ("kind", "title", "description", *SAVING_FIELDS, *MEASURE_FIELDS, "evidence")


# What the benefit form says when what was typed cannot be read at all (the rules below get typed values).
NOT_A_NUMBER = "Enter {label} as a number, like 1500.50"
NOT_A_DATE = "Enter {label} as a real date, like 2026-04-01"
LABELS = {
    "amount": "the amount saved",
    "baseline": "the baseline",
    "target": "the target",
    "actual": "the actual value",
    "period_start": "the start of the period",
    "period_end": "the end of the period",
}
YEARS = "Enter how many years the saving recurs, from 1 to 30"


def _decimal(value: Decimal | int | None, key: str, errors: dict, *, required: bool, positive: bool = False):
    label = LABELS[key]
    require_type(value, key, Decimal, int)
    if value is None:
        if required:
            errors[key] = f"Enter {label}"
        return None
    number = Decimal(value)
    if not number.is_finite() or not -AMOUNT_LIMIT < number < AMOUNT_LIMIT:  # compared: abs() can overflow
        errors[key] = f"Enter a realistic number for {label}"
    elif number != number.quantize(Decimal("0.01")):
        errors[key] = f"Enter {label} to two decimal places at most"
    elif positive and number <= 0:
        errors[key] = f"{label[0].upper()}{label[1:]} must be more than 0"
    else:
        return number.quantize(Decimal("0.01"))  # as stored, so "unchanged" compares like with like
    return None


def clean_benefit(fields: dict) -> dict:
    """Check a benefit by its kind and return the values to store; raise FiguresInvalid listing every problem.
    Figures arrive typed (Decimals, whole years, dates; None where none was given), read by the benefit form.

    Savings need an amount and whether it recurs (recurring ones, for how many years); non-financial benefits
    a metric, baseline and target. Evidence is always needed. Fields of the other kind are cleared, so a benefit
    that changed kind cannot carry stale figures into the reports.
    """
    errors: dict[str, str] = {}
    kind = fields.get("kind") or ""
    if kind not in Benefit.Kind.values:
        errors["kind"] = "Select the kind of benefit"
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = "Enter a short title for the benefit"
    elif len(title) > 200:
        errors["title"] = "Title must be 200 characters or fewer"
    cleaned: dict = {"kind": kind, "title": title, "description": (fields.get("description") or "").strip()}
    cleaned.update({name: None for name in ("amount", "years", "period_start", "period_end", "baseline", "target",
                                            "actual")})  # fmt: skip
    cleaned.update({"recurrence": "", "metric": "", "unit": ""})
    if kind in SAVINGS:
        cleaned["amount"] = _decimal(fields.get("amount"), "amount", errors, required=True, positive=True)
        recurrence = fields.get("recurrence") or ""
        if recurrence not in Benefit.Recurrence.values:
            errors["recurrence"] = "Select whether the saving is one-off or recurring"
        cleaned["recurrence"] = recurrence
        if recurrence == Benefit.Recurrence.RECURRING:
            years = fields.get("years")
            require_type(years, "years", Decimal, int)
            # The range first: int() of a vast number could take minutes, a comparison never does.
            if (
                years is None
                or not Decimal(years).is_finite()
                or not 1 <= years <= 30
                or years != Decimal(years).to_integral_value()
            ):
                errors["years"] = YEARS
            else:
                cleaned["years"] = int(years)
        for key in ("period_start", "period_end"):
            require_type(fields.get(key), key, date)
            cleaned[key] = fields.get(key)
        start, end = cleaned["period_start"], cleaned["period_end"]
        if start and end and end < start:
            errors["period_end"] = "The end of the period must be on or after its start"
    elif kind == Benefit.Kind.NON_FINANCIAL:
        metric = (fields.get("metric") or "").strip()
        if not metric:
            errors["metric"] = "Enter what is measured, for example average wait in days"
        cleaned["metric"] = metric[:200]
        cleaned["unit"] = (fields.get("unit") or "").strip()[:50]
        cleaned["baseline"] = _decimal(fields.get("baseline"), "baseline", errors, required=True)
        cleaned["target"] = _decimal(fields.get("target"), "target", errors, required=True)
        cleaned["actual"] = _decimal(fields.get("actual"), "actual", errors, required=False)
    evidence = (fields.get("evidence") or "").strip()
    if not evidence:
        errors["evidence"] = "Describe the evidence: how the figure was measured and where the evidence is"
    cleaned["evidence"] = evidence
    if errors:
        raise FiguresInvalid(errors)
    return cleaned


def _attach(benefit: Benefit, upload) -> None:
    try:
        checked = check_upload(upload)
    except DomainError as error:
        raise FiguresInvalid({"evidence_file": error.message}) from None
    benefit.evidence_file.save(checked.name, upload, save=False)
    benefit.evidence_name = checked.name


def _snapshot(benefit: Benefit) -> dict:
    values = {name: getattr(benefit, name) for name in EDITABLE}
    values = {k: (str(v) if isinstance(v, Decimal | date) else v) for k, v in values.items()}
    return {**values, "status": benefit.status, "evidence_file": benefit.evidence_name}


@transaction.atomic
def benefit_record(*, challenge: ChallengePage, by: User, evidence_file=None, **fields) -> Benefit:
    """A new benefit from a challenge's product, awaiting verification."""
    require(has_permission("benefit.record", by, challenge))
    cleaned = clean_benefit(fields)
    benefit = Benefit(challenge=challenge, sponsor_id=challenge.sponsor_id, recorded_by=by, **cleaned)
    if evidence_file is not None:
        _attach(benefit, evidence_file)
    benefit.save()
    audit(benefit, "civtech.benefit.record", by=by, data={"after": _snapshot(benefit)})
    return benefit


@transaction.atomic
def benefit_update(*, benefit: Benefit, by: User, evidence_file=None, **fields) -> Benefit:
    """Change a benefit. A verified or rejected one goes back to awaiting verification: staff check it again."""
    benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
    require(has_permission("benefit.edit", by, benefit))
    cleaned = clean_benefit(fields)
    before = _snapshot(benefit)
    for name, value in cleaned.items():
        setattr(benefit, name, value)
    if evidence_file is not None:
        _attach(benefit, evidence_file)
    after = _snapshot(benefit)
    if after == before:
        return benefit  # nothing changed: it keeps its verification
    if benefit.status != Benefit.Status.SUBMITTED:
        benefit.status = Benefit.Status.SUBMITTED
        benefit.verified_by = None
        benefit.verified_at = None
        benefit.verification_note = ""
    benefit.save()
    audit(benefit, "civtech.benefit.update", by=by, data={"before": before, "after": _snapshot(benefit)})
    return benefit


def _decide(benefit: Benefit, *, by: User, note: str, status: str, action: str) -> Benefit:
    benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
    require(has_permission("benefit.verify", by, benefit))
    note = (note or "").strip()
    if status == Benefit.Status.REJECTED and not note:
        raise DomainError("Say why the benefit is not verified, so the sponsor can put it right", field="note")
    before = benefit.status
    benefit.status = status
    benefit.verified_by = by
    benefit.verified_at = timezone.now()
    benefit.verification_note = note
    benefit.save(update_fields=["status", "verified_by", "verified_at", "verification_note"])
    audit(benefit, action, by=by, data={"before": before, "after": status, "note": note})
    return benefit


@transaction.atomic
def benefit_verify(*, benefit: Benefit, by: User, note: str = "") -> Benefit:
    return _decide(benefit, by=by, note=note, status=Benefit.Status.VERIFIED, action="civtech.benefit.verify")


@transaction.atomic
def benefit_reject(*, benefit: Benefit, by: User, note: str) -> Benefit:
    """Not verified, with the reason (the sponsor sees it and can edit the benefit, which resubmits it)."""
    return _decide(benefit, by=by, note=note, status=Benefit.Status.REJECTED, action="civtech.benefit.reject")
