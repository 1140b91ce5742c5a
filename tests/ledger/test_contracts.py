"""Contracts and payments: stage contracts from engagements, follow-ons, variations, and totals that reconcile."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from civtech.errors import DomainError
from civtech.fields import MoneyField
from civtech.permissions import ALLOWED, has_permission
from ledger.models import Contract, Payment
from ledger.services import (
    contract_record_follow_on,
    contract_verify,
    payment_mark_due,
    payment_mark_paid,
    payment_schedule,
    variation_approve,
)
from sprints.models import Engagement
from sprints.services.engagements import contract_for_engagement
from tests.factories import (
    OrganisationFactory,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_engagement,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def exploration(staff):
    return make_engagement(stage="exploration", by=staff)


def test_an_exploration_contract_is_paid_in_one_tranche_at_the_end(exploration, staff):
    contract = contract_for_engagement(engagement=exploration, by=staff)
    challenge = exploration.application.challenge
    assert (contract.kind, contract.buyer, contract.supplier) == (
        "exploration", challenge.sponsor, exploration.application.organisation
    )  # fmt: skip
    assert contract.value == exploration.contract_value == Decimal("5000")
    assert contract.verified_at is not None  # the programme's own contracts need no outside evidence
    (payment,) = contract.payments.all()
    assert (payment.amount, payment.due_on, payment.status) == (Decimal("5000"), exploration.ends_on, "planned")
    assert contract_for_engagement(engagement=exploration, by=staff) == contract  # once only
    assert Contract.objects.count() == 1


def accelerator_contract(staff):
    engagement = make_engagement(stage="accelerator", by=staff)
    return contract_for_engagement(engagement=engagement, by=staff)


def test_tranches_never_exceed_the_contract_without_a_variation(staff):
    contract = accelerator_contract(staff)
    value = contract.value
    due = contract.starts_on  # no tranche falls due before the contract starts
    for n in range(4):
        payment_schedule(contract=contract, description=f"Milestone {n + 1}", amount=value / 4, due_on=due, by=staff)
    with pytest.raises(DomainError, match="more than the contracted") as error:
        payment_schedule(contract=contract, description="Extra", amount=Decimal("0.01"), due_on=due, by=staff)
    assert error.value.field == "amount"
    variation_approve(
        contract=contract, amount=Decimal("10000"), reason="Extra user research agreed by the sponsor.", by=staff
    )
    payment_schedule(contract=contract, description="Extra", amount=Decimal("10000"), due_on=due, by=staff)
    contract.refresh_from_db()
    assert contract.scheduled_total() == contract.contracted_value() == value + 10000


def test_a_variation_cannot_take_the_value_below_what_is_scheduled(staff):
    contract = accelerator_contract(staff)
    payment_schedule(contract=contract, description="All", amount=contract.value, due_on=contract.starts_on, by=staff)
    with pytest.raises(DomainError, match="already scheduled to be paid"):
        variation_approve(contract=contract, amount=Decimal("-1"), reason="Scope cut.", by=staff)
    with pytest.raises(DomainError, match="Give the reason"):
        variation_approve(contract=contract, amount=Decimal("100"), reason=" ", by=staff)
    assert not contract.variations.exists()


def test_variations_are_audited_with_before_and_after(staff):
    contract = accelerator_contract(staff)
    variation_approve(contract=contract, amount=Decimal("-50000"), reason="Phase 2 descoped.", by=staff)
    entry = ModelLogEntry.objects.for_instance(contract).get(action="civtech.contract.vary")
    assert (entry.data["before"], entry.data["after"]) == (str(contract.value), str(contract.value - 50000))


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Enter an amount in pounds"),
        (Decimal("0"), "more than £0"),
        (Decimal("-5"), "more than £0"),
        (Decimal("1.005"), "pounds and pence"),
        (Decimal("NaN"), "pounds and pence"),
        (Decimal("1e13"), "less than £1 trillion"),
        (Decimal("1e1000000"), "less than £1 trillion"),  # abs() of it overflows: compared instead
        (Decimal("-1e1000000"), "less than £1 trillion"),
    ],
)
def test_bad_amounts_are_refused_with_a_clear_message(staff, amount, message):
    contract = accelerator_contract(staff)
    with pytest.raises(DomainError, match=message):
        payment_schedule(contract=contract, description="Bad", amount=amount, due_on=date.today(), by=staff)
    assert contract.payments.count() == 0


@pytest.mark.parametrize("typed", ["1000", "£1,000", 1000.0, True])
def test_the_ledger_takes_amounts_typed_never_text_to_parse(staff, typed):
    """Reading what people type is the form's job (civtech.fields.MoneyField): a caller that hands the service text
    or a float (binary, so not pence-exact) is a programming error, not a message for the user."""
    contract = accelerator_contract(staff)
    with pytest.raises(TypeError, match="must be Decimal or int"):
        payment_schedule(contract=contract, description="Text", amount=typed, due_on=date.today(), by=staff)
    with pytest.raises(TypeError, match="must be Decimal or int"):
        variation_approve(contract=contract, amount=typed, reason="Text", by=staff)
    assert contract.payments.count() == 0 and contract.variations.count() == 0


def test_payment_lifecycle_planned_due_paid(exploration, staff):
    contract = contract_for_engagement(engagement=exploration, by=staff)
    payment = contract.payments.get()
    with pytest.raises(DomainError, match="cannot be in the future"):
        payment_mark_paid(payment=payment, paid_on=timezone.localdate() + timedelta(days=1), by=staff)
    payment_mark_due(payment=payment, by=staff)
    with pytest.raises(DomainError, match="already due"):
        payment_mark_due(payment=payment, by=staff)
    payment_mark_paid(payment=payment, paid_on=timezone.localdate(), by=staff)
    with pytest.raises(DomainError, match="already recorded as paid"):
        payment_mark_paid(payment=payment, paid_on=timezone.localdate(), by=staff)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PAID
    actions = list(
        ModelLogEntry.objects.for_instance(contract).order_by("timestamp", "pk").values_list("action", flat=True)
    )
    assert actions == ["civtech.contract.create", "civtech.payment.schedule", "civtech.payment.due",
                       "civtech.payment.paid"]  # fmt: skip


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.APPLICANT, Role.ASSESSOR])
def test_only_staff_touch_money(exploration, staff, role):
    contract = contract_for_engagement(engagement=exploration, by=staff)
    someone = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        payment_schedule(contract=contract, description="x", amount=Decimal("1"), due_on=date.today(), by=someone)
    with pytest.raises(PermissionDenied):
        payment_mark_paid(payment=contract.payments.get(), paid_on=date.today(), by=someone)
    with pytest.raises(PermissionDenied):
        variation_approve(contract=contract, amount=Decimal("1"), reason="x", by=someone)


# --- Follow-on contracts ---------------------------------------------------------------------------
def follow_on(challenge, staff, **overrides):
    fields = {
        "challenge": challenge,
        "supplier": overrides.pop("supplier", None) or OrganisationFactory(),
        "kind": "follow_on",
        "buyer": challenge.sponsor,
        "title": "Live service",
        "value": Decimal("250000"),
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2027, 12, 31),
        "awarded_on": date(2025, 12, 1),
        "evidence": "Public Contracts Scotland notice 123456.",
        "by": staff,
    }
    return contract_record_follow_on(**(fields | overrides))


def test_a_follow_on_counts_publicly_only_once_verified(exploration, staff):
    challenge = exploration.application.challenge
    contract = follow_on(challenge, staff)
    assert contract.verified_at is None and contract.value == Decimal("250000")
    contract_verify(contract=contract, by=staff)
    contract.refresh_from_db()
    assert contract.verified_by == staff
    with pytest.raises(DomainError, match="already verified"):
        contract_verify(contract=contract, by=staff)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "exploration"}, "kind", "Choose the kind"),
        ({"buyer": None}, "buyer", "Choose the public body"),
        ({"kind": "reuse"}, "buyer", "other than the sponsor"),
        ({"kind": "private", "buyer": None}, "buyer_name", "Name the private buyer"),
        ({"title": "  "}, "title", "Give the contract a title"),
        ({"ends_on": date(2025, 1, 1)}, "ends_on", "end on or after"),
        ({"evidence": ""}, "evidence", "Say how we know"),
        ({"value": None}, "value", "Enter an amount"),
    ],
)
def test_follow_on_validation(exploration, staff, overrides, field, message):
    with pytest.raises(DomainError, match=message) as error:
        follow_on(exploration.application.challenge, staff, **overrides)
    assert error.value.field == field
    assert not Contract.objects.exclude(engagement__isnull=False).exists()


def test_reuse_and_follow_on_buyers(exploration, staff):
    challenge = exploration.application.challenge
    with pytest.raises(DomainError, match="use reuse for others"):
        follow_on(challenge, staff, buyer=PublicBodyFactory())
    reuse = follow_on(challenge, staff, kind="reuse", buyer=PublicBodyFactory())
    private = follow_on(challenge, staff, kind="private", buyer=None, buyer_name="Acme Housing Ltd")
    assert (reuse.kind, private.buyer_name) == ("reuse", "Acme Housing Ltd")
    with pytest.raises(DomainError, match="company"):
        follow_on(challenge, staff, supplier=PublicBodyFactory())


def test_a_payment_cannot_be_dated_before_its_contract_starts_and_may_be_on_the_first_day(staff):
    contract = accelerator_contract(staff)
    contract.starts_on = timezone.localdate() - timedelta(days=10)
    contract.save(update_fields=["starts_on"])
    payment = payment_schedule(
        contract=contract, description="M1", amount=Decimal("1000"), due_on=contract.starts_on, by=staff
    )
    starts = f"{contract.starts_on.day} {contract.starts_on:%B %Y}"
    with pytest.raises(DomainError, match=rf"cannot be before the contract starts \({starts}\)") as error:
        payment_mark_paid(payment=payment, paid_on=contract.starts_on - timedelta(days=1), by=staff)
    assert error.value.field == "paid_on"
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (Payment.Status.PLANNED, None)
    payment_mark_paid(payment=payment, paid_on=contract.starts_on, by=staff)  # the first day counts
    payment.refresh_from_db()
    assert (payment.status, payment.paid_on) == (Payment.Status.PAID, contract.starts_on)


# --- Contracts and payments are the CivTech team's alone: each rule, everyone, the reason -----------------------------
REASONS = {
    "contract.record": "Only the CivTech team records contracts.",
    "contract.verify": "Only the CivTech team verifies contracts.",
    "contract.vary": "Only the CivTech team approves contract variations.",
    "contract.pay": "Only the CivTech team schedules and records payments.",
}


@pytest.mark.parametrize("action", REASONS)
def test_only_programme_staff_handle_contracts_and_money(action):
    assert has_permission(action, staff_user(), None) == ALLOWED
    for who in (AnonymousUser(), make_applicant(), make_sponsor_member(PublicBodyFactory())):
        assert has_permission(action, who, None) == (False, REASONS[action])


def test_verifying_a_follow_on_is_on_the_audit_log_and_said_once(exploration, staff):
    contract = follow_on(exploration.application.challenge, staff)
    contract_verify(contract=contract, by=staff)
    entry = ModelLogEntry.objects.for_instance(contract).get(action="civtech.contract.verify")
    assert (entry.user, entry.data) == (staff, {"value": "250000.00"})
    with pytest.raises(DomainError) as refused:
        contract_verify(contract=contract, by=staff)
    assert refused.value.message == "This contract is already verified."


def test_a_tranche_becomes_due_by_staff_or_by_the_system_never_by_anyone_else(exploration, staff):
    """`by=None` is the system (a milestone's deliverables accepted); a person must be programme staff."""
    contract = contract_for_engagement(engagement=exploration, by=staff)
    payment = contract.payments.get()
    for outsider in (exploration.application.created_by, UserFactory()):
        with pytest.raises(PermissionDenied, match=r"^Only the CivTech team schedules and records payments\.$"):
            payment_mark_due(payment=payment, by=outsider)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PLANNED
    before = timezone.now()
    payment_mark_due(payment=payment, by=staff)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.DUE and before <= payment.became_due_at <= timezone.now()
    entry = ModelLogEntry.objects.for_instance(contract).get(action="civtech.payment.due")
    assert (entry.user, entry.data) == (staff, {"tranche": payment.number, "before": "planned"})
    with pytest.raises(DomainError) as refused:
        payment_mark_due(payment=payment, by=staff)
    assert refused.value.message == f"Tranche {payment.number} is already due."

    system = contract_for_engagement(engagement=make_engagement(), by=staff).payments.get()
    assert payment_mark_due(payment=system, by=None).status == Payment.Status.DUE


def test_a_follow_on_without_its_kind_is_refused_in_its_exact_words(exploration, staff):
    with pytest.raises(DomainError) as refused:
        follow_on(exploration.application.challenge, staff, kind="")
    assert (refused.value.field, refused.value.message) == ("kind", "Choose the kind of follow-on contract.")


# --- Every refusal in its exact words, every record and audit entry in full (#23) ------------------------------------
def audit_data(contract, action):
    return [(e.user, e.data) for e in ModelLogEntry.objects.for_instance(contract).filter(action=action).order_by("pk")]


def test_a_stage_contract_is_recorded_in_full_with_its_audit_entries(exploration, staff):
    contract = contract_for_engagement(engagement=exploration, by=staff)  # made when the engagement was
    contract.refresh_from_db()
    application = exploration.application
    challenge = application.challenge
    assert contract.title == f"{challenge.title}: exploration stage ({application.organisation})"
    assert (contract.challenge_id, contract.engagement.pk) == (challenge.pk, exploration.pk)
    assert (contract.value, contract.current_value) == (Decimal("5000.00"), Decimal("5000.00"))
    assert (contract.starts_on, contract.ends_on) == (exploration.starts_on, exploration.ends_on)
    assert (contract.awarded_on, contract.evidence) == (timezone.localdate(), "Awarded through the programme.")
    assert contract.verified_at is not None and contract.verified_at <= timezone.now()
    assert (contract.verified_by, contract.recorded_by) == (staff, staff)
    assert audit_data(contract, "civtech.contract.create") == [(staff, {"kind": "exploration", "value": "5000.00"})]
    (payment,) = contract.payments.all()
    assert (payment.number, payment.description) == (1, "Exploration stage")
    assert not hasattr(payment, "milestone")  # an exploration is paid in one tranche, not per milestone
    assert audit_data(contract, "civtech.payment.schedule") == [(staff, {"tranche": 1, "amount": "5000.00"})]


def test_an_accelerator_contract_starts_with_no_tranche(staff):
    contract = accelerator_contract(staff)
    assert contract.kind == "accelerator" and not contract.payments.exists()
    assert contract.title.endswith(f": accelerator stage ({contract.supplier})")


def test_a_follow_on_is_recorded_as_typed_trimmed_unverified_and_audited(exploration, staff):
    challenge = exploration.application.challenge
    contract = follow_on(
        challenge, staff, title="  Live service  ", evidence="  Notice 123.  ", value=Decimal("250000.50"),
        starts_on=date(2026, 1, 1), ends_on=date(2026, 1, 1),  # one day: ending on the start date is allowed
    )  # fmt: skip
    contract.refresh_from_db()
    assert (contract.kind, contract.buyer, contract.buyer_name) == ("follow_on", challenge.sponsor, "")
    assert (contract.title, contract.evidence) == ("Live service", "Notice 123.")
    assert (contract.value, contract.current_value) == (Decimal("250000.50"), Decimal("250000.50"))
    assert (contract.starts_on, contract.ends_on, contract.awarded_on) == (
        date(2026, 1, 1), date(2026, 1, 1), date(2025, 12, 1)
    )  # fmt: skip
    assert (contract.verified_at, contract.verified_by, contract.recorded_by) == (None, None, staff)
    assert not Engagement.objects.filter(contract=contract).exists()  # no stage engagement
    assert audit_data(contract, "civtech.contract.create") == [(staff, {"kind": "follow_on", "value": "250000.50"})]


def test_a_private_follow_on_takes_a_named_buyer_trimmed(exploration, staff):
    contract = follow_on(exploration.application.challenge, staff, kind="private", buyer=None,
                         buyer_name="  Acme Housing Ltd  ")  # fmt: skip
    assert (contract.buyer, contract.buyer_name) == (None, "Acme Housing Ltd")


def test_a_private_follow_on_may_name_its_buyer_as_an_organisation_instead(exploration, staff):
    buyer = OrganisationFactory()
    contract = follow_on(exploration.application.challenge, staff, kind="private", buyer=buyer, buyer_name="")
    assert (contract.kind, contract.buyer, contract.buyer_name) == ("private", buyer, "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": "accelerator"}, "kind", "Choose the kind of follow-on contract."),
        ({"buyer": None}, "buyer", "Choose the public body that bought it."),
        ({"kind": "reuse", "buyer": None}, "buyer", "Choose the public body that bought it."),
        ({"buyer": "company"}, "buyer", "Choose the public body that bought it."),
        ({"kind": "reuse", "buyer": "company"}, "buyer", "Choose the public body that bought it."),
        ({"buyer": "other body"}, "buyer",
         "A follow-on contract is with the challenge's sponsor; use reuse for others."),
        ({"kind": "reuse"}, "buyer", "Reuse is by a public body other than the sponsor."),
        ({"kind": "private", "buyer": None, "buyer_name": "   "}, "buyer_name", "Name the private buyer."),
        ({"supplier": "public body"}, "supplier",
         "The supplier must be the company (or individual) that built the product."),
        ({"title": " "}, "title", "Give the contract a title."),
        ({"ends_on": date(2025, 12, 31)}, "ends_on", "The contract must end on or after its start date."),
        ({"evidence": "  "}, "evidence", "Say how we know about this contract (for example a contract notice)."),
        ({"value": None}, "value", "Enter an amount in pounds, like 5000 or 5000.50."),
        ({"value": Decimal("0")}, "value", "Enter an amount of more than £0."),
        ({"value": Decimal("-1")}, "value", "Enter an amount of more than £0."),
    ],
)  # fmt: skip
def test_each_follow_on_refusal_alone_in_its_exact_words(exploration, staff, overrides, field, message):
    """One thing wrong at a time (the rest valid), so each guard must fire by itself."""
    stand_ins = {"company": OrganisationFactory, "other body": PublicBodyFactory, "public body": PublicBodyFactory}
    overrides = {k: stand_ins[v]() if isinstance(v, str) and v in stand_ins else v for k, v in overrides.items()}
    with pytest.raises(DomainError) as refused:
        follow_on(exploration.application.challenge, staff, **overrides)
    assert (refused.value.field, refused.value.message) == (field, message)
    assert not Contract.objects.filter(engagement__isnull=True).exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Enter an amount in pounds, like 5000 or 5000.50."),
        ("0.00", "Enter an amount of more than £0."),
        ("-0.01", "Enter an amount of more than £0."),
        ("1.001", "Enter an amount in pounds and pence, less than £1 trillion."),
        ("Infinity", "Enter an amount in pounds and pence, less than £1 trillion."),
        ("1000000000000", "Enter an amount in pounds and pence, less than £1 trillion."),
        ("1000000000000.00", "Enter an amount in pounds and pence, less than £1 trillion."),
    ],
)
def test_a_tranche_amount_is_refused_in_exact_words_on_its_field(staff, amount, message):
    amount = None if amount is None else Decimal(amount)
    contract = accelerator_contract(staff)
    with pytest.raises(DomainError) as refused:
        payment_schedule(contract=contract, description="Bad", amount=amount, due_on=date.today(), by=staff)
    assert (refused.value.field, refused.value.message) == ("amount", message)


