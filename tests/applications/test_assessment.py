"""Assessors: assigned by staff, declare conflicts before seeing anything, score independently."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from applications.assessment import (
    assignment_create,
    assignment_declare,
    assignments_create_for_challenge,
    criteria_for,
    scores_submit,
    scores_visible_to,
)
from applications.services import application_submit
from civtech.errors import DomainError
from civtech.permissions import has_permission
from tests.factories import ALL_DECLARED, UserFactory, make_application, make_challenge, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    application = make_application()
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    return application


def full_marks(application, value=4):
    return {c.pk: (value, f"Comment on {c.name}") for c in criteria_for(application)}


def test_an_assessor_sees_nothing_until_they_declare_no_conflict(client, submitted, on_commit):
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    with on_commit():
        assignment = assignment_create(application=submitted, assessor=assessor, by=staff_user())
    assert mail.outbox[-1].to == [assessor.email]
    allowed, reason = has_permission("application.view", assessor, submitted)
    assert not allowed and reason == "Declare any conflict of interest before you see this application."
    client.force_login(assessor)
    assert client.get(reverse("applications:overview", args=[submitted.pk])).status_code == 403

    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    assert has_permission("application.view", assessor, submitted)[0]
    assert client.get(reverse("applications:overview", args=[submitted.pk])).status_code == 200


def test_a_declared_conflict_removes_the_assessor_and_alerts_staff(submitted, on_commit):
    staff = staff_user()
    assessor = UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=submitted, assessor=assessor, by=staff)
    with on_commit():
        assignment_declare(assignment=assignment, by=assessor, has_conflict=True, details="I advise this company.")
    allowed, reason = has_permission("application.view", assessor, submitted)
    assert not allowed and "conflict of interest" in reason
    assert staff.email in [address for m in mail.outbox for address in m.to]
    with pytest.raises(PermissionDenied, match="conflict of interest"):
        scores_submit(assignment=assignment, by=assessor, scores=full_marks(submitted))
    assert ModelLogEntry.objects.filter(action="civtech.assessment.declare").exists()


def test_a_conflict_needs_details_and_a_declaration_is_made_once(submitted):
    assessor = UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=submitted, assessor=assessor, by=staff_user())
    with pytest.raises(DomainError, match="Describe the conflict"):
        assignment_declare(assignment=assignment, by=assessor, has_conflict=True, details="  ")
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    with pytest.raises(DomainError, match="already made your declaration"):
        assignment_declare(assignment=assignment, by=assessor, has_conflict=True, details="changed my mind")


def test_only_staff_assign_and_only_assessors_are_assigned(submitted):
    with pytest.raises(PermissionDenied, match="Only the CivTech team assigns assessors"):
        assignment_create(application=submitted, assessor=UserFactory(role=Role.ASSESSOR), by=UserFactory())
    with pytest.raises(DomainError, match="is not an assessor"):
        assignment_create(application=submitted, assessor=UserFactory(role=Role.APPLICANT), by=staff_user())


def test_drafts_are_never_assigned():
    draft = make_application()
    with pytest.raises(DomainError, match="Only submitted applications"):
        assignment_create(application=draft, assessor=UserFactory(role=Role.ASSESSOR), by=staff_user())


def test_bulk_assignment_per_challenge_skips_drafts():
    challenge = make_challenge()
    staff = staff_user()
    for _ in range(3):
        application = make_application(challenge=challenge)
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    make_application(challenge=challenge)  # a draft
    assessors = [UserFactory(role=Role.ASSESSOR), UserFactory(role=Role.SPONSOR)]
    assert assignments_create_for_challenge(challenge=challenge, assessors=assessors, by=staff) == 6
    assert assignments_create_for_challenge(challenge=challenge, assessors=assessors, by=staff) == 0


def test_scores_are_independent_until_submitted(submitted):
    staff = staff_user()
    first, second = UserFactory(role=Role.ASSESSOR), UserFactory(role=Role.ASSESSOR)
    a1 = assignment_create(application=submitted, assessor=first, by=staff)
    a2 = assignment_create(application=submitted, assessor=second, by=staff)
    for assignment, user in ((a1, first), (a2, second)):
        assignment_declare(assignment=assignment, by=user, has_conflict=False)
    scores_submit(assignment=a1, by=first, scores=full_marks(submitted, 5))
    # The second assessor sees no one else's scores before submitting their own...
    assert list(scores_visible_to(second, submitted)) == []
    scores_submit(assignment=a2, by=second, scores=full_marks(submitted, 2))
    # ...and everyone's afterwards; staff always see all.
    assert {s.value for s in scores_visible_to(second, submitted)} == {5, 2}
    assert scores_visible_to(staff, submitted).count() == 8
    assert {s.value for s in scores_visible_to(first, submitted)} == {5, 2}


def test_scores_need_every_criterion_within_the_scale_and_are_submitted_once(submitted):
    assessor = UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=submitted, assessor=assessor, by=staff_user())
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    marks = full_marks(submitted)
    first_criterion = next(iter(marks))
    with pytest.raises(DomainError, match="Score every criterion"):
        scores_submit(assignment=assignment, by=assessor, scores={first_criterion: marks[first_criterion]})
    with pytest.raises(DomainError, match="go from 0 to 5"):
        scores_submit(assignment=assignment, by=assessor, scores={**marks, first_criterion: (6, "")})
    scores_submit(assignment=assignment, by=assessor, scores=marks)
    with pytest.raises(PermissionDenied, match="already submitted"):
        scores_submit(assignment=assignment, by=assessor, scores=marks)


def test_an_unassigned_assessor_cannot_see_or_score(submitted):
    stranger = UserFactory(role=Role.ASSESSOR)
    allowed, _ = has_permission("application.view", stranger, submitted)
    assert not allowed
    assignment = assignment_create(application=submitted, assessor=UserFactory(role=Role.ASSESSOR), by=staff_user())
    with pytest.raises(PermissionDenied, match="Only the assessor this application was assigned to"):
        scores_submit(assignment=assignment, by=stranger, scores=full_marks(submitted))
