"""What the applicant submitted: each version as assessors read it, and a working copy changed since the last
submission says so ("Changed since you submitted — not yet sent", next step "Resubmit") on the overview (the
task list) and the dashboard; the task list says "Completed" for answered sections."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import Application
from applications.selectors import application_detail, version_shown
from applications.services import application_save, application_submit, attachment_add
from applications.services.assessment import assignment_create, assignment_declare
from challenges.models import Round
from organisations.services import membership_add
from tests.applications.evaluation import close_call
from tests.factories import ALL_DECLARED, GOOD_ANSWERS, UserFactory, make_application, staff_user

pytestmark = pytest.mark.django_db
CHANGED = "Changed since you submitted — not yet sent"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def submit(application):
    version = application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    return version


@pytest.fixture
def resubmitted():
    """Submitted twice: version 1 with the first idea, version 2 with a changed one."""
    application = make_application()
    submit(application)
    application_save(application=application, by=application.created_by, answers={"idea": "The second idea."})
    submit(application)
    return application


def test_the_applicant_sees_each_version_with_its_time_and_reference(client, resubmitted):
    client.force_login(resubmitted.created_by)
    overview = client.get(url("overview", resubmitted)).content.decode()
    assert "What you submitted" in overview
    assert url("version", resubmitted, 1) in overview and url("version", resubmitted, 2) in overview

    first = client.get(url("version", resubmitted, 1)).content.decode()
    assert GOOD_ANSWERS["idea"] in first and "The second idea." not in first
    assert resubmitted.reference in first and "1 of 2" in first and "An earlier version" in first
    submitted_at = timezone.localtime(resubmitted.versions.get(number=1).submitted_at)
    assert f"{submitted_at:%-d %B %Y}" in first
    second = client.get(url("version", resubmitted, 2)).content.decode()
    assert "The second idea." in second and "2 of 2 (the latest)" in second
    assert "This is the version assessors read, exactly as they see it." in second
    assert client.get(url("version", resubmitted, 3)).status_code == 404


def test_the_applicant_the_assessor_and_the_sponsor_see_the_same_version(client, resubmitted):
    attachment_add(application=resubmitted, by=resubmitted.created_by, upload=SimpleUploadedFile("plan.pdf", PDF))
    submit(resubmitted)  # version 3, with the file
    close_call(resubmitted.challenge.round)
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=resubmitted, assessor=assessor, by=staff_user())
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=resubmitted.challenge.sponsor, user=sponsor, role="member", by=None)

    application = application_detail(resubmitted.pk)
    block = render_to_string(
        "applications/_version.html",
        {"shown": version_shown(application, application.latest_version()), "application": application},
    ).strip()
    assert "plan.pdf" in block and "The second idea." in block and "3 of 3 (the latest)" in block
    pages = {
        resubmitted.created_by: url("version", resubmitted, 3),
        assessor: reverse("applications:assess_score", args=[assignment.pk]),
        sponsor: reverse("applications:sponsor_application", args=[resubmitted.pk]),
    }
    for person, page in pages.items():
        client.force_login(person)
        assert block in client.get(page).content.decode(), page


def test_a_change_after_submitting_says_so_everywhere_the_applicant_looks(client):
    application = make_application()
    submit(application)
    client.force_login(application.created_by)
    overview = client.get(url("overview", application)).content.decode()
    assert CHANGED not in overview and "Changed since you submitted" not in overview
    assert overview.count(">Completed<") == 6 and "You have completed 6 of 6 sections." in overview

    application_save(application=application, by=application.created_by, answers={"team": "A new team."})
    overview = client.get(url("overview", application)).content.decode()
    assert CHANGED in overview
    assert f'<a href="{url("check", application)}">Resubmit</a>' in overview
    assert "Assessors will read that version unless you resubmit before the deadline" in overview
    # The task list marks the changed section, and the others are complete as submitted.
    assert overview.count(">Changed since you submitted<") == 1 and overview.count(">Completed<") == 5
    dashboard = client.get(reverse("applications:list")).content.decode()
    assert CHANGED in dashboard and f'<a href="{url("check", application)}">Resubmit' in dashboard
    assert "Resubmit application" in client.get(url("check", application)).content.decode()

    submit(application)
    for page in (url("overview", application), reverse("applications:list")):
        html = client.get(page).content.decode()
        assert CHANGED not in html and "Submitted" in html, page


def test_a_file_added_after_submitting_is_a_change_too(client):
    application = make_application()
    submit(application)
    attachment_add(application=application, by=application.created_by, upload=SimpleUploadedFile("late.pdf", PDF))
    client.force_login(application.created_by)
    assert CHANGED in client.get(url("overview", application)).content.decode()
    assert CHANGED in client.get(reverse("applications:list")).content.decode()


def test_after_the_deadline_unsent_changes_say_which_version_is_assessed(client):
    application = make_application()
    submit(application)
    application_save(application=application, by=application.created_by, answers={"team": "Too late."})
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    client.force_login(application.created_by)
    overview = client.get(url("overview", application)).content.decode()
    assert "your changes were not sent before the deadline, so we assess version 1" in overview
    assert ">Resubmit</a>" not in overview and CHANGED not in overview


def test_the_task_list_says_completed_for_answered_sections_only(client):
    application = make_application(answers={"idea": "Something", "team": "word " * 301})
    client.force_login(application.created_by)
    overview = client.get(url("overview", application)).content.decode()
    assert overview.count(">Completed<") == 1 and overview.count(">Not started<") == 4
    assert overview.count(">Over the word limit<") == 1
    assert "You have completed 1 of 6 sections." in overview


def test_everyone_but_the_applicant_reads_the_submitted_version_never_the_working_copy(client):
    application = make_application()
    submit(application)
    application_save(application=application, by=application.created_by, answers={"idea": "Never sent."})
    late = attachment_add(application=application, by=application.created_by, upload=SimpleUploadedFile("x.pdf", PDF))
    close_call(application.challenge.round)
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=application.challenge.sponsor, user=sponsor, role="member", by=None)
    for reader in (sponsor, staff_user()):
        client.force_login(reader)
        for page in ("overview", "check", "attachments"):
            response = client.get(url(page, application))
            assert response.url == url("version", application, 1), (reader, page)
        html = client.get(url("version", application, 1)).content.decode()
        assert GOOD_ANSWERS["idea"] in html and "Never sent." not in html
        # The file added after the last submission was never sent, so only its team may download it.
        assert client.get(url("download", application, late.pk)).status_code == 404
    client.force_login(application.created_by)
    assert client.get(url("download", application, late.pk)).status_code == 200
    assert "Never sent." in client.get(url("check", application)).content.decode()


def test_a_draft_has_no_versions_and_says_submit(client):
    application = make_application()
    client.force_login(application.created_by)
    overview = client.get(url("overview", application)).content.decode()
    assert "What you submitted" not in overview and "Check your answers</a>" in overview
    assert Application.objects.get(pk=application.pk).latest_version() is None
