"""Helpers for evaluation tests: submitted applications to a challenge whose call has closed, and scoring."""

from datetime import timedelta

from django.utils import timezone

from accounts.roles import Role
from applications.models import Application
from applications.services import application_submit
from applications.services.assessment import assignment_create, assignment_declare, criteria_for, scores_submit
from challenges.models import Round
from tests.factories import ALL_DECLARED, UserFactory, make_application, make_challenge


def close_call(round_: Round) -> Round:
    """Move the call's close into the past, as if the deadline had just gone by (later stages stay ahead)."""
    now = timezone.now()
    Round.objects.filter(pk=round_.pk).update(
        call_opens=now - timedelta(days=30),
        questions_close=now - timedelta(days=9),
        call_closes=now - timedelta(hours=1),
    )
    round_.refresh_from_db()
    return round_


def closed_challenge_with(n: int, **challenge_fields) -> tuple[object, list[Application]]:
    """A challenge with `n` submitted applications whose call has now closed."""
    challenge = make_challenge(**challenge_fields)
    applications = []
    for _ in range(n):
        application = make_application(challenge=challenge)
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
        application.refresh_from_db()
        applications.append(application)
    close_call(challenge.round)
    challenge.refresh_from_db()
    return challenge, applications


def score(application: Application, values: list[int], *, by_staff, assessor=None, stage="application"):
    """Assign an assessor (new unless given), declare no conflict and submit `values` in criterion order."""
    assessor = assessor or UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=application, assessor=assessor, by=by_staff, stage=stage)
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    criteria = criteria_for(application, stage)
    assert len(values) == len(criteria)
    scores_submit(
        assignment=assignment,
        by=assessor,
        scores={c.pk: (v, f"{c.name}: {v}") for c, v in zip(criteria, values, strict=True)},
    )
    return assessor