@pytest.mark.parametrize(("typed", "amount"), [("£1,234.50", "1234.50"), (" 999999999999.99 ", "999999999999.99")])
def test_a_tranche_amount_may_carry_a_pound_sign_commas_and_spaces_up_to_just_under_a_trillion(staff, typed, amount):
    contract = accelerator_contract(staff)
    room = Decimal("999999999999.99") - contract.current_value  # the largest value the contract can hold
    variation_approve(contract=contract, amount=room, reason="Room for the test.", by=staff)
    read = MoneyField().clean(typed)  # as the payment form reads it
    payment = payment_schedule(contract=contract, description="Big", amount=read, due_on=contract.starts_on, by=staff)
    assert payment.amount == Decimal(amount)


def test_tranches_are_numbered_in_order_described_trimmed_and_audited(staff):
    contract = accelerator_contract(staff)
    due = contract.starts_on
    first = payment_schedule(contract=contract, description="  Alpha  ", amount=Decimal("100"), due_on=due, by=staff)
    second = payment_schedule(contract=contract, description="Beta", amount=Decimal("200.50"), due_on=due, by=None)
    assert [(p.number, p.description, p.amount, p.due_on, p.status) for p in (first, second)] == [
        (1, "Alpha", Decimal("100"), due, "planned"),
        (2, "Beta", Decimal("200.50"), due, "planned"),
    ]
    first.delete()  # numbers follow the highest, never the count
    third = payment_schedule(contract=contract, description="Gamma", amount=Decimal("1"), due_on=due, by=staff)
    assert third.number == 3
    assert audit_data(contract, "civtech.payment.schedule") == [
        (staff, {"tranche": 1, "amount": "100"}), (None, {"tranche": 2, "amount": "200.50"}),
        (staff, {"tranche": 3, "amount": "1"}),
    ]  # fmt: skip


