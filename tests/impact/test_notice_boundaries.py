"""Which notice a return gets, to the day (#23): the request until eight days before the due date, the reminder
from seven days before up to and including the due date itself, the overdue notice only from the day after."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from impact.models import ReturnReminder
from impact.services.returns import notice_due

DUE = date(2026, 6, 30)
Kind = ReturnReminder.Kind


@pytest.mark.parametrize(
    ("days_from_due", "kind"),
    [(-30, Kind.REQUEST), (-8, Kind.REQUEST), (-7, Kind.REMINDER), (-1, Kind.REMINDER), (0, Kind.REMINDER),
     (1, Kind.OVERDUE), (40, Kind.OVERDUE)],
)  # fmt: skip
def test_the_notice_for_each_day_around_the_due_date(days_from_due, kind):
    assert notice_due(SimpleNamespace(due_on=DUE), DUE + timedelta(days=days_from_due)) == kind
