"""Assessors: assigned by staff, declare conflicts before seeing anything, score independently."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from applications.services import application_submit
from applications.services.assessment import (
    assignment_create,
    assignment_declare,
    assignments_create_for_challenge,
    criteria_for,
    scores_submit,
    scores_visible_to,
)
from challenges.models import Round
from civtech.errors import DomainError
from civtech.permissions import has_permission
from tests.applications.evaluation import close_call
from tests.factories import ALL_DECLARED, UserFactory, make_application, make_challenge, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    """A submitted application whose call has closed (assessment starts then: see test_assessment_opens_at_...)."""
    application = make_application()
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    close_call(application.challenge.round)
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
    # They read the version submitted last, never the working copy.
    response = client.get(reverse("applications:overview", args=[submitted.pk]))
    assert response.url == reverse("applications:version", args=[submitted.pk, 1])
    assert client.get(response.url).status_code == 200


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
    with pytest.raises(PermissionDenied, match="already made your declaration"):
        assignment_declare(assignment=assignment, by=assessor, has_conflict=True, details="changed my mind")


def test_only_staff_assign_and_only_assessors_are_assigned(submitted):
    with pytest.raises(PermissionDenied, match="Only the CivTech team assigns assessors"):
        assignment_create(application=submitted, assessor=UserFactory(role=Role.ASSESSOR), by=UserFactory())
    with pytest.raises(DomainError, match="is not an assessor"):
        assignment_create(application=submitted, assessor=UserFactory(role=Role.APPLICANT), by=staff_user())


def test_drafts_are_never_assigned():
    draft = make_application()
    with pytest.raises(DomainError, match="is draft, so it cannot be assessed at the written application stage"):
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


# --- The assessor's pages -------------------------------------------------------------------------
def test_assessor_declares_then_scores_through_the_pages(client, submitted):
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=submitted, assessor=assessor, by=staff_user())
    client.force_login(assessor)
    queue = client.get(reverse("applications:assess_queue")).content.decode()
    assert submitted.reference in queue and "Declare any conflict of interest" in queue
    # Scoring before declaring goes to the declaration.
    response = client.get(reverse("applications:assess_score", args=[assignment.pk]))
    assert response.url == reverse("applications:assess_declare", args=[assignment.pk])

    declare_url = reverse("applications:assess_declare", args=[assignment.pk])
    response = client.post(declare_url, {"has_conflict": "yes", "details": ""})
    assert "Describe the conflict of interest" in response.content.decode()
    response = client.post(declare_url, {"has_conflict": "no"})
    assert response.url == reverse("applications:assess_score", args=[assignment.pk])

    score_url = reverse("applications:assess_score", args=[assignment.pk])
    page = client.get(score_url).content.decode()
    assert "A booking assistant that texts patients" in page
    criteria = criteria_for(submitted)
    data = {f"score_{c.pk}": "3" for c in criteria} | {f"comment_{c.pk}": "Solid." for c in criteria}
    bad = {**data, f"score_{criteria[0].pk}": "9", f"comment_{criteria[1].pk}": ""}
    page = client.post(score_url, bad).content.decode()
    assert "Select a valid choice" in page and f"Explain your score for “{criteria[1].name}”" in page
    assert "Solid." in page  # what was typed is kept
    assert client.post(score_url, data).status_code == 302
    page = client.get(score_url).content.decode()
    assert "3 of 5" in page and "You" in page


def test_another_assessors_assignment_is_not_found(client, submitted):
    assignment = assignment_create(application=submitted, assessor=UserFactory(role=Role.ASSESSOR), by=staff_user())
    client.force_login(UserFactory(role=Role.ASSESSOR, mfa=True))
    for name in ("assess_declare", "assess_score"):
        assert client.get(reverse(f"applications:{name}", args=[assignment.pk])).status_code == 404


def test_the_queue_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    staff = staff_user()
    challenge = make_challenge()
    client.force_login(assessor)

    def add_assignments(n):
        # Applications are submitted while the call is open; the queue shows them once it has closed.
        Round.objects.filter(pk=challenge.round_id).update(call_closes=timezone.now() + timedelta(days=1))
        challenge.round.refresh_from_db()
        for _ in range(n):
            application = make_application(challenge=challenge)
            application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
            application.refresh_from_db()
            assignment_create(application=application, assessor=assessor, by=staff)
        close_call(challenge.round)

    add_assignments(1)
    assert "To do (1)" in client.get(reverse("applications:assess_queue")).content.decode()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("applications:assess_queue"))
    one = len(one)  # counted now: the next request clears the connection's query log
    add_assignments(5)
    # New companies are public content: the page's shared parts (site, footer) are made again once, then kept.
    client.get(reverse("applications:assess_queue"))
    with django_assert_max_num_queries(one):
        assert "To do (6)" in client.get(reverse("applications:assess_queue")).content.decode()


def test_an_interview_panel_member_scores_on_the_interview_criteria(client):
    from applications.models import Application
    from tests.applications.evaluation import closed_challenge_with

    staff = staff_user()
    _, (application,) = closed_challenge_with(1)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SHORTLISTED)
    application.refresh_from_db()
    panel = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=panel, by=staff, stage="interview")
    assignment_declare(assignment=assignment, by=panel, has_conflict=False)
    client.force_login(panel)
    url = reverse("applications:assess_score", args=[assignment.pk])
    html = client.get(url).content.decode()
    assert "Culture and ethos" in html and "How well the idea solves the challenge" not in html
    criteria = criteria_for(application, "interview")
    data = {f"score_{c.pk}": "4" for c in criteria} | {f"comment_{c.pk}": "Fine." for c in criteria}
    assert client.post(url, data).status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert sorted(s.criterion.name for s in assignment.scores.all()) == sorted(c.name for c in criteria)
    assert "Interview" in client.get(reverse("applications:assess_queue")).content.decode()


def test_each_criterion_shows_the_answers_it_judges_beside_its_score(client):
    """The default criteria point at the default form's questions: the idea criterion shows the idea, the commitment
    criterion the commitment and team answers, each under the label the version was submitted with."""
    from tests.applications.evaluation import closed_challenge_with
    from tests.factories import GOOD_ANSWERS

    _challenge, (application,) = closed_challenge_with(1)
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=assessor, by=staff_user())
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    client.force_login(assessor)
    page = html.unescape(client.get(reverse("applications:assess_score", args=[assignment.pk])).content.decode())
    form = page[page.index("<h2>Your scores</h2>") :]
    idea = form.index("What “How well the idea solves the challenge” judges")
    commitment = form.index("What “Commitment to the programme schedule” judges")
    assert form.index(GOOD_ANSWERS["idea"], idea) < form.index("Innovation")
    between = form[commitment : form.index('name="score_', commitment)]
    assert GOOD_ANSWERS["commitment"] in between and GOOD_ANSWERS["team"] in between
    assert "Your team and its experience" in between and GOOD_ANSWERS["idea"] not in between