def test_a_tranche_over_the_contract_is_refused_naming_both_totals(staff):
    contract = accelerator_contract(staff)
    value = contract.current_value
    payment_schedule(contract=contract, description="M1", amount=Decimal("1000"), due_on=contract.starts_on, by=staff)
    with pytest.raises(DomainError) as refused:
        payment_schedule(contract=contract, description="M2", amount=value, due_on=contract.starts_on, by=staff)
    assert refused.value.field == "amount"
    assert refused.value.message == (
        f"Payments would total £{value + 1000:,.2f}, more than the contracted £{value:,.2f}. "
        "Approve a variation first if the contract is to be worth more."
    )


def test_a_tranche_needs_a_description_and_a_live_contract_in_exact_words(staff):
    contract = accelerator_contract(staff)
    with pytest.raises(DomainError) as refused:
        payment_schedule(contract=contract, description="   ", amount=Decimal("1"), due_on=date.today(), by=staff)
    assert (refused.value.field, refused.value.message) == ("description", "Describe what the payment is for.")
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.TERMINATED)
    with pytest.raises(DomainError) as refused:
        payment_schedule(contract=contract, description="M1", amount=Decimal("1"), due_on=date.today(), by=None)
    assert (refused.value.field, refused.value.message) == (
        None, "This contract was terminated; no further payments can be planned."
    )  # fmt: skip
    assert not contract.payments.exists()


