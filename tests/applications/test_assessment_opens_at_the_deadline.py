"""Assessment starts when the call closes: staff may assign before, but an assessor sees, declares and scores
only from the deadline's instant on (closed means `now >= call_closes`, as for submission), and a score
always belongs to the version submitted last.

The clock is frozen at one instant; the deadline is put one microsecond after it (still open) or exactly on it
(closed), and every rule, page and form is tried on both sides.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from applications.models import Application, ApplicationVersion, Assignment, Score
from applications.services import application_save, application_submit
from applications.services.assessment import assignment_create, assignment_declare, criteria_for, scores_submit
from challenges.models import Round
from civtech.errors import DomainError
from civtech.permissions import has_permission
from tests.factories import ALL_DECLARED, UserFactory, make_application, staff_user

pytestmark = pytest.mark.django_db
MICROSECOND = timedelta(microseconds=1)
NOT_YET = "Assessment starts when the call closes, at "


@pytest.fixture
def instant(monkeypatch):
    """Freeze the clock (every `timezone.now()`) at one instant with a fraction of a second."""
    frozen = timezone.now().replace(microsecond=500_000)
    monkeypatch.setattr(timezone, "now", lambda: frozen)
    return frozen


def deadline_at(application: Application, closes) -> None:
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=closes)


@pytest.fixture
def world(instant):
    """A submitted application (two versions) with assessors assigned while the call was open."""
    application = make_application()
    owner = application.created_by
    application_submit(application_id=application.pk, by=owner, declarations=ALL_DECLARED)
    application_save(application=application, by=owner, answers={"idea": "The resubmitted idea."})
    application_submit(application_id=application.pk, by=owner, declarations=ALL_DECLARED)
    application.refresh_from_db()
    staff = staff_user()
    people = {
        "owner": owner,
        "programme_staff": staff,
        "undeclared": UserFactory(role=Role.ASSESSOR, mfa=True),
        "cleared": UserFactory(role=Role.ASSESSOR, mfa=True),
        "conflicted": UserFactory(role=Role.ASSESSOR, mfa=True),
    }
    assignments = {
        who: assignment_create(application=application, assessor=people[who], by=staff)
        for who in ("undeclared", "cleared", "conflicted")
    }
    # Declarations are made only once the call closes; the table below also asks what a declared assessor could
    # do if the deadline were still ahead, so their declarations are written directly.
    Assignment.objects.filter(pk=assignments["cleared"].pk).update(has_conflict=False, declared_at=instant)
    Assignment.objects.filter(pk=assignments["conflicted"].pk).update(has_conflict=True, declared_at=instant)
    return application, people, {who: Assignment.objects.get(pk=a.pk) for who, a in assignments.items()}


# who → (application.view, assessment.declare, assessment.score), one microsecond before and at the deadline
BEFORE = {
    "owner": (True, False, False),
    "programme_staff": (True, False, False),
    "undeclared": (False, False, False),
    "cleared": (False, False, False),
    "conflicted": (False, False, False),
}
AT = {
    "owner": (True, False, False),
    "programme_staff": (True, False, False),
    "undeclared": (False, True, False),
    "cleared": (True, False, True),
    "conflicted": (False, False, False),
}


@pytest.mark.parametrize(("offset", "table"), [(MICROSECOND, BEFORE), (timedelta(0), AT)], ids=["closes-1µs", "closes"])
@pytest.mark.parametrize("who", BEFORE)
def test_the_assessment_rules_either_side_of_the_deadline(world, instant, offset, table, who):
    application, people, assignments = world
    deadline_at(application, instant + offset)
    application = Application.objects.select_related("challenge__round").get(pk=application.pk)
    user = people[who]
    own = assignments.get(who)
    declare_on = own or assignments["undeclared"]
    score_on = own or assignments["cleared"]
    declare_on.application = score_on.application = application
    got = (
        has_permission("application.view", user, application)[0],
        has_permission("assessment.declare", user, declare_on)[0],
        has_permission("assessment.score", user, score_on)[0],
    )
    assert got == table[who]


def test_before_the_deadline_an_assessor_is_told_when_assessment_starts(world, instant):
    application, people, assignments = world
    deadline_at(application, instant + MICROSECOND)
    application = Application.objects.select_related("challenge__round").get(pk=application.pk)
    for who in ("undeclared", "cleared"):
        allowed, reason = has_permission("application.view", people[who], application)
        assert not allowed and reason.startswith(NOT_YET), reason
    allowed, reason = has_permission("assessment.score", people["cleared"], assignments["cleared"])
    assert not allowed and reason.startswith(NOT_YET) and reason.endswith("(UK time).")
    # A conflict is still the reason for the conflicted: the deadline does not change that.
    allowed, reason = has_permission("application.view", people["conflicted"], application)
    assert reason == "You declared a conflict of interest, so you cannot see this application."


def test_the_services_refuse_declaring_and_scoring_until_the_deadline(world, instant):
    application, people, assignments = world
    deadline_at(application, instant + MICROSECOND)
    with pytest.raises(PermissionDenied, match=NOT_YET):
        assignment_declare(assignment=assignments["undeclared"], by=people["undeclared"], has_conflict=False)
    marks = {c.pk: (3, "Fine.") for c in criteria_for(application)}
    with pytest.raises(PermissionDenied, match=NOT_YET):
        scores_submit(assignment=assignments["cleared"], by=people["cleared"], scores=marks)
    assert not Score.objects.exists()
    assert Assignment.objects.get(pk=assignments["undeclared"].pk).has_conflict is None

    deadline_at(application, instant)
    assignment_declare(assignment=assignments["undeclared"], by=people["undeclared"], has_conflict=False)
    scores_submit(assignment=assignments["cleared"], by=people["cleared"], scores=marks)
    assert Score.objects.filter(assignment=assignments["cleared"]).count() == len(marks)


def test_a_score_belongs_to_the_final_version(world, instant):
    application, people, assignments = world
    deadline_at(application, instant)
    marks = {c.pk: (4, "Good.") for c in criteria_for(application)}
    scores_submit(assignment=assignments["cleared"], by=people["cleared"], scores=marks)
    scored = Assignment.objects.get(pk=assignments["cleared"].pk)
    final = ApplicationVersion.objects.get(application=application, number=2)
    assert scored.version == final
    entry = ModelLogEntry.objects.get(action="civtech.assessment.score")
    assert entry.data["version"] == 2
    # Nothing can follow it: submission closed at the same instant scoring opened.
    with pytest.raises((PermissionDenied, DomainError)):
        application_submit(application_id=application.pk, by=people["owner"], declarations=ALL_DECLARED)


def test_staff_may_assign_before_the_deadline_and_the_email_says_when_assessment_starts(instant, on_commit):
    application = make_application()
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    deadline_at(application, instant + MICROSECOND)
    application = Application.objects.get(pk=application.pk)
    assessor = UserFactory(role=Role.ASSESSOR)
    with on_commit():
        assignment_create(application=application, assessor=assessor, by=staff_user())
    body = mail.outbox[-1].body
    assert NOT_YET in body and "not in your list of applications to assess" in body


# --- The assessor's pages, GET and POST, either side of the deadline -----------------------------------------
def score_data(application, value="3"):
    criteria = criteria_for(application)
    return {f"score_{c.pk}": value for c in criteria} | {f"comment_{c.pk}": "Solid." for c in criteria}


def test_one_microsecond_before_the_deadline_the_pages_refuse_with_the_reason(client, world, instant):
    application, people, assignments = world
    deadline_at(application, instant + MICROSECOND)
    queue = reverse("applications:assess_queue")

    client.force_login(people["undeclared"])
    page = client.get(queue).content.decode()
    assert application.reference not in page and "To do (0)" in page
    declare = reverse("applications:assess_declare", args=[assignments["undeclared"].pk])
    for response in (client.get(declare), client.post(declare, {"has_conflict": "no"})):
        assert response.status_code == 302 and response.url == queue
    page = client.get(declare, follow=True).content.decode()
    assert NOT_YET in page and "Do you have a conflict of interest" not in page
    assert Assignment.objects.get(pk=assignments["undeclared"].pk).has_conflict is None

    client.force_login(people["cleared"])
    score = reverse("applications:assess_score", args=[assignments["cleared"].pk])
    for response in (client.get(score), client.post(score, score_data(application))):
        assert response.status_code == 302 and response.url == queue
    page = client.get(score, follow=True).content.decode()
    assert NOT_YET in page and "The resubmitted idea." not in page
    assert not Score.objects.exists()
    # Nor can they open the application by its own address.
    response = client.get(reverse("applications:version", args=[application.pk, 2]))
    assert response.status_code == 403 and NOT_YET in response.content.decode()


def test_at_the_deadline_the_pages_open_and_the_score_is_for_the_final_version(client, world, instant):
    application, people, assignments = world
    deadline_at(application, instant)
    queue = reverse("applications:assess_queue")

    client.force_login(people["undeclared"])
    page = client.get(queue).content.decode()
    assert application.reference in page and "To do (1)" in page
    declare = reverse("applications:assess_declare", args=[assignments["undeclared"].pk])
    assert client.get(declare).status_code == 200
    response = client.post(declare, {"has_conflict": "no"})
    assert response.url == reverse("applications:assess_score", args=[assignments["undeclared"].pk])

    client.force_login(people["cleared"])
    score = reverse("applications:assess_score", args=[assignments["cleared"].pk])
    page = client.get(score).content.decode()
    assert "The resubmitted idea." in page and "2 of 2 (the latest)" in page
    assert client.post(score, score_data(application)).status_code == 302
    assert Assignment.objects.get(pk=assignments["cleared"].pk).version.number == 2
    page = client.get(score).content.decode()
    assert "Your scores are for version 2, the version submitted last." in page


def test_a_conflicted_assessor_cannot_read_the_application_through_the_scoring_page(client, world, instant):
    application, people, assignments = world
    deadline_at(application, instant)
    client.force_login(people["conflicted"])
    score = reverse("applications:assess_score", args=[assignments["conflicted"].pk])
    response = client.get(score, follow=True)
    page = response.content.decode()
    assert "The resubmitted idea." not in page
    assert "You declared a conflict of interest, so you cannot see this application." in page


def test_the_migration_links_existing_scores_to_the_version_that_was_latest_when_they_were_scored(instant):
    application = make_application()
    owner = application.created_by
    first = application_submit(application_id=application.pk, by=owner, declarations=ALL_DECLARED)
    application_save(application=application, by=owner, answers={"idea": "Changed after the score."})
    second = application_submit(application_id=application.pk, by=owner, declarations=ALL_DECLARED)
    application.refresh_from_db()
    ApplicationVersion.objects.filter(pk=first.pk).update(submitted_at=instant - timedelta(days=2))
    ApplicationVersion.objects.filter(pk=second.pk).update(submitted_at=instant)
    assessor = UserFactory(role=Role.ASSESSOR)
    assignment = assignment_create(application=application, assessor=assessor, by=staff_user())
    unscored = assignment_create(application=application, assessor=UserFactory(role=Role.ASSESSOR), by=staff_user())
    Assignment.objects.filter(pk=assignment.pk).update(
        has_conflict=False, submitted_at=instant - timedelta(days=1), version=None
    )
    migration = importlib.import_module("applications.migrations.0007_assignment_version")
    migration.link_scored_versions(apps, None)
    assert Assignment.objects.get(pk=assignment.pk).version_id == first.pk
    assert Assignment.objects.get(pk=unscored.pk).version_id is None
    assert Assignment.objects.count() == 2  # no row lost
