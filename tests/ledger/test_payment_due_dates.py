"""A payment cannot fall due before its contract starts: the same rule, in the same words, as the date it is paid."""

from datetime import timedelta
from decimal import Decimal

import pytest

from civtech.errors import DomainError
from ledger.models import Payment
from ledger.services import payment_schedule
from sprints.services.engagements import contract_for_engagement
from tests.factories import make_engagement, staff_user

pytestmark = pytest.mark.django_db


def test_a_payment_may_fall_due_on_the_day_its_contract_starts_and_not_the_day_before():
    staff = staff_user()
    contract = contract_for_engagement(engagement=make_engagement(stage="accelerator", by=staff), by=staff)
    starts = f"{contract.starts_on.day} {contract.starts_on:%B %Y}"
    with pytest.raises(DomainError) as error:
        payment_schedule(contract=contract, description="M1", amount=Decimal("1000"),
                         due_on=contract.starts_on - timedelta(days=1), by=staff)  # fmt: skip
    assert error.value.message == f"The due date cannot be before the contract starts ({starts})."
    assert error.value.field == "due_on"
    assert not contract.payments.exists()

    payment = payment_schedule(
        contract=contract, description="M1", amount=Decimal("1000"), due_on=contract.starts_on, by=staff
    )
    assert (payment.due_on, payment.status) == (contract.starts_on, Payment.Status.PLANNED)


def test_a_milestone_due_before_the_contract_starts_is_refused_on_its_date():
    """Planning a milestone plans its tranche: the refusal names the milestone's date, and no milestone is left."""
    from decimal import Decimal

    from sprints.services import milestone_plan

    staff = staff_user()
    engagement = make_engagement(stage="accelerator", by=staff)
    starts = engagement.contract.starts_on
    with pytest.raises(DomainError) as error:
        milestone_plan(engagement=engagement, by=staff, title="Alpha", due_on=starts - timedelta(days=1),
                       tranche_amount=Decimal("1000"))  # fmt: skip
    assert (error.value.field, error.value.message) == (
        "due_on", f"The due date cannot be before the contract starts ({starts.day} {starts:%B %Y})."
    )  # fmt: skip
    assert not engagement.milestones.exists()
    milestone = milestone_plan(engagement=engagement, by=staff, title="Alpha", due_on=starts,
                               tranche_amount=Decimal("1000"))  # fmt: skip
    assert milestone.payment.due_on == starts
