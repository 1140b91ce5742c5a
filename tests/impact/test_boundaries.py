"""Impact figures at their boundaries and with every state present (#23).

"Late" means due before today (not due today); a company is stale when its latest submitted figures ended more
than 365 days ago (exactly 365 is not stale); money paid counts only payments marked paid (not planned, not due);
gross jobs add safeguarded jobs to created ones. Each case is hand-computed.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from impact.models import Assumptions, ImpactReturn
from impact.reporting import headline, net_impact, quality_flags
from impact.selectors import late_returns, stale_returns
from ledger.models import Contract, Payment
from ledger.services import payment_schedule
from sprints.services.engagements import contract_for_engagement
from tests.factories import make_engagement, make_impact_return, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def engagement():
    started = make_engagement(by=staff_user())
    started.impact_returns.all().delete()  # the schedule is tested elsewhere; these tests set their own dates
    return started


def periodic(engagement, *, period_end, due_on, submitted=False):
    return make_impact_return(
        engagement=engagement,
        kind=ImpactReturn.Kind.PERIODIC,
        period_end=period_end,
        due_on=due_on,
        submitted_at=timezone.now() if submitted else None,
    )


# --- Late: due before today, not due today -----------------------------------------------------------------
def test_a_return_due_today_is_not_late_and_one_due_yesterday_is(engagement, today):
    due_today = periodic(engagement, period_end=today - timedelta(days=40), due_on=today)
    due_yesterday = periodic(engagement, period_end=today - timedelta(days=41), due_on=today - timedelta(days=1))
    assert list(late_returns(today)) == [due_yesterday]
    assert due_today not in late_returns(today)
    assert quality_flags()["missing_returns"] == 1


def test_a_submitted_return_past_its_due_date_is_not_late(engagement, today):
    periodic(engagement, period_end=today - timedelta(days=60), due_on=today - timedelta(days=30), submitted=True)
    assert not late_returns(today).exists()
    assert quality_flags()["missing_returns"] == 0


# --- Stale: a period that ends today has not ended; 365 days is the edge ------------------------------------
def test_a_period_ending_today_has_not_ended_so_is_not_stale(engagement, today):
    periodic(engagement, period_end=today, due_on=today + timedelta(days=30))
    assert not stale_returns(today).exists()


def test_a_period_that_ended_yesterday_unsubmitted_is_stale(engagement, today):
    ended = periodic(engagement, period_end=today - timedelta(days=1), due_on=today + timedelta(days=29))
    assert list(stale_returns(today)) == [ended]


@pytest.mark.parametrize(("days", "stale"), [(365, 0), (366, 1)])
def test_a_company_is_stale_only_when_its_figures_are_more_than_365_days_old(engagement, today, days, stale):
    periodic(
        engagement, period_end=today - timedelta(days=days), due_on=today - timedelta(days=days - 30), submitted=True
    )
    periodic(engagement, period_end=today - timedelta(days=31), due_on=today - timedelta(days=1))  # overdue
    assert quality_flags()["stale_companies"] == stale


def test_a_company_with_old_figures_but_nothing_overdue_is_not_stale(engagement, today):
    periodic(engagement, period_end=today - timedelta(days=400), due_on=today - timedelta(days=370), submitted=True)
    periodic(engagement, period_end=today - timedelta(days=30), due_on=today)  # due today: not yet overdue
    assert quality_flags()["stale_companies"] == 0


# --- Money paid: only payments marked paid -----------------------------------------------------------------
def test_prototype_paid_counts_paid_tranches_only_never_planned_or_due(engagement, today):
    staff = staff_user()
    contract = contract_for_engagement(engagement=engagement, by=staff)
    Contract.objects.filter(pk=contract.pk).update(starts_on=today)
    contract.payments.all().delete()
    amounts = {
        Payment.Status.PLANNED: Decimal(1000),
        Payment.Status.DUE: Decimal(2000),
        Payment.Status.PAID: Decimal(300),
    }
    for status, amount in amounts.items():
        tranche = payment_schedule(contract=contract, description=status, amount=amount, due_on=today, by=staff)
        Payment.objects.filter(pk=tranche.pk).update(status=status, paid_on=today if status == "paid" else None)
    assert headline(public=False)["prototype_paid"] == Decimal("300")


# --- Net impact: safeguarded jobs count with created ones ----------------------------------------------------
def test_gross_jobs_add_safeguarded_to_created_and_every_input_reaches_its_figure():
    assumed = Assumptions(
        leakage=Decimal("0.125"),
        displacement=Decimal("0.2"),
        substitution=Decimal("0.05"),
        multiplier=Decimal("1.25"),
        deadweight=Decimal("0.35"),
    )
    factor = Decimal("0.875") * Decimal("0.8") * Decimal("0.95") * Decimal("1.25") * Decimal("0.65")
    assert factor == Decimal("0.5403125")
    net = net_impact(
        {
            "jobs_created": 5,
            "jobs_safeguarded": 3,
            "prototype_funding": Decimal("400000"),
            "follow_on_value": Decimal("100000"),
            "investment": Decimal("80000"),
            "savings": Decimal("50000"),
        },
        assumed,
    )
    assert net.gross_jobs == 8
    assert net.net_jobs == Decimal("4.3225")  # 8 × 0.5403125
    assert net.cost_per_net_job == Decimal(400000) / Decimal("4.3225")
    assert net.net_investment == Decimal("43225")  # 80,000 × 0.5403125
    assert net.net_follow_on == Decimal("54031.25")
    assert net.benefit_cost_ratio == Decimal("0.125")  # 50,000 / 400,000
    assert net.leverage == Decimal("0.25")  # 100,000 / 400,000
