"""The workspace rules asked directly: for each rule, everyone who might ask, with the exact reason each refused
person sees; an engagement that has ended refuses every change, each rule alone; a pitch is scored once, until
the decision."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civtech.permissions import ALLOWED, has_permission
from sprints.models import Engagement, Pitch, PitchScore
from tests.factories import add_pitch_criteria

pytestmark = pytest.mark.django_db

PEOPLE = ["anonymous", "stranger", "team", "other_team", "sponsor", "other_sponsor", "staff"]
VIEW = "Only the team, the challenge's sponsor and the CivTech team can see this workspace."
REPORT = "Only members of the team can do this."
REVIEW = "Only the challenge's sponsor can accept deliverables or request changes."
PLAN = "Only the sponsor and the CivTech team can change the plan."
MANAGE = "Only the CivTech team can do this."
LESSON = "Only the team and the sponsor record their lessons."
OK = ""

# rule → what each person in PEOPLE gets: "" for allowed, else the reason.
TABLE = {
    "engagement.view": ["Sign in to see this workspace.", VIEW, OK, VIEW, OK, VIEW, OK],
    "engagement.collaborate": ["Sign in to see this workspace.", VIEW, OK, VIEW, OK, VIEW, OK],
    "engagement.report": [REPORT, REPORT, OK, REPORT, REPORT, REPORT, REPORT],
    "engagement.review": [REVIEW, REVIEW, REVIEW, REVIEW, OK, REVIEW, REVIEW],
    "engagement.plan": [PLAN, PLAN, PLAN, PLAN, OK, PLAN, OK],
    "engagement.manage": [MANAGE, MANAGE, MANAGE, MANAGE, MANAGE, MANAGE, OK],
    "lesson.record": [LESSON, LESSON, OK, LESSON, OK, LESSON, LESSON],
}


def person(ws, who):
    return AnonymousUser() if who == "anonymous" else getattr(ws, who)


@pytest.mark.parametrize("action", TABLE)
def test_each_rule_for_everyone_with_the_reason(ws, action):
    got = {who: has_permission(action, person(ws, who), ws.engagement) for who in PEOPLE}
    expected = {
        who: (ALLOWED if reason == OK else (False, reason)) for who, reason in zip(PEOPLE, TABLE[action], strict=True)
    }
    assert got == expected


@pytest.mark.parametrize(
    ("status", "shown"), [(Engagement.Status.COMPLETED, "completed"), (Engagement.Status.ENDED, "ended early")]
)
@pytest.mark.parametrize(
    ("action", "who"),
    [("engagement.collaborate", "team"), ("engagement.collaborate", "sponsor"), ("engagement.report", "team"),
     ("engagement.review", "sponsor"), ("engagement.plan", "staff"), ("engagement.plan", "sponsor")],
)  # fmt: skip
def test_an_engagement_that_has_ended_can_no_longer_change(ws, status, shown, action, who):
    engagement = ws.engagement
    engagement.status = status
    assert has_permission(action, person(ws, who), engagement) == (
        False, f"This engagement is {shown}, so it can no longer change.",
    )  # fmt: skip
    # Seeing it, managing it and recording its lessons go on.
    assert has_permission("engagement.view", person(ws, who), engagement) == ALLOWED
    assert has_permission("engagement.manage", ws.staff, engagement) == ALLOWED


def test_a_pitch_is_scored_by_the_sponsor_and_staff_once_each_until_it_is_decided(ws):
    pitch = Pitch.objects.create(engagement=ws.engagement, summary="Go on", submitted_by=ws.team)
    refused = (False, "Only the sponsor and the CivTech team score pitches.")
    for who in ("anonymous", "stranger", "team", "other_team", "other_sponsor"):
        assert has_permission("pitch.score", person(ws, who), pitch) == refused, who
    assert has_permission("pitch.score", ws.sponsor, pitch) == ALLOWED
    assert has_permission("pitch.score", ws.staff, pitch) == ALLOWED

    criterion = add_pitch_criteria(ws.challenge.round)[0]
    PitchScore.objects.create(pitch=pitch, scorer=ws.sponsor, criterion=criterion, value=3)
    assert has_permission("pitch.score", ws.sponsor, pitch) == (False, "You have already scored this pitch.")
    assert has_permission("pitch.score", ws.staff, pitch) == ALLOWED  # another scorer's score is not theirs

    for progressed in (True, False):
        pitch.progressed = progressed
        assert has_permission("pitch.score", ws.staff, pitch) == (
            False, "The pitches for this challenge have been decided.",
        )  # fmt: skip
