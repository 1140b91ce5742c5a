"""Contracts and payments at their limits, each guard alone (#23).

Tranches may add up to exactly the contracted value (not a penny more); a variation may bring the value down to
exactly what is scheduled (not a penny below) but never to £0; a terminated contract takes no new tranche.
"""

from decimal import Decimal

import pytest
from django.utils import timezone

from civtech.errors import DomainError
from ledger.models import Contract, Payment
from ledger.services import payment_schedule, variation_approve
from sprints.services.engagements import contract_for_engagement
from tests.factories import make_engagement, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return staff_user()


@pytest.fixture
def contract(staff):
    """An exploration contract (£5,000) with nothing scheduled, starting today."""
    made = contract_for_engagement(engagement=make_engagement(by=staff), by=staff)
    made.payments.all().delete()
    Contract.objects.filter(pk=made.pk).update(starts_on=timezone.localdate())
    made.refresh_from_db()
    assert made.current_value == Decimal("5000")
    return made


def schedule(contract, staff, amount):
    return payment_schedule(
        contract=contract, description="Tranche", amount=Decimal(amount), due_on=timezone.localdate(), by=staff
    )


def test_tranches_may_add_up_to_exactly_the_contracted_value(contract, staff):
    schedule(contract, staff, "4999.99")
    schedule(contract, staff, "0.01")
    assert contract.scheduled_total() == Decimal("5000")


def test_a_tranche_one_penny_over_the_contracted_value_is_refused(contract, staff):
    schedule(contract, staff, "4999.99")
    with pytest.raises(DomainError, match="more than the contracted"):
        schedule(contract, staff, "0.02")
    assert contract.payments.count() == 1


def test_a_variation_may_bring_the_value_down_to_exactly_what_is_scheduled(contract, staff):
    schedule(contract, staff, "3000")
    variation_approve(contract=contract, amount=Decimal("-2000"), reason="Descoped.", by=staff)
    contract.refresh_from_db()
    assert contract.current_value == Decimal("3000")


def test_a_variation_one_penny_below_what_is_scheduled_is_refused(contract, staff):
    schedule(contract, staff, "3000")
    with pytest.raises(DomainError, match="already scheduled to be paid"):
        variation_approve(contract=contract, amount=Decimal("-2000.01"), reason="Descoped.", by=staff)
    contract.refresh_from_db()
    assert contract.current_value == Decimal("5000")


def test_a_variation_to_exactly_nothing_is_refused_even_with_nothing_scheduled(contract, staff):
    with pytest.raises(DomainError, match="must be worth more than £0"):
        variation_approve(contract=contract, amount=Decimal("-5000"), reason="Cancelled.", by=staff)
    variation_approve(contract=contract, amount=Decimal("-4999.99"), reason="Nearly cancelled.", by=staff)
    contract.refresh_from_db()
    assert contract.current_value == Decimal("0.01")


@pytest.mark.parametrize("status", [Contract.Status.ACTIVE, Contract.Status.COMPLETED])
def test_contracts_not_terminated_take_new_tranches(contract, staff, status):
    Contract.objects.filter(pk=contract.pk).update(status=status)
    assert schedule(contract, staff, "100").status == Payment.Status.PLANNED


def test_a_terminated_contract_takes_no_new_tranche_even_with_value_left(contract, staff):
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.TERMINATED)
    with pytest.raises(DomainError, match="terminated"):
        schedule(contract, staff, "100")
    assert not contract.payments.exists()
