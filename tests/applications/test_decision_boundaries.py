"""Decisions at their limits, and decisions already final never decided again (#23).

The round's numbers are tried at N (allowed) beside the existing N+1 tests; an application already turned down
or already selected is never a candidate again, so a candidates filter that wrongly includes a final state fails.
"""

from datetime import timedelta

import pytest

from applications.models import Application, Decision
from applications.services.decisions import interview_invite, selection_decide, shortlist_decide
from civtech.errors import DomainError
from tests.applications.test_decisions import four, four_built, interviewed, shortlisted, statuses  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Application.Status


def test_the_shortlist_may_hold_exactly_the_rounds_number(four):  # noqa: F811
    staff, challenge, (a, b, c, d) = four
    challenge.round.shortlist_count = 3
    challenge.round.save()
    shortlist_decide(challenge=challenge, chosen=[a.pk, b.pk, c.pk], by=staff)
    assert statuses([a, b, c, d]) == [Status.SHORTLISTED] * 3 + [Status.UNSUCCESSFUL]


def test_selection_may_take_exactly_the_rounds_number(interviewed):  # noqa: F811
    staff, challenge, (a, b, *_) = interviewed
    challenge.round.exploration_teams = 2
    challenge.round.accelerator_teams = 1
    challenge.round.save()
    selection_decide(challenge=challenge, chosen=[a.pk, b.pk], by=staff)
    assert statuses([a, b]) == [Status.SELECTED, Status.SELECTED]


def test_a_team_turned_down_at_shortlisting_cannot_be_selected(interviewed):  # noqa: F811
    staff, challenge, (a, _b, _c, d) = interviewed
    assert Application.objects.get(pk=d.pk).status == Status.UNSUCCESSFUL
    with pytest.raises(DomainError, match="Choose only from the applications waiting"):
        selection_decide(challenge=challenge, chosen=[a.pk, d.pk], by=staff)
    assert not Decision.objects.filter(application=d, point=Decision.Point.SELECTION).exists()


def test_a_shortlisting_already_made_is_not_made_again(four):  # noqa: F811
    staff, challenge, (a, b, *_) = four
    shortlist_decide(challenge=challenge, chosen=[a.pk], by=staff)
    with pytest.raises(DomainError, match="No applications to this challenge are waiting"):
        shortlist_decide(challenge=challenge, chosen=[b.pk], by=staff)
    assert Decision.objects.filter(application=b, point=Decision.Point.SHORTLIST).count() == 1


def test_a_selection_already_made_is_not_made_again(interviewed):  # noqa: F811
    staff, challenge, (a, b, *_) = interviewed
    selection_decide(challenge=challenge, chosen=[a.pk], by=staff)
    for chosen in ([a.pk], [b.pk]):
        with pytest.raises(DomainError, match="No applications to this challenge are waiting"):
            selection_decide(challenge=challenge, chosen=chosen, by=staff)
    assert Decision.objects.filter(application=a, point=Decision.Point.SELECTION).count() == 1
    assert Application.objects.get(pk=b.pk).status == Status.UNSUCCESSFUL


# --- The interview window's edges, at the exact instant ---------------------------------------------
@pytest.mark.parametrize("edge", ["interviews_start", "interviews_end"])
def test_an_interview_may_be_booked_at_the_exact_first_and_last_instant_of_the_window(shortlisted, edge):  # noqa: F811
    staff, challenge, (a, *_) = shortlisted
    at = getattr(challenge.round, edge)
    interview_invite(application=a, at=at, details="Online", by=staff)
    a.refresh_from_db()
    assert (a.status, a.interview_at) == (Status.INTERVIEW, at)


@pytest.mark.parametrize(("edge", "step"), [("interviews_start", -1), ("interviews_end", 1)])
def test_an_interview_a_microsecond_outside_the_window_is_refused(shortlisted, edge, step):  # noqa: F811
    staff, challenge, (a, *_) = shortlisted
    round_ = challenge.round
    at = getattr(round_, edge) + timedelta(microseconds=step)
    with pytest.raises(DomainError) as error:
        interview_invite(application=a, at=at, details="Online", by=staff)
    assert error.value.field == "at"
    assert error.value.message == (
        f"Choose a time between {round_.interviews_start:%-d %B %Y, %H:%M} and "
        f"{round_.interviews_end:%-d %B %Y, %H:%M} (the round's interview dates)."
    )
    a.refresh_from_db()
    assert (a.status, a.interview_at) == (Status.SHORTLISTED, None)
