"""Beat's notices about returns: requested when the period ends, reminded a week before the due date, chased
after it — each exactly once per return, to the company's members only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from impact.models import ReturnReminder
from impact.services.returns import return_submit, returns_send_notices
from impact.tasks import send_return_notices
from notifications.models import OutboundEmail
from organisations.services import membership_add
from tests.factories import GOOD_RETURN, UserFactory, make_impact_return

pytestmark = pytest.mark.django_db


def _return_due_in(cast, days: int, *, ended_days_ago: int = 1):
    today = timezone.localdate()
    return make_impact_return(
        engagement=cast.engagement,
        period_end=today - timedelta(days=ended_days_ago),
        due_on=today + timedelta(days=days),
    )


@pytest.fixture
def quiet(cast):
    """No returns but those a test makes (the cast's own return would be requested too)."""
    cast.impact_return.delete()
    cast.other_return.delete()
    return cast


def test_each_notice_goes_once_to_each_member_however_often_beat_runs(quiet, on_commit):
    colleague = UserFactory()
    membership_add(organisation=quiet.engagement.application.organisation, user=colleague, role="member", by=None)
    requested = _return_due_in(quiet, 20)
    with on_commit():
        assert send_return_notices.delay().get() == {"request": 1, "reminder": 0, "overdue": 0}
    with on_commit():
        assert send_return_notices.delay().get() == {"request": 0, "reminder": 0, "overdue": 0}
    emails = OutboundEmail.objects.all()
    assert sorted(e.to for e in emails) == sorted([quiet.team.email, colleague.email])
    assert all("Impact return requested: Rural bus demand" in e.subject for e in emails)
    assert f"/returns/{requested.pk}/" in emails[0].body_text
    assert list(ReturnReminder.objects.values_list("kind", flat=True)) == ["request"]


def test_the_notice_follows_the_calendar(quiet):
    r = _return_due_in(quiet, 20)
    today = timezone.localdate()
    assert returns_send_notices(today=today)["request"] == 1
    assert returns_send_notices(today=r.due_on - timedelta(days=8)) == {"request": 0, "reminder": 0, "overdue": 0}
    assert returns_send_notices(today=r.due_on - timedelta(days=7))["reminder"] == 1
    assert returns_send_notices(today=r.due_on)["reminder"] == 0  # already reminded
    assert returns_send_notices(today=r.due_on + timedelta(days=1))["overdue"] == 1
    assert returns_send_notices(today=r.due_on + timedelta(days=40))["overdue"] == 0
    assert sorted(ReturnReminder.objects.values_list("kind", flat=True)) == ["overdue", "reminder", "request"]
    assert OutboundEmail.objects.filter(to=quiet.team.email).count() == 3
    assert not OutboundEmail.objects.exclude(to=quiet.team.email).exists()  # never the sponsor or another team


def test_returns_not_yet_ended_or_already_submitted_are_left_alone(quiet):
    today = timezone.localdate()
    make_impact_return(engagement=quiet.engagement, period_end=today, due_on=today + timedelta(days=30))
    done = _return_due_in(quiet, 3, ended_days_ago=10)
    return_submit(impact_return=done, by=quiet.team, figures=GOOD_RETURN)
    assert returns_send_notices(today=today) == {"request": 0, "reminder": 0, "overdue": 0}
    assert not OutboundEmail.objects.exists()


def test_a_return_found_overdue_gets_only_the_overdue_notice(quiet):
    _return_due_in(quiet, -5, ended_days_ago=60)
    assert returns_send_notices() == {"request": 0, "reminder": 0, "overdue": 1}
    assert "was due on" in OutboundEmail.objects.get().body_text
