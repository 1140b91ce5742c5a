"""Programme staff moderate and shortlist in the admin; the sponsor reads applications; the applicant reads the
decision. Our pages are audited with axe (inside the admin, our own content area)."""

import pytest

from accounts.roles import Role
from applications.models import Application
from organisations.services import membership_add
from tests.applications.evaluation import closed_challenge_with, score
from tests.browser.conftest import WAIT, sign_in
from tests.factories import UserFactory, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ADMIN_CONTENT = "main .nice-padding"


def test_staff_moderate_and_shortlist_then_the_applicant_reads_the_feedback(page):
    staff = staff_user(email="staff@example.com")
    challenge, (first, second) = closed_challenge_with(2, title="Fewer missed appointments")
    for application in (first, second):
        score(application, [4, 3, 3, 3], by_staff=staff)
        score(application, [2, 2, 3, 1], by_staff=staff)

    sign_in(page, staff, "/admin/evaluation/")
    page.pw.wait_for_url("**/admin/evaluation/", timeout=WAIT)
    page.audit(within=ADMIN_CONTENT)
    page.pw.get_by_role("link", name="Fewer missed appointments").click()
    page.pw.get_by_role("heading", name="Ranking").wait_for(timeout=WAIT)
    page.audit(within=ADMIN_CONTENT)

    # Shortlisting before anyone has feedback is refused, and the choice is kept
    page.pw.get_by_label(f"{first.reference} — {first.organisation}").check()
    page.pw.get_by_label("I understand that every other application").check()
    page.pw.get_by_role("button", name="Shortlist the chosen applications").click()
    page.pw.get_by_text("Write feedback, when you moderate").wait_for(timeout=WAIT)
    assert page.pw.get_by_label(f"{first.reference} — {first.organisation}").is_checked()
    page.audit(within=ADMIN_CONTENT)

    for application in (first, second):
        page.goto(f"/admin/evaluation/application/{application.pk}/application/")
        page.pw.get_by_role("heading", name="Moderation").wait_for(timeout=WAIT)
        page.audit(within=ADMIN_CONTENT)
        page.pw.get_by_label("Moderated score (%)").fill("not a number")
        page.pw.get_by_label("Rationale").fill("The panel agreed.")
        page.pw.get_by_role("button", name="Save moderation").click()
        page.pw.get_by_text("Enter the moderated score as a number from 0 to 100.").first.wait_for(timeout=WAIT)
        assert page.pw.get_by_label("Rationale").input_value() == "The panel agreed."
        page.audit(within=ADMIN_CONTENT)
        page.pw.get_by_label("Moderated score (%)").fill("61.5")
        page.pw.get_by_label("Feedback for the applicant").fill("Show more evidence that users want this.")
        page.pw.get_by_role("button", name="Save moderation").click()
        page.pw.get_by_text(f"Moderated score for {application.reference} saved.").wait_for(timeout=WAIT)

    page.goto(f"/admin/evaluation/{challenge.pk}/?stage=application")
    page.pw.get_by_label(f"{first.reference} — {first.organisation}").check()
    page.pw.get_by_label("I understand that every other application").check()
    page.pw.get_by_role("button", name="Shortlist the chosen applications").click()
    page.pw.get_by_text("Decisions recorded and 2 applicants emailed.").wait_for(timeout=WAIT)
    page.audit(within=ADMIN_CONTENT)
    assert Application.objects.get(pk=second.pk).status == Application.Status.UNSUCCESSFUL

    context = page.pw.context
    context.clear_cookies()
    applicant = second.created_by
    applicant.set_password("correct horse battery staple")
    applicant.save()
    page.goto("/accounts/login/?next=/applications/")
    page.pw.fill("input[name=login]", applicant.email)
    page.pw.fill("input[name=password]", "correct horse battery staple")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url("**/applications/", timeout=WAIT)
    page.audit()
    page.pw.get_by_role("link", name="Fewer missed appointments").click()
    page.pw.get_by_text("Show more evidence that users want this.").wait_for(timeout=WAIT)
    page.audit()


def test_sponsor_reads_applications_to_its_own_challenge(page):
    challenge, (application,) = closed_challenge_with(1, title="Safer level crossings")
    sponsor = UserFactory(email="sponsor@example.com", role=Role.SPONSOR, mfa=True)
    membership_add(organisation=challenge.sponsor, user=sponsor, role="member", by=None)
    sign_in(page, sponsor, "/sponsor/applications/")
    page.pw.wait_for_url("**/sponsor/applications/", timeout=WAIT)
    page.audit()
    page.pw.get_by_role("link", name=application.reference).click()
    page.pw.get_by_text("A booking assistant that texts patients").wait_for(timeout=WAIT)
    page.audit()
