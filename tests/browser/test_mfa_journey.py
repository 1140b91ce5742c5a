"""A programme staff member without two-factor authentication is made to set it up before anything else."""

import pytest
from allauth.mfa.models import Authenticator

from accounts.roles import Role
from tests.browser.conftest import WAIT
from tests.factories import PASSWORD, UserFactory, totp_fresh

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_staff_member_must_set_up_an_authenticator_before_reaching_the_admin(page):
    staff = UserFactory(email="new.staff@civtech.example", role=Role.PROGRAMME_STAFF)

    page.goto("/admin/")
    page.pw.wait_for_url("**/accounts/login/**")
    page.pw.fill("input[name=login]", staff.email)
    page.pw.fill("input[name=password]", PASSWORD)
    page.pw.locator("main button[type=submit]").click()

    # Straight to set-up, without being asked for the password again.
    page.pw.wait_for_url("**/accounts/2fa/totp/activate/**")
    assert "two-factor authentication" in page.pw.content().lower()
    page.audit()
    secret = page.pw.input_value("#authenticator_secret")

    page.pw.fill("input[name=code]", "000000")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_selector(".ds_question--error, .ds_error-summary")
    page.audit()

    page.pw.fill("input[name=code]", totp_fresh(secret))
    page.pw.locator("main button[type=submit]").click()
    # The activation page is already loaded, so waiting for a load state returned before the POST was even answered
    # (and the check below read the database too soon on a loaded machine): wait until the browser has left it.
    page.pw.wait_for_url(lambda url: "/2fa/totp/activate/" not in url, timeout=WAIT)
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    page.audit()

    page.goto("/admin/")
    assert page.pw.url.endswith("/admin/")
    assert page.pw.locator("text=Dashboard").first.is_visible() or "Wagtail" in page.pw.title()
