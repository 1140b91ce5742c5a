"""Every impact rule for every kind of person, in one table, and every refusal says why."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civtech.permissions import ALLOWED, has_permission
from impact.models import Benefit
from impact.services.benefits import benefit_record
from impact.services.returns import return_submit
from tests.factories import GOOD_RETURN

from .test_benefits import SAVING

pytestmark = pytest.mark.django_db

# who → (return.view, return.submit, return.correct, return.verify, benefit.record, benefit.view, benefit.edit,
#        benefit.verify); the return is submitted, the benefit awaits verification.
EXPECTED = {
    "anonymous": (False, False, False, False, False, False, False, False),
    "stranger": (False, False, False, False, False, False, False, False),
    "team": (True, True, True, False, False, False, False, False),
    "other_team": (False, False, False, False, False, False, False, False),
    "sponsor": (False, False, False, False, True, True, True, False),
    "other_sponsor": (False, False, False, False, False, False, False, False),
    "staff": (True, False, True, True, True, True, True, True),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_permission_table(cast, who):
    user = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    impact_return = return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_RETURN)
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    checks = [
        ("impact_return.view", impact_return), ("impact_return.submit", impact_return),
        ("impact_return.correct", impact_return), ("impact_return.verify", impact_return),
        ("benefit.record", cast.challenge), ("benefit.view", benefit), ("benefit.edit", benefit),
        ("benefit.verify", benefit),
    ]  # fmt: skip
    results = [has_permission(action, user, obj) for action, obj in checks]
    assert tuple(allowed for allowed, _ in results) == EXPECTED[who]
    assert all(allowed or reason.endswith(".") for allowed, reason in results)


# --- Each refusal alone, with its exact reason (mutation testing, docs/testing.md) ------------------------------------
def ask(action, user, obj):
    return has_permission(action, user, obj)


def test_seeing_a_return(cast):
    impact_return = cast.impact_return
    assert ask("impact_return.view", AnonymousUser(), impact_return) == (False, "Sign in to see this impact return.")
    for outsider in (cast.stranger, cast.other_team, cast.sponsor):
        assert ask("impact_return.view", outsider, impact_return) == (
            False, "You can only see your own organisation's impact returns.",
        )  # fmt: skip
    assert ask("impact_return.view", cast.team, impact_return) == ALLOWED
    assert ask("impact_return.view", cast.staff, impact_return) == ALLOWED


def test_submitting_a_return_each_refusal_alone(cast):
    impact_return = cast.impact_return  # its period ended last week; not submitted, not verified
    assert ask("impact_return.submit", cast.team, impact_return) == ALLOWED
    for outsider in (AnonymousUser(), cast.other_team, cast.staff):
        assert ask("impact_return.submit", outsider, impact_return) == (
            False, "Only members of the company can submit its impact return.",
        )  # fmt: skip
    impact_return.verified_at = timezone.now()
    assert ask("impact_return.submit", cast.team, impact_return) == (
        False, "This return has been verified. To change a figure, correct it and say why.",
    )  # fmt: skip


def test_a_return_can_be_submitted_from_the_day_after_its_period_ends(cast):
    impact_return = cast.impact_return
    today = timezone.localdate()
    impact_return.period_end = today
    assert ask("impact_return.submit", cast.team, impact_return) == (
        False, f"You can submit this return once its period ends on {today:%-d %B %Y}.",
    )  # fmt: skip
    impact_return.period_end = today - timedelta(days=1)
    assert ask("impact_return.submit", cast.team, impact_return) == ALLOWED


def test_correcting_a_return_each_refusal_alone(cast):
    impact_return = cast.impact_return
    impact_return.submitted_at = timezone.now()
    for who in (cast.team, cast.staff):
        assert ask("impact_return.correct", who, impact_return) == ALLOWED
    for outsider in (AnonymousUser(), cast.other_team, cast.sponsor):
        assert ask("impact_return.correct", outsider, impact_return) == (
            False, "Only members of the company or the CivTech team can correct this impact return.",
        )  # fmt: skip
    impact_return.submitted_at = None
    assert ask("impact_return.correct", cast.team, impact_return) == (
        False, "This return has not been submitted yet, so there is nothing to correct.",
    )  # fmt: skip


def test_verifying_a_return_each_refusal_alone(cast):
    impact_return = cast.impact_return
    impact_return.submitted_at = timezone.now()
    assert ask("impact_return.verify", cast.staff, impact_return) == ALLOWED
    for outsider in (AnonymousUser(), cast.team, cast.sponsor):
        assert ask("impact_return.verify", outsider, impact_return) == (
            False, "Only the CivTech team verifies impact returns.",
        )  # fmt: skip
    impact_return.submitted_at = None
    assert ask("impact_return.verify", cast.staff, impact_return) == (False, "This return has not been submitted yet.")
    impact_return.submitted_at = impact_return.verified_at = timezone.now()
    assert ask("impact_return.verify", cast.staff, impact_return) == (False, "This return is already verified.")


@pytest.fixture
def benefit(cast):
    return benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)


@pytest.mark.parametrize(
    ("action", "signed_out", "outsider"),
    [
        ("benefit.view", "Sign in to see this benefit.", "You can only see benefits your own organisation recorded."),
        ("benefit.edit", "Sign in to change this benefit.", "Only members of the sponsor can change its benefits."),
    ],
)
def test_seeing_and_changing_a_benefit(cast, benefit, action, signed_out, outsider):
    assert ask(action, AnonymousUser(), benefit) == (False, signed_out)
    for who in (cast.stranger, cast.other_sponsor, cast.team):
        assert ask(action, who, benefit) == (False, outsider)
    assert ask(action, cast.sponsor, benefit) == ALLOWED
    assert ask(action, cast.staff, benefit) == ALLOWED


def test_recording_a_benefit(cast):
    assert ask("benefit.record", AnonymousUser(), cast.challenge) == (False, "Sign in to record a benefit.")
    for who in (cast.stranger, cast.other_sponsor, cast.team):
        assert ask("benefit.record", who, cast.challenge) == (
            False, "Only members of the challenge's sponsor can record its benefits.",
        )  # fmt: skip
    assert ask("benefit.record", cast.sponsor, cast.challenge) == ALLOWED
    assert ask("benefit.record", cast.staff, cast.challenge) == ALLOWED


def test_verifying_a_benefit_each_refusal_alone(cast, benefit):
    assert ask("benefit.verify", cast.staff, benefit) == ALLOWED
    for who in (AnonymousUser(), cast.sponsor):
        assert ask("benefit.verify", who, benefit) == (False, "Only the CivTech team verifies benefits.")
    for status, shown in [(Benefit.Status.VERIFIED, "verified"), (Benefit.Status.REJECTED, "not verified")]:
        benefit.status = status
        assert ask("benefit.verify", cast.staff, benefit) == (
            False, f"This benefit is {shown}, so there is nothing to decide.",
        )  # fmt: skip


def test_a_user_object_without_is_authenticated_is_signed_out(cast):
    assert ask("impact_return.view", None, cast.impact_return) == (False, "Sign in to see this impact return.")
