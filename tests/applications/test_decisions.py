"""Shortlist → interview → selection: the transition table, limits, feedback, audit and decision emails."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from accounts.models import User
from accounts.roles import Role
from applications.models import Application, Decision
from applications.services.assessment import assignment_create, assignment_declare, criteria_for
from applications.services.decisions import (
    interview_invite,
    moderation_record,
    selection_decide,
    shortlist_decide,
)
from challenges.models import ChallengePage
from civtech.errors import DomainError
from organisations.services import membership_add
from tests.applications.evaluation import closed_challenge_with, score
from tests.conftest import built_for_module
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db
Status = Application.Status


def moderate(application, staff, *, stage="application", feedback="Clear idea, but the route to market is thin."):
    score(application, [3] * len(criteria_for(application, stage)), by_staff=staff, stage=stage)
    return moderation_record(
        application=application,
        stage=stage,
        score=Decimal("60"),
        rationale="Panel agreed.",
        feedback=feedback,
        by=staff,
    )


def statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


def build_four() -> tuple[int, int, list[int]]:
    staff = staff_user()
    challenge, applications = closed_challenge_with(4)
    for application in applications:
        moderate(application, staff)
    return staff.pk, challenge.pk, [application.pk for application in applications]


@pytest.fixture(scope="module")
def four_built(django_db_setup, django_db_blocker):
    """Built once for the module (about 1.3 s through the services); each test reads it in a savepoint."""
    with built_for_module(django_db_blocker, build_four) as built:
        yield built


@pytest.fixture
def four(four_built):
    """A challenge with four submitted, moderated applications (feedback written for each), read afresh."""
    staff_pk, challenge_pk, pks = four_built
    applications = [Application.objects.get(pk=pk) for pk in pks]
    return User.objects.get(pk=staff_pk), ChallengePage.objects.get(pk=challenge_pk), applications


def test_shortlisting_moves_every_submitted_application_and_tells_each_team(four, on_commit):
    staff, challenge, (a, b, c, d) = four
    colleague = UserFactory()
    membership_add(organisation=c.organisation, user=colleague, role="member", by=None)
    with on_commit():
        decisions = shortlist_decide(challenge=challenge, chosen=[a.pk, b.pk], by=staff)
    assert len(decisions) == 4
    assert statuses([a, b, c, d]) == [Status.SHORTLISTED, Status.SHORTLISTED, Status.UNSUCCESSFUL, Status.UNSUCCESSFUL]
    to = sorted(address for message in mail.outbox for address in message.to)
    expected = sorted([a.created_by.email, b.created_by.email, c.created_by.email, colleague.email, d.created_by.email])
    assert to == expected  # every member of every applicant, once
    unsuccessful = next(m for m in mail.outbox if c.created_by.email in m.to)
    assert "not been shortlisted" in unsuccessful.body
    assert "Clear idea, but the route to market is thin." in unsuccessful.body
    shortlisted = next(m for m in mail.outbox if a.created_by.email in m.to)
    assert shortlisted.subject.endswith(f"Shortlisted: {challenge.title} ({a.reference})")
    assert Decision.objects.get(application=c).feedback == "Clear idea, but the route to market is thin."
    entries = ModelLogEntry.objects.filter(action="civtech.decision.record", object_id=str(c.pk))
    assert entries.get().data == {"point": "shortlist", "before": "submitted", "after": "unsuccessful"}


def test_a_decision_is_made_once(four):
    staff, challenge, (a, *_) = four
    shortlist_decide(challenge=challenge, chosen=[a.pk], by=staff)
    with pytest.raises(DomainError, match="No applications to this challenge are waiting for a shortlisting"):
        shortlist_decide(challenge=challenge, chosen=[a.pk], by=staff)
    assert Decision.objects.filter(application=a).count() == 1


def test_the_shortlist_is_limited_by_the_round(four):
    staff, challenge, applications = four
    challenge.round.shortlist_count = 3
    challenge.round.save()
    with pytest.raises(DomainError, match=r"no more than 3 .* you chose 4"):
        shortlist_decide(challenge=challenge, chosen=[a.pk for a in applications], by=staff)
    with pytest.raises(DomainError, match="Choose at least one"):
        shortlist_decide(challenge=challenge, chosen=[], by=staff)
    assert statuses(applications) == [Status.SUBMITTED] * 4  # nothing moved


def test_only_this_challenges_waiting_applications_can_be_chosen(four):
    staff, challenge, (a, *_) = four
    _, (elsewhere,) = closed_challenge_with(1, title="Another challenge")
    with pytest.raises(DomainError, match="Choose only from the applications waiting"):
        shortlist_decide(challenge=challenge, chosen=[a.pk, elsewhere.pk], by=staff)


def test_nobody_is_turned_down_without_feedback():
    staff = staff_user()
    challenge, (a, b, c) = closed_challenge_with(3)
    moderate(a, staff)
    moderate(b, staff, feedback="")
    with pytest.raises(DomainError, match=f"every application you do not shortlist: {b.reference}, {c.reference}"):
        shortlist_decide(challenge=challenge, chosen=[a.pk], by=staff)
    assert statuses([a, b, c]) == [Status.SUBMITTED] * 3


def test_withdrawn_applications_are_not_candidates(four):
    staff, challenge, (a, b, c, d) = four
    Application.objects.filter(pk=d.pk).update(status=Status.WITHDRAWN)
    shortlist_decide(challenge=challenge, chosen=[a.pk], by=staff)
    assert statuses([b, c, d]) == [Status.UNSUCCESSFUL, Status.UNSUCCESSFUL, Status.WITHDRAWN]


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.ASSESSOR, Role.APPLICANT])
def test_only_programme_staff_decide(four, role):
    _, challenge, (a, *_) = four
    with pytest.raises(PermissionDenied):
        shortlist_decide(challenge=challenge, chosen=[a.pk], by=UserFactory(role=role))


# --- Interviews ----------------------------------------------------------------------------------
@pytest.fixture
def shortlisted(four):
    staff, challenge, (a, b, c, d) = four
    shortlist_decide(challenge=challenge, chosen=[a.pk, b.pk, c.pk], by=staff)
    mail.outbox.clear()
    return staff, challenge, [Application.objects.get(pk=x.pk) for x in (a, b, c, d)]


def test_interview_invitation_within_the_rounds_dates(shortlisted, on_commit):
    staff, challenge, (a, *_) = shortlisted
    at = challenge.round.interviews_start + timedelta(hours=2)
    with on_commit():
        interview_invite(application=a, at=at, details="Room 3, CodeBase, Edinburgh", by=staff)
    a.refresh_from_db()
    assert (a.status, a.interview_at, a.interview_details) == (Status.INTERVIEW, at, "Room 3, CodeBase, Edinburgh")
    (message,) = mail.outbox
    assert "Room 3, CodeBase, Edinburgh" in message.body and message.subject.startswith("[")


@pytest.mark.parametrize("offset", [timedelta(seconds=-1), None])
def test_interview_outside_the_rounds_dates_is_refused(shortlisted, offset):
    staff, challenge, (a, *_) = shortlisted
    round_ = challenge.round
    at = round_.interviews_start + offset if offset else round_.interviews_end + timedelta(seconds=1)
    with pytest.raises(DomainError, match="the round's interview dates") as error:
        interview_invite(application=a, at=at, details="Online", by=staff)
    assert error.value.field == "at"
    a.refresh_from_db()
    assert a.status == Status.SHORTLISTED and a.interview_at is None


def test_interview_needs_a_place_and_a_shortlisted_team(shortlisted):
    staff, challenge, (a, _b, _c, d) = shortlisted
    at = challenge.round.interviews_start
    with pytest.raises(DomainError, match="Say where the interview is"):
        interview_invite(application=a, at=at, details=" ", by=staff)
    with pytest.raises(DomainError, match="is unsuccessful, so it cannot become invited to interview"):
        interview_invite(application=d, at=at, details="Online", by=staff)


def test_interview_scoring_uses_the_interview_criteria(shortlisted):
    staff, _challenge, (a, _b, _c, d) = shortlisted
    names = [c.name for c in criteria_for(a, "interview")]
    assert names == ["Team skills and experience", "Culture and ethos", "Equality and diversity",
                     "Environmental sustainability"]  # fmt: skip
    score(a, [5, 4, 4, 4], by_staff=staff, stage="interview")
    with pytest.raises(DomainError, match="cannot be assessed at the interview stage"):
        assignment_create(application=d, assessor=UserFactory(role=Role.ASSESSOR), by=staff, stage="interview")


def test_an_assessor_conflicted_at_application_stage_cannot_interview(shortlisted):
    staff, _challenge, (a, *_) = shortlisted
    assessor = UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=a, assessor=assessor, by=staff)
    assignment_declare(assignment=assignment, by=assessor, has_conflict=True, details="Shareholder.")
    with pytest.raises(DomainError, match="declared a conflict of interest"):
        assignment_create(application=a, assessor=assessor, by=staff, stage="interview")


# --- Selection -----------------------------------------------------------------------------------
@pytest.fixture
def interviewed(shortlisted):
    staff, challenge, (a, b, c, d) = shortlisted
    for application in (a, b):
        interview_invite(application=application, at=challenge.round.interviews_start, details="Online", by=staff)
        moderate(application, staff, stage="interview", feedback="Good team; less clear on sustainability.")
    mail.outbox.clear()
    return staff, challenge, [Application.objects.get(pk=x.pk) for x in (a, b, c, d)]


def test_selection_for_exploration(interviewed, on_commit):
    staff, challenge, (a, b, c, d) = interviewed
    with on_commit():
        selection_decide(challenge=challenge, chosen=[a.pk], by=staff)
    assert statuses([a, b, c, d]) == [Status.SELECTED, Status.UNSUCCESSFUL, Status.UNSUCCESSFUL, Status.UNSUCCESSFUL]
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {a.created_by.email, b.created_by.email, c.created_by.email}  # d was told before
    assert "selected to explore" in by_address[a.created_by.email].body
    # b was interviewed: its interview feedback; c was shortlisted but not interviewed: its application feedback
    assert "less clear on sustainability" in by_address[b.created_by.email].body
    assert "route to market is thin" in by_address[c.created_by.email].body
    assert "not been selected for the exploration stage" in by_address[c.created_by.email].body
    assert list(Decision.objects.filter(application=a).values_list("point", flat=True)) == [
        "shortlist", "interview", "selection"
    ]  # fmt: skip


def test_only_interviewed_teams_are_selected(interviewed):
    staff, challenge, (a, _b, c, _d) = interviewed
    with pytest.raises(DomainError, match=f"Invite to interview first: {c.reference}"):
        selection_decide(challenge=challenge, chosen=[a.pk, c.pk], by=staff)


def test_selection_is_limited_by_the_round(interviewed):
    staff, challenge, (a, b, *_) = interviewed
    challenge.round.exploration_teams = 1
    challenge.round.accelerator_teams = 1
    challenge.round.save()
    with pytest.raises(DomainError, match="no more than 1"):
        selection_decide(challenge=challenge, chosen=[a.pk, b.pk], by=staff)


def test_moderation_closes_once_its_decision_is_made(interviewed):
    staff, challenge, (a, *_) = interviewed
    with pytest.raises(DomainError, match="moderation is closed"):
        moderation_record(application=a, stage="application", score=Decimal("99"), rationale="Late change", by=staff)
    selection_decide(challenge=challenge, chosen=[a.pk], by=staff)
    with pytest.raises(DomainError, match="moderation is closed"):
        moderation_record(application=a, stage="interview", score=Decimal("99"), rationale="Late change", by=staff)
