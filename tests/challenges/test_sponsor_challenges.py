"""A sponsor's challenges by where they are: draft, with sponsor sign-off, with programme approval, live, closed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from challenges.selectors import SponsorState, sponsor_challenges_by_state
from organisations.models import Membership
from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def body():
    return PublicBodyFactory(name="Transport Scotland")


@pytest.fixture
def signer(body):
    from organisations.services import membership_add

    user = make_sponsor_member(PublicBodyFactory())  # a sponsor elsewhere too, which must not matter
    membership_add(organisation=body, user=user, role=Membership.Role.ADMIN, by=None)
    return user


def submit(challenge, by):
    challenge.get_workflow().start(challenge, by)
    challenge.refresh_from_db()
    return challenge


def titles(user) -> dict[str, list[str]]:
    return {state.value: [c.title for c in challenges] for state, challenges in sponsor_challenges_by_state(user)}


def test_each_challenge_is_in_one_state(body, signer):
    author = make_sponsor_member(body)
    make_challenge(sponsor=body, title="Being written", live=False)
    submit(make_challenge(sponsor=body, title="Awaiting sign-off", live=False), author)
    at_approval = submit(make_challenge(sponsor=body, title="Awaiting approval", live=False), author)
    at_approval.current_workflow_task_state.approve(user=signer)
    sent_back = submit(make_challenge(sponsor=body, title="Sent back", live=False), author)
    sent_back.current_workflow_task_state.reject(user=signer)
    make_challenge(sponsor=body, title="Open now")
    make_challenge(sponsor=body, title="Opens next month", round=make_round(opened_days_ago=-30))
    make_challenge(sponsor=body, title="Call closed", round=make_round(opened_days_ago=60))
    make_challenge(sponsor=body, title="Taken down").unpublish(set_expired=True)
    make_challenge(title="Another body's challenge")

    assert titles(author) == {
        "draft": ["Being written", "Sent back"],
        "sign_off": ["Awaiting sign-off"],
        "approval": ["Awaiting approval"],
        "live": ["Open now", "Opens next month"],
        "closed": ["Call closed", "Taken down"],
    }


def test_a_live_challenges_new_version_is_in_the_approval_step_it_is_at(body, signer):
    author = make_sponsor_member(body)
    live = make_challenge(sponsor=body, title="Open now")
    live.summary = "A clearer summary."
    live.save_revision(user=author)
    submit(live, author)
    assert titles(author)["sign_off"] == ["Open now"]


def test_an_approved_challenge_waiting_for_its_time_counts_as_live(body, signer):
    author = make_sponsor_member(body)
    waiting = make_challenge(sponsor=body, title="Goes live later", live=False)
    waiting.go_live_at = timezone.now() + timedelta(days=2)
    waiting.save_revision(user=author)
    submit(waiting, author)
    waiting.current_workflow_task_state.approve(user=signer)
    waiting.refresh_from_db()
    waiting.current_workflow_task_state.approve(user=staff_user())
    waiting.refresh_from_db()
    assert not waiting.live
    assert titles(author)["live"] == ["Goes live later"]


def test_one_query_however_many_challenges(body, django_assert_max_num_queries):
    author = make_sponsor_member(body)
    submit(make_challenge(sponsor=body, title="Awaiting sign-off", live=False), author)
    with CaptureQueriesContext(connection) as one:
        sponsor_challenges_by_state(author)
    for n in range(4):
        make_challenge(sponsor=body, title=f"Draft {n}", live=False)
        submit(make_challenge(sponsor=body, title=f"Submitted {n}", live=False), author)
        make_challenge(sponsor=body, title=f"Live {n}")
    with django_assert_max_num_queries(len(one)):
        groups = sponsor_challenges_by_state(author)
    assert [len(challenges) for _, challenges in groups] == [4, 5, 0, 4, 0]
    assert [state for state, _ in groups] == list(SponsorState)
