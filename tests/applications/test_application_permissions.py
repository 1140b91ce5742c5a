"""Who may start, see and change an application: one table, allowed and refused alike."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.roles import Role
from applications.models import Application, Assignment
from applications.services import application_submit
from challenges.models import Round
from civtech.permissions import ALLOWED, has_permission
from organisations.services import membership_add
from tests.factories import (
    ALL_DECLARED,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

# who → (start, view, edit) while the call is open
OPEN = {
    "anonymous": (False, False, False),
    "owner": (True, True, True),
    "colleague": (True, True, True),
    "other_company": (True, False, False),
    "sponsor_of_this_challenge": (False, False, False),
    "sponsor_of_another": (False, False, False),
    "no_organisation": (False, False, False),
    "programme_staff": (False, True, False),
}
# after the call closes: sponsors of the challenge may read submitted applications; nobody may edit
CLOSED_VIEW = {"sponsor_of_this_challenge": True, "sponsor_of_another": False, "owner": True, "other_company": False}


@pytest.fixture
def people():
    sponsor = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor)
    application = make_application(challenge=challenge)
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    sponsor_user = UserFactory(role=Role.SPONSOR)
    membership_add(organisation=sponsor, user=sponsor_user, role="member", by=None)
    other_sponsor = UserFactory(role=Role.SPONSOR)
    membership_add(organisation=PublicBodyFactory(), user=other_sponsor, role="member", by=None)
    return application, {
        "anonymous": AnonymousUser(),
        "owner": application.created_by,
        "colleague": make_applicant(organisation=application.organisation),
        "other_company": make_applicant(),
        "sponsor_of_this_challenge": sponsor_user,
        "sponsor_of_another": other_sponsor,
        "no_organisation": UserFactory(),
        "programme_staff": UserFactory(role=Role.PROGRAMME_STAFF),
    }


@pytest.mark.parametrize("who", OPEN)
def test_while_the_call_is_open(people, who):
    application, users = people
    user = users[who]
    got = tuple(
        has_permission(action, user, obj)[0]
        for action, obj in [
            ("application.start", application.challenge),
            ("application.view", application),
            ("application.edit", application),
        ]
    )
    assert got == OPEN[who]


@pytest.mark.parametrize("who", CLOSED_VIEW)
def test_after_the_call_closes(people, who):
    application, users = people
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    application.challenge.round.refresh_from_db()
    assert has_permission("application.view", users[who], application)[0] is CLOSED_VIEW[who]
    allowed, reason = has_permission("application.edit", users[who], application)
    assert not allowed and reason


def test_sponsors_never_see_drafts(people):
    _, users = people
    draft = make_application(challenge=people[0].challenge)
    Round.objects.filter(pk=draft.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    draft.challenge.round.refresh_from_db()
    allowed, reason = has_permission("application.view", users["sponsor_of_this_challenge"], draft)
    assert not allowed
    assert reason == "Draft applications are private to the applicant."


# --- Each refusal alone with its exact reason, time rules at the instant (mutation testing, docs/testing.md) ----------
CLOSES = datetime(2027, 3, 15, 12, 0, tzinfo=ZoneInfo("Europe/London"))
NOT_STARTED = "Assessment starts when the call closes, at 12:00pm on Monday 15 March 2027 (UK time)."
BEFORE, AT = CLOSES - timedelta(microseconds=1), CLOSES


@pytest.fixture
def world(monkeypatch):
    sponsor = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor)
    application = make_application(challenge=challenge)
    # The whole timetable moved, so the call closes at CLOSES and everything else keeps its place around it.
    shift = CLOSES - challenge.round.call_closes
    timetable = {f: getattr(challenge.round, f) for f in Round.SEQUENCE if getattr(challenge.round, f) is not None}
    Round.objects.filter(pk=challenge.round_id).update(**{f: value + shift for f, value in timetable.items()})
    challenge.round.refresh_from_db()
    application.challenge.round.refresh_from_db()
    application.status = Application.Status.SUBMITTED
    application.save(update_fields=["status"])
    assessor = UserFactory(role=Role.ASSESSOR)
    staff = staff_user()
    assignment = Assignment.objects.create(application=application, assessor=assessor, assigned_by=staff)
    clock = {"now": BEFORE}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    return {
        "clock": clock,
        "challenge": challenge,
        "application": application,
        "assignment": assignment,
        "owner": application.created_by,
        "sponsor": make_sponsor_member(sponsor),
        "assessor": assessor,
        "staff": staff,
        "other_company": make_applicant(),
    }


def test_starting_an_application_each_refusal_alone(world):
    challenge = world["challenge"]
    assert has_permission("application.start", world["other_company"], challenge) == ALLOWED
    assert has_permission("application.start", AnonymousUser(), challenge) == (False, "Sign in to apply.")
    for nobody in (UserFactory(), world["sponsor"]):  # no organisation; only a public body
        assert has_permission("application.start", nobody, challenge) == (
            False, "Register your company (or yourself as an individual) before you apply.",
        )  # fmt: skip
    world["clock"]["now"] = AT
    assert has_permission("application.start", world["other_company"], challenge) == (
        False, "This challenge is not open for applications.",
    )  # fmt: skip


def test_seeing_an_application(world):
    application = world["application"]
    refused = (False, "You can only see your own organisation's applications.")
    assert has_permission("application.view", AnonymousUser(), application) == (
        False,
        "Sign in to see this application.",
    )
    assert has_permission("application.view", world["owner"], application) == ALLOWED
    assert has_permission("application.view", world["staff"], application) == ALLOWED
    assert has_permission("application.view", world["other_company"], application) == refused
    assert has_permission("application.view", UserFactory(role=Role.ASSESSOR), application) == refused  # unassigned


def test_a_sponsor_sees_submitted_applications_from_the_instant_the_call_closes_never_drafts(world):
    application, sponsor = world["application"], world["sponsor"]
    assert has_permission("application.view", sponsor, application) == (
        False, "Sponsors see applications only after the call closes.",
    )  # fmt: skip
    world["clock"]["now"] = AT
    assert has_permission("application.view", sponsor, application) == ALLOWED
    application.status = Application.Status.DRAFT
    assert has_permission("application.view", sponsor, application) == (
        False, "Draft applications are private to the applicant.",
    )  # fmt: skip


def test_an_assessor_sees_the_application_after_declaring_no_conflict_once_the_call_closes(world):
    application, assignment, assessor = world["application"], world["assignment"], world["assessor"]
    world["clock"]["now"] = AT
    assert has_permission("application.view", assessor, application) == (
        False, "Declare any conflict of interest before you see this application.",
    )  # fmt: skip
    Assignment.objects.filter(pk=assignment.pk).update(has_conflict=False)
    assert has_permission("application.view", assessor, application) == ALLOWED
    world["clock"]["now"] = BEFORE
    assert has_permission("application.view", assessor, application) == (False, NOT_STARTED)
    Assignment.objects.filter(pk=assignment.pk).update(has_conflict=True)
    for now in (BEFORE, AT):
        world["clock"]["now"] = now
        assert has_permission("application.view", assessor, application) == (
            False, "You declared a conflict of interest, so you cannot see this application.",
        )  # fmt: skip


def test_changing_an_application_each_refusal_alone_and_to_the_instant_of_the_deadline(world):
    application, owner = world["application"], world["owner"]
    assert has_permission("application.edit", owner, application) == ALLOWED
    for outsider in (AnonymousUser(), world["other_company"], world["staff"], world["sponsor"]):
        assert has_permission("application.edit", outsider, application) == (
            False, "Only members of the applying organisation can change this application.",
        )  # fmt: skip
    for status, shown in [(Application.Status.WITHDRAWN, "withdrawn"), (Application.Status.SELECTED,
                                                                        "selected for exploration")]:  # fmt: skip
        application.status = status
        assert has_permission("application.edit", owner, application) == (
            False, f"This application is {shown}, so it can no longer change.",
        )  # fmt: skip
    application.status = Application.Status.DRAFT
    assert has_permission("application.edit", owner, application) == ALLOWED
    world["clock"]["now"] = AT
    assert has_permission("application.edit", owner, application) == (
        False, "The deadline has passed, so this application can no longer change.",
    )  # fmt: skip


def test_assigning_and_moderating(world):
    application, challenge, staff = world["application"], world["challenge"], world["staff"]
    assert has_permission("assessment.assign", staff, application) == ALLOWED
    for who in (world["sponsor"], world["assessor"], AnonymousUser()):
        assert has_permission("assessment.assign", who, application) == (
            False,
            "Only the CivTech team assigns assessors.",
        )
        assert has_permission("assessment.moderate", who, challenge) == (
            False, "Only the CivTech team moderates scores and makes decisions.",
        )  # fmt: skip
    assert has_permission("assessment.moderate", staff, challenge) == (
        False, "Applications can be moderated only after the call closes.",
    )  # fmt: skip
    world["clock"]["now"] = AT
    assert has_permission("assessment.moderate", staff, challenge) == ALLOWED


def test_declaring_each_refusal_alone(world):
    assignment, assessor = world["assignment"], world["assessor"]
    assert has_permission("assessment.declare", assessor, assignment) == (False, NOT_STARTED)
    world["clock"]["now"] = AT
    assert has_permission("assessment.declare", assessor, assignment) == ALLOWED
    for who in (AnonymousUser(), UserFactory(role=Role.ASSESSOR), world["staff"]):
        assert has_permission("assessment.declare", who, assignment) == (
            False, "Only the assessor this application was assigned to can declare for it.",
        )  # fmt: skip
    assignment.application.status = Application.Status.WITHDRAWN
    assert has_permission("assessment.declare", assessor, assignment) == (
        False, "The applicant withdrew this application, so there is nothing to assess.",
    )  # fmt: skip
    for declared in (False, True):
        assignment.has_conflict = declared
        assert has_permission("assessment.declare", assessor, assignment) == (
            False, "You have already made your declaration for this application.",
        )  # fmt: skip


def test_scoring_each_refusal_alone(world):
    assignment, assessor = world["assignment"], world["assessor"]
    assignment.has_conflict = False
    assert has_permission("assessment.score", assessor, assignment) == (False, NOT_STARTED)
    world["clock"]["now"] = AT
    assert has_permission("assessment.score", assessor, assignment) == ALLOWED
    for who in (AnonymousUser(), UserFactory(role=Role.ASSESSOR), world["staff"]):
        assert has_permission("assessment.score", who, assignment) == (
            False, "Only the assessor this application was assigned to can score it.",
        )  # fmt: skip
    assignment.has_conflict = None
    assert has_permission("assessment.score", assessor, assignment) == (
        False, "Declare any conflict of interest before you score this application.",
    )  # fmt: skip
    assignment.has_conflict = True
    assert has_permission("assessment.score", assessor, assignment) == (
        False, "You declared a conflict of interest, so you cannot score this application.",
    )  # fmt: skip
    assignment.has_conflict = False
    assignment.submitted_at = timezone.now()
    assert has_permission("assessment.score", assessor, assignment) == (
        False, "You have already submitted your scores for this application.",
    )  # fmt: skip
    assignment.submitted_at = None
    assignment.application.status = Application.Status.WITHDRAWN
    assert has_permission("assessment.score", assessor, assignment) == (
        False, "The applicant withdrew this application, so there is nothing to assess.",
    )  # fmt: skip