def test_a_variation_is_recorded_in_full_and_audited_with_the_reason_as_typed(staff):
    contract = accelerator_contract(staff)
    value = contract.current_value
    variation = variation_approve(contract=contract, amount=Decimal("1500.25"), reason="  More research.  ", by=staff)
    variation.refresh_from_db()
    assert (variation.contract_id, variation.amount, variation.reason, variation.approved_by) == (
        contract.pk, Decimal("1500.25"), "More research.", staff
    )  # fmt: skip
    contract.refresh_from_db()
    assert contract.current_value == value + Decimal("1500.25") and contract.value == value
    assert audit_data(contract, "civtech.contract.vary") == [
        (staff, {"before": str(value), "after": str(value + Decimal("1500.25")), "reason": "  More research.  "})
    ]


def test_each_variation_refusal_in_its_exact_words(staff):
    contract = accelerator_contract(staff)
    value = contract.current_value
    with pytest.raises(DomainError) as refused:
        variation_approve(contract=contract, amount=Decimal("100"), reason="  ", by=staff)
    assert (refused.value.field, refused.value.message) == ("reason", "Give the reason for the variation.")
    with pytest.raises(DomainError) as refused:
        variation_approve(contract=contract, amount=-value - 1, reason="Cancelled.", by=staff)
    assert (refused.value.field, refused.value.message) == (
        None, "The contract would be worth £-1.00; a contract must be worth more than £0."
    )  # fmt: skip
    payment_schedule(contract=contract, description="M1", amount=Decimal("2000"), due_on=contract.starts_on, by=staff)
    with pytest.raises(DomainError) as refused:
        variation_approve(contract=contract, amount=1999 - value, reason="Descoped.", by=staff)
    assert (refused.value.field, refused.value.message) == (
        "amount", "£2,000.00 is already scheduled to be paid, so the contract cannot drop to £1,999.00."
    )  # fmt: skip
    assert not contract.variations.exists()


