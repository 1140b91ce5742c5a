"""Contracts, variations and payments. Totals always reconcile: the payments scheduled on a contract never add
up to more than its contracted value (the original value plus approved variations), checked under a row lock."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengePage
from civtech.audit import audit
from civtech.errors import DomainError, require, require_type
from civtech.permissions import has_permission
from organisations.models import Organisation, OrganisationKind

from .models import Contract, Payment, Variation

LIMIT = Decimal("1e12")  # the columns' size (max_digits=14, decimal_places=2): less than £1 trillion


def _money(amount: Decimal | None, field: str, *, allow_negative: bool = False) -> Decimal:
    """The ledger's rules for an amount. Amounts arrive typed: what people type is read by the forms
    (civtech.fields.MoneyField), so every caller passes a Decimal, or None for an amount left empty."""
    require_type(amount, field, Decimal, int)
    if amount is None:
        raise DomainError("Enter an amount in pounds, like 5000 or 5000.50.", field=field)
    amount = Decimal(amount)
    # Compared, not abs(): abs() of a Decimal with a vast exponent overflows; a comparison never does.
    if not amount.is_finite() or not -LIMIT < amount < LIMIT or amount != amount.quantize(Decimal("0.01")):
        raise DomainError("Enter an amount in pounds and pence, less than £1 trillion.", field=field)
    if amount == 0 or (amount < 0 and not allow_negative):
        raise DomainError("Enter an amount of more than £0.", field=field)
    return amount


@transaction.atomic
def contract_award_stage(
    *,
    kind: str,
    challenge: ChallengePage,
    supplier: Organisation,
    title: str,
    value: Decimal,
    starts_on: date,
    ends_on: date,
    by: User | None,
) -> Contract:
    """A programme stage contract (buyer: the challenge's sponsor), awarded today.

    The stage work calls this as it starts an engagement (sprints.services.engagements.contract_for_engagement). An
    exploration contract is paid in one tranche at the end of the stage; accelerator tranches follow the milestones
    the sponsor and staff plan (see payment_schedule).
    """
    if kind not in Contract.STAGE_KINDS:
        raise DomainError("Choose the stage the contract is for.", field="kind")
    contract = Contract.objects.create(
        kind=kind,
        challenge=challenge,
        buyer=challenge.sponsor,
        supplier=supplier,
        title=title,
        value=value,
        current_value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        awarded_on=timezone.localdate(),
        evidence="Awarded through the programme.",
        # The programme's own contracts need no outside evidence: they are verified as they are made.
        verified_at=timezone.now(),
        verified_by=by,
        recorded_by=by,
    )
    audit(contract, "civtech.contract.create", by=by, data={"kind": contract.kind, "value": str(contract.value)})
    if kind == Contract.Kind.EXPLORATION:
        _add_payment(contract, description="Exploration stage", amount=contract.value, due_on=contract.ends_on, by=by)
    return contract


@transaction.atomic
def contract_record_follow_on(
    *,
    challenge: ChallengePage,
    supplier: Organisation,
    kind: str,
    title: str,
    value: Decimal | None,
    starts_on: date,
    ends_on: date,
    awarded_on: date,
    evidence: str,
    by: User,
    buyer: Organisation | None = None,
    buyer_name: str = "",
) -> Contract:
    """Record a contract that followed from a challenge. It counts publicly only once staff verify it."""
    require(has_permission("contract.record", by, challenge))
    if kind not in Contract.FOLLOW_ON_KINDS:
        raise DomainError("Choose the kind of follow-on contract.", field="kind")
    if supplier.kind == OrganisationKind.PUBLIC_BODY:
        raise DomainError("The supplier must be the company (or individual) that built the product.", field="supplier")
    if kind in (Contract.Kind.FOLLOW_ON, Contract.Kind.REUSE):
        if buyer is None or buyer.kind != OrganisationKind.PUBLIC_BODY:
            raise DomainError("Choose the public body that bought it.", field="buyer")
        if kind == Contract.Kind.FOLLOW_ON and buyer.pk != challenge.sponsor_id:
            raise DomainError(
                "A follow-on contract is with the challenge's sponsor; use reuse for others.", field="buyer"
            )
        if kind == Contract.Kind.REUSE and buyer.pk == challenge.sponsor_id:
            raise DomainError("Reuse is by a public body other than the sponsor.", field="buyer")
    elif not (buyer_name.strip() or buyer):
        raise DomainError("Name the private buyer.", field="buyer_name")
    if not title.strip():
        raise DomainError("Give the contract a title.", field="title")
    if ends_on < starts_on:
        raise DomainError("The contract must end on or after its start date.", field="ends_on")
    if not evidence.strip():
        raise DomainError("Say how we know about this contract (for example a contract notice).", field="evidence")
    amount = _money(value, "value")
    contract = Contract.objects.create(
        kind=kind,
        challenge=challenge,
        buyer=buyer,
        buyer_name=buyer_name.strip(),
        supplier=supplier,
        title=title.strip(),
        value=amount,
        current_value=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        awarded_on=awarded_on,
        evidence=evidence.strip(),
        recorded_by=by,
    )
    audit(contract, "civtech.contract.create", by=by, data={"kind": kind, "value": str(contract.value)})
    return contract


@transaction.atomic
def contract_verify(*, contract: Contract, by: User) -> Contract:
    require(has_permission("contract.verify", by, contract))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.verified_at is not None:
        raise DomainError("This contract is already verified.")
    contract.verified_at, contract.verified_by = timezone.now(), by
    contract.save(update_fields=["verified_at", "verified_by"])
    audit(contract, "civtech.contract.verify", by=by, data={"value": str(contract.value)})
    return contract


@transaction.atomic
def variation_approve(*, contract: Contract, amount: Decimal | None, reason: str, by: User) -> Variation:
    """Change a contract's value, with a reason; it may not drop below what is already scheduled to be paid."""
    require(has_permission("contract.vary", by, contract))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    change = _money(amount, "amount", allow_negative=True)
    if not reason.strip():
        raise DomainError("Give the reason for the variation.", field="reason")
    before = contract.contracted_value()
    after = before + change
    if after <= 0:
        raise DomainError(f"The contract would be worth £{after:,.2f}; a contract must be worth more than £0.")
    scheduled = contract.scheduled_total()
    if after < scheduled:
        raise DomainError(
            f"£{scheduled:,.2f} is already scheduled to be paid, so the contract cannot drop to £{after:,.2f}.",
            field="amount",
        )
    variation = Variation.objects.create(contract=contract, amount=change, reason=reason.strip(), approved_by=by)
    contract.current_value = after
    contract.save(update_fields=["current_value"])
    audit(contract, "civtech.contract.vary", by=by, data={"before": str(before), "after": str(after), "reason": reason})
    return variation


def _starts(contract: Contract) -> str:
    return f"{contract.starts_on.day} {contract.starts_on:%B %Y}"


def _add_payment(contract: Contract, *, description: str, amount: Decimal, due_on: date, by) -> Payment:
    if due_on < contract.starts_on:
        raise DomainError(f"The due date cannot be before the contract starts ({_starts(contract)}).", field="due_on")
    scheduled = contract.scheduled_total()
    contracted = contract.contracted_value()
    if scheduled + amount > contracted:
        raise DomainError(
            f"Payments would total £{scheduled + amount:,.2f}, more than the contracted £{contracted:,.2f}. "
            "Approve a variation first if the contract is to be worth more.",
            field="amount",
        )
    number = (contract.payments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    payment = Payment.objects.create(
        contract=contract, number=number, description=description, amount=amount, due_on=due_on
    )
    audit(contract, "civtech.payment.schedule", by=by, data={"tranche": number, "amount": str(amount)})
    return payment


@transaction.atomic
def payment_schedule(
    *, contract: Contract, description: str, amount: Decimal | None, due_on: date, by: User | None
) -> Payment:
    """Plan a payment tranche (for the accelerator, one per milestone: the milestone points at the payment)."""
    if by is not None:
        require(has_permission("contract.pay", by, contract))
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status == Contract.Status.TERMINATED:
        raise DomainError("This contract was terminated; no further payments can be planned.")
    if not description.strip():
        raise DomainError("Describe what the payment is for.", field="description")
    return _add_payment(
        contract, description=description.strip(), amount=_money(amount, "amount"), due_on=due_on, by=by
    )


@transaction.atomic
def payment_mark_due(*, payment: Payment, by: User | None) -> Payment:
    """A tranche becomes due (e.g. its milestone's deliverables were accepted)."""
    payment = Payment.objects.select_for_update().select_related("contract").get(pk=payment.pk)
    if by is not None:
        require(has_permission("contract.pay", by, payment.contract))
    if payment.status != Payment.Status.PLANNED:
        raise DomainError(f"Tranche {payment.number} is already {payment.get_status_display().lower()}.")
    payment.status, payment.became_due_at = Payment.Status.DUE, timezone.now()
    payment.save(update_fields=["status", "became_due_at"])
    audit(payment.contract, "civtech.payment.due", by=by, data={"tranche": payment.number, "before": "planned"})
    return payment


@transaction.atomic
def payment_mark_paid(*, payment: Payment, paid_on: date, by: User | None) -> Payment:
    """Record that finance paid a tranche (on a date not in the future)."""
    payment = Payment.objects.select_for_update().select_related("contract").get(pk=payment.pk)
    if by is not None:
        require(has_permission("contract.pay", by, payment.contract))
    if payment.status == Payment.Status.PAID:
        raise DomainError(f"Tranche {payment.number} is already recorded as paid.")
    if paid_on > timezone.localdate():
        raise DomainError("The payment date cannot be in the future.", field="paid_on")
    if paid_on < payment.contract.starts_on:
        raise DomainError(
            f"The payment date cannot be before the contract starts ({_starts(payment.contract)}).", field="paid_on"
        )
    before = payment.status
    payment.status, payment.paid_on = Payment.Status.PAID, paid_on
    payment.save(update_fields=["status", "paid_on"])
    audit(payment.contract, "civtech.payment.paid", by=by,
          data={"tranche": payment.number, "before": before, "amount": str(payment.amount)})  # fmt: skip
    return payment
