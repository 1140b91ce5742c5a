"""A challenge's status at every date boundary, in Python (derive_status) and in SQL (status_filter)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from challenges.models import ChallengePage
from challenges.selectors import status_counts
from challenges.status import BOUNDARIES, Status, derive_status, status_filter
from tests.factories import make_challenge, make_round

SECOND = timedelta(seconds=1)
ORDER = [status for status, _ in BOUNDARIES]
# (status that begins at the boundary, the round field it begins at, the status just before it)
EDGES = [(status, field, ORDER[i - 1]) for i, (status, field) in enumerate(BOUNDARIES) if field]


def _round_dates(round_) -> SimpleNamespace:
    return SimpleNamespace(**{field: getattr(round_, field) for field in round_.SEQUENCE})


@pytest.fixture
def round_(db):
    return make_round(opened_days_ago=7)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "field", "before"), EDGES, ids=[field for _, field, _ in EDGES])
def test_derive_status_one_second_before_at_and_after_each_boundary(round_, status, field, before):
    moment = getattr(round_, field)
    assert derive_status(round_, moment - SECOND) == before
    assert derive_status(round_, moment) == status
    assert derive_status(round_, moment + SECOND) == status


@pytest.mark.django_db
def test_stopping_a_challenge_completes_it_from_the_moment_it_stopped(round_):
    stopped_at = round_.call_opens + timedelta(days=2)
    assert derive_status(round_, stopped_at - SECOND, stopped_at) == Status.OPEN
    assert derive_status(round_, stopped_at, stopped_at) == Status.COMPLETED
    assert derive_status(round_, stopped_at + SECOND, stopped_at) == Status.COMPLETED
    # Even before the call would have closed, or before it opened.
    assert derive_status(round_, round_.call_opens - SECOND, round_.call_opens - 2 * SECOND) == Status.COMPLETED


def _moments(round_, stopped_at=None):
    moments = []
    for _, field in BOUNDARIES[1:]:
        moment = getattr(round_, field)
        moments += [moment - SECOND, moment, moment + SECOND]
    if stopped_at:
        moments += [stopped_at - SECOND, stopped_at, stopped_at + SECOND]
    return sorted(moments)


def _statuses_in_sql(challenge, now) -> set[Status]:
    queryset = ChallengePage.objects.filter(pk=challenge.pk)
    return {status for status in Status if queryset.filter(status_filter(status, now)).exists()}


@pytest.mark.django_db
@pytest.mark.parametrize("stopped", [False, True], ids=["running", "stopped-early"])
def test_sql_status_filter_agrees_with_python_at_every_boundary(round_, stopped):
    challenge = make_challenge(round=round_)
    stopped_at = None
    if stopped:
        stopped_at = round_.call_closes + timedelta(days=3)
        ChallengePage.objects.filter(pk=challenge.pk).update(stopped_at=stopped_at)
        challenge.refresh_from_db()
    for now in _moments(round_, stopped_at):
        expected = derive_status(_round_dates(round_), now, stopped_at)
        assert challenge.status_at(now) == expected
        # Exactly one status matches in SQL, and it is the one Python derives.
        assert _statuses_in_sql(challenge, now) == {expected}, now
        counts = status_counts(ChallengePage.objects.filter(pk=challenge.pk), now)
        assert counts == {status.value: int(status == expected) for status in Status}, now


@pytest.mark.django_db
def test_each_status_has_a_tag_colour_and_label(round_):
    challenge = make_challenge(round=round_)
    assert challenge.status == Status.OPEN
    assert challenge.status_colour == "green"
    assert challenge.status.label == "Open for applications"