def test_paying_a_tranche_is_audited_with_its_state_before_and_may_skip_due(exploration, staff):
    contract = contract_for_engagement(engagement=exploration, by=staff)
    Contract.objects.filter(pk=contract.pk).update(starts_on=timezone.localdate() - timedelta(days=30))
    planned = contract.payments.get()
    variation_approve(contract=contract, amount=Decimal("1"), reason="Room.", by=staff)
    other = payment_schedule(
        contract=contract, description="Extra", amount=Decimal("0.01"), due_on=date.today(), by=staff
    )
    payment_mark_due(payment=other, by=None)  # the system: no person
    payment_mark_paid(payment=planned, paid_on=timezone.localdate(), by=staff)  # planned straight to paid
    payment_mark_paid(payment=other, paid_on=timezone.localdate() - timedelta(days=3), by=None)
    paid = {p.number: (p.status, p.paid_on) for p in contract.payments.all()}
    assert paid == {1: ("paid", timezone.localdate()), 2: ("paid", timezone.localdate() - timedelta(days=3))}
    assert audit_data(contract, "civtech.payment.paid") == [
        (staff, {"tranche": 1, "before": "planned", "amount": "5000.00"}),
        (None, {"tranche": 2, "before": "due", "amount": "0.01"}),
    ]
    assert audit_data(contract, "civtech.payment.due") == [(None, {"tranche": 2, "before": "planned"})]


