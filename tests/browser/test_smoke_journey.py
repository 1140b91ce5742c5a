"""A newcomer's first visit: home page, sign up, verify the email, sign in, sign out — accessibly."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_sign_up_verify_sign_in_and_sign_out(page):
    page.goto("/")
    assert page.pw.locator("h1").inner_text().strip()
    page.audit()

    page.pw.get_by_role("link", name="Create an account").first.click()
    page.pw.wait_for_url("**/accounts/signup/")
    page.audit()
    page.pw.fill("input[name=email]", "newcomer@example.com")
    page.pw.fill("input[name=password1]", "a-long-passphrase")
    page.pw.fill("input[name=password2]", "a-long-passphrase")
    page.pw.locator("main button[type=submit]").click()

    page.pw.wait_for_url("**/accounts/confirm-email/")
    page.audit()
    assert len(mail.outbox) == 1
    (link,) = re.findall(r"https?://\S+", mail.outbox[0].body)

    page.goto(re.sub(r"^https?://[^/]+", "", link))
    page.audit()
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url("**/accounts/login/")
    assert User.objects.get(email="newcomer@example.com").emailaddress_set.get().verified

    # A wrong password first: the error is announced and the page is still accessible.
    page.pw.fill("input[name=login]", "newcomer@example.com")
    page.pw.fill("input[name=password]", "not-my-password")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_selector(".ds_error-summary")
    assert page.pw.input_value("input[name=login]") == "newcomer@example.com"
    page.audit()

    page.pw.fill("input[name=password]", "a-long-passphrase")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url("**/dashboard/")
    assert "newcomer@example.com" in page.pw.content()
    page.audit()

    page.pw.get_by_role("link", name="Sign out").first.click()
    page.pw.wait_for_url("**/accounts/logout/")
    page.audit()
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url(re.compile(r".*/$"))
    assert page.pw.get_by_role("link", name="Sign in").first.is_visible()
