"""The returns schedule, against dates worked out by hand (month ends and a leap year included)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from impact.models import ImpactReturn
from impact.services.returns import add_months, returns_schedule
from sprints.models import Engagement
from tests.factories import make_engagement

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")


def _pin(engagement: Engagement, *, starts_on: date, selected: date) -> Engagement:
    Engagement.objects.filter(pk=engagement.pk).update(
        starts_on=starts_on, created_at=datetime.combine(selected, datetime.min.time(), UK) + timedelta(hours=10)
    )
    engagement.refresh_from_db()
    return engagement


def _rows(returns):
    return [(r.kind, r.period_start, r.period_end, r.due_on) for r in returns]


@pytest.fixture
def accelerator():
    """An accelerator team whose exploration started 2 March 2026 (selected 10 February), its accelerator
    20 April, and the round's accelerator ending at noon on 31 August 2026 (UK time)."""
    engagement = make_engagement(stage="accelerator")
    ImpactReturn.objects.all().delete()  # whatever engagement creation scheduled, with today's dates
    explorer = Engagement.objects.get(application=engagement.application, stage=Engagement.Stage.EXPLORATION)
    _pin(explorer, starts_on=date(2026, 3, 2), selected=date(2026, 2, 10))
    _pin(engagement, starts_on=date(2026, 4, 20), selected=date(2026, 4, 10))
    round_ = engagement.application.challenge.round
    round_.accelerator_end = datetime(2026, 8, 31, 12, tzinfo=UK)
    round_.save()
    return explorer, engagement


def test_months_are_added_to_the_same_day_clipped_to_the_month_end():
    assert add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)
    assert add_months(date(2026, 3, 2), -12) == date(2025, 3, 2)
    assert add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_an_exploration_team_gets_a_baseline_for_the_year_to_its_start(accelerator):
    explorer, _ = accelerator
    assert _rows(returns_schedule(engagement=explorer)) == [
        # The year to 2 March. Selected 10 February + 30 days is 12 March, but the return opens only when its
        # period ends (1 March), so it is due 14 days after that: 15 March.
        ("baseline", date(2025, 3, 2), date(2026, 3, 1), date(2026, 3, 15)),
    ]


def test_the_baseline_is_due_30_days_after_selection_when_that_is_later():
    engagement = make_engagement()
    ImpactReturn.objects.all().delete()
    _pin(engagement, starts_on=date(2026, 3, 2), selected=date(2026, 2, 25))
    [baseline] = returns_schedule(engagement=engagement)
    assert baseline.due_on == date(2026, 3, 27)  # 25 February + 30 days


def test_an_accelerator_team_reports_every_six_months_for_three_years_after_the_accelerator(accelerator):
    explorer, engagement = accelerator
    returns_schedule(engagement=explorer)
    assert _rows(returns_schedule(engagement=engagement)) == [
        # Periods follow on from the baseline (which ended 1 March 2026) with no gap and no overlap.
        ("periodic", date(2026, 3, 2), date(2027, 2, 28), date(2027, 3, 30)),
        ("periodic", date(2027, 3, 1), date(2027, 8, 31), date(2027, 9, 30)),
        ("periodic", date(2027, 9, 1), date(2028, 2, 29), date(2028, 3, 30)),
        ("periodic", date(2028, 3, 1), date(2028, 8, 31), date(2028, 9, 30)),
        ("periodic", date(2028, 9, 1), date(2029, 2, 28), date(2029, 3, 30)),
        ("periodic", date(2029, 3, 1), date(2029, 8, 31), date(2029, 9, 30)),
    ]
    assert ImpactReturn.objects.filter(kind="baseline").count() == 1  # one baseline per team, not per stage


def test_a_team_joining_the_accelerator_directly_gets_its_baseline_there(accelerator):
    _, engagement = accelerator
    returns = returns_schedule(engagement=engagement)
    assert _rows(returns)[0] == ("baseline", date(2025, 4, 20), date(2026, 4, 19), date(2026, 5, 10))
    assert returns[1].period_start == date(2026, 4, 20)
    assert len(returns) == 7


def test_the_interval_and_years_come_from_the_round(accelerator):
    explorer, engagement = accelerator
    round_ = engagement.application.challenge.round
    round_.return_interval_months, round_.return_years = 4, 1
    round_.save()
    returns_schedule(engagement=explorer)
    assert [r.period_end for r in returns_schedule(engagement=engagement)] == [
        date(2026, 12, 31),
        date(2027, 4, 30),
        date(2027, 8, 31),
    ]


def test_the_schedule_is_idempotent(accelerator):
    explorer, engagement = accelerator
    returns_schedule(engagement=explorer)
    first = [r.pk for r in returns_schedule(engagement=engagement)]
    assert [r.pk for r in returns_schedule(engagement=engagement)] == first
    returns_schedule(engagement=explorer)
    assert ImpactReturn.objects.count() == 7
    returned = returns_schedule(engagement=engagement)
    assert all(r.organisation_id == engagement.application.organisation_id for r in returned)