def test_each_payment_refusal_in_its_exact_words(exploration, staff):
    contract = contract_for_engagement(engagement=exploration, by=staff)
    Contract.objects.filter(pk=contract.pk).update(starts_on=timezone.localdate() - timedelta(days=30))
    payment = contract.payments.get()
    with pytest.raises(DomainError) as refused:
        payment_mark_paid(payment=payment, paid_on=timezone.localdate() + timedelta(days=1), by=staff)
    assert (refused.value.field, refused.value.message) == ("paid_on", "The payment date cannot be in the future.")
    payment_mark_paid(payment=payment, paid_on=timezone.localdate(), by=staff)
    with pytest.raises(DomainError) as refused:
        payment_mark_paid(payment=payment, paid_on=timezone.localdate(), by=None)
    assert (refused.value.field, refused.value.message) == (None, "Tranche 1 is already recorded as paid.")
    with pytest.raises(DomainError) as refused:
        payment_mark_due(payment=payment, by=staff)
    assert refused.value.message == "Tranche 1 is already paid."


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "Enter an amount in pounds, like 5000 or 5000.50."),
        (Decimal("0"), "Enter an amount of more than £0."),
        (Decimal("-0.001"), "Enter an amount in pounds and pence, less than £1 trillion."),
    ],
)
def test_a_variations_amount_is_refused_on_the_amount_field(staff, amount, message):
    contract = accelerator_contract(staff)
    with pytest.raises(DomainError) as refused:
        variation_approve(contract=contract, amount=amount, reason="Scope change.", by=staff)
    assert (refused.value.field, refused.value.message) == ("amount", message)
    assert not contract.variations.exists()
