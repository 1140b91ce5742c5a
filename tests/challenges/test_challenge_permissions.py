"""The challenge.* rules, for every kind of person, in one table (allowed and refused alike)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from challenges.models import Round
from civtech.permissions import has_permission, registered_actions
from tests.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, UserFactory, make_challenge

pytestmark = pytest.mark.django_db

# who → (ask while questions are open, ask after they close, answer, follow)
EXPECTED = {
    "anonymous": (False, False, False, False),
    "applicant": (True, False, False, True),
    "sponsor_member": (False, False, True, True),
    "sponsor_of_other_body": (True, False, False, True),
    "programme_staff": (True, False, True, True),
    "superuser": (True, False, True, True),
}


@pytest.fixture
def challenges():
    sponsor = PublicBodyFactory()
    open_ = make_challenge(sponsor=sponsor, title="Open for questions")
    closed = make_challenge(sponsor=sponsor, title="Questions closed")
    Round.objects.filter(pk=closed.round_id).update(questions_close=timezone.now() - timedelta(minutes=1))
    closed.round.refresh_from_db()
    return sponsor, open_, closed


@pytest.fixture
def people(challenges):
    sponsor, _, _ = challenges
    superuser = UserFactory()
    superuser.is_superuser = True
    superuser.save()
    return {
        "anonymous": AnonymousUser(),
        "applicant": MembershipFactory(organisation=OrganisationFactory(), user=UserFactory(role=Role.APPLICANT)).user,
        "sponsor_member": MembershipFactory(organisation=sponsor, user=UserFactory(role=Role.SPONSOR)).user,
        "sponsor_of_other_body": MembershipFactory(
            organisation=PublicBodyFactory(), user=UserFactory(role=Role.SPONSOR)
        ).user,
        "programme_staff": UserFactory(role=Role.PROGRAMME_STAFF),
        "superuser": superuser,
    }


def test_the_challenge_rules_are_registered():
    assert {"challenge.ask", "challenge.answer", "challenge.follow"} <= set(registered_actions())


@pytest.mark.parametrize("who", EXPECTED)
def test_permission_table(challenges, people, who):
    _, open_, closed = challenges
    user = people[who]
    got = (
        has_permission("challenge.ask", user, open_)[0],
        has_permission("challenge.ask", user, closed)[0],
        has_permission("challenge.answer", user, open_)[0],
        has_permission("challenge.follow", user, open_)[0],
    )
    assert got == EXPECTED[who]


def test_every_refusal_says_why(challenges, people):
    _, open_, closed = challenges
    for user in people.values():
        for action, challenge in [
            ("challenge.ask", open_),
            ("challenge.ask", closed),
            ("challenge.answer", open_),
            ("challenge.follow", open_),
        ]:
            allowed, reason = has_permission(action, user, challenge)
            assert allowed or (reason and reason.endswith(".")), (action, reason)


def test_questions_close_at_the_deadline_itself(people):
    challenge = make_challenge()
    applicant = people["applicant"]
    Round.objects.filter(pk=challenge.round_id).update(questions_close=timezone.now() + timedelta(seconds=30))
    challenge.round.refresh_from_db()
    assert has_permission("challenge.ask", applicant, challenge) == (True, "")
    Round.objects.filter(pk=challenge.round_id).update(questions_close=timezone.now())
    challenge.round.refresh_from_db()
    assert has_permission("challenge.ask", applicant, challenge) == (
        False,
        "Clarification questions for this challenge are closed.",
    )


def test_no_questions_before_the_call_opens_or_after_a_challenge_is_stopped(people):
    applicant = people["applicant"]
    upcoming = make_challenge(title="Not open yet", round=None)
    Round.objects.filter(pk=upcoming.round_id).update(call_opens=timezone.now() + timedelta(days=1))
    upcoming.round.refresh_from_db()
    assert has_permission("challenge.ask", applicant, upcoming)[0] is False

    stopped = make_challenge(title="Stopped early")
    stopped.stopped_at = timezone.now()
    assert has_permission("challenge.ask", applicant, stopped)[0] is False


def test_the_reasons_people_see(challenges, people):
    _, open_, _ = challenges
    assert has_permission("challenge.ask", people["anonymous"], open_)[1] == "Sign in to ask a clarification question."
    assert has_permission("challenge.ask", people["sponsor_member"], open_)[1].startswith("You work for the sponsor")
    assert has_permission("challenge.answer", people["sponsor_of_other_body"], open_)[1] == (
        "Only the challenge's sponsor or the CivTech team can answer its questions."
    )
    assert has_permission("challenge.follow", people["anonymous"], open_)[1] == "Sign in to follow this challenge."


def test_signed_out_people_are_asked_to_sign_in_to_answer(challenges):
    _, open_, _ = challenges
    assert has_permission("challenge.answer", AnonymousUser(), open_) == (
        False, "Sign in to answer clarification questions.",
    )  # fmt: skip


def test_questions_are_not_yet_open_until_the_instant_the_call_opens(people, monkeypatch):
    """Before the call opens, the refusal says when questions open; from the opening instant on it no longer can
    (here a round whose questions close as the call opens, so they are never open)."""
    applicant = people["applicant"]
    challenge = make_challenge()
    opens = timezone.now().replace(microsecond=0) + timedelta(days=3)
    Round.objects.filter(pk=challenge.round_id).update(call_opens=opens, questions_close=opens)
    challenge.round.refresh_from_db()
    monkeypatch.setattr(timezone, "now", lambda: opens - timedelta(microseconds=1))
    day = f"{timezone.localtime(opens):%-d %B %Y}"
    assert has_permission("challenge.ask", applicant, challenge) == (
        False, f"Clarification questions open with the call on {day}.",
    )  # fmt: skip
    monkeypatch.setattr(timezone, "now", lambda: opens)
    assert has_permission("challenge.ask", applicant, challenge) == (
        False, "Clarification questions for this challenge are closed.",
    )  # fmt: skip
