"""An assessor's pages are accessible: the queue, the conflict declaration (with an error) and scoring."""

import pytest

from accounts.roles import Role
from applications.services import application_submit
from applications.services.assessment import assignment_create
from tests.applications.evaluation import close_call
from tests.factories import ALL_DECLARED, PASSWORD, UserFactory, make_application, staff_user, totp_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_assessor_declares_and_scores_accessibly(page):
    application = make_application()
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    close_call(application.challenge.round)  # assessors see an application once its call has closed
    application.refresh_from_db()
    assessor = UserFactory(email="assessor@example.com", role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=assessor, by=staff_user())

    page.goto("/accounts/login/?next=/assess/")
    page.pw.fill("input[name=login]", assessor.email)
    page.pw.fill("input[name=password]", PASSWORD)
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url("**/accounts/2fa/authenticate/**")
    page.pw.fill("input[name=code]", totp_fresh())
    page.pw.get_by_role("button", name="Sign In").click()
    page.pw.wait_for_url("**/assess/")
    page.audit()

    page.pw.get_by_role("link", name="Declare any conflict of interest").click()
    page.pw.wait_for_url(f"**/assess/{assignment.pk}/declare/")
    page.audit()
    page.pw.locator("main button[type=submit]").click()  # nothing chosen
    page.pw.wait_for_selector(".ds_error-summary")
    page.audit()
    page.pw.locator("label", has_text="No, I have no conflict of interest").click()
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url(f"**/assess/{assignment.pk}/score/")
    page.audit()
