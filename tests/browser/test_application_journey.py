"""An applicant's journey by keyboard: register a company, start an application, save, leave, come back,
finish, check, declare and submit — with axe on the pages that matter."""

import re

import pytest
from django.core import mail

from applications.models import Application
from tests.factories import PASSWORD, UserFactory, make_challenge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS = [
    ("idea", "A booking assistant that texts patients and rebooks in one reply."),
    ("innovation", "Two-way SMS linked to live clinic capacity."),
    ("commercial", "Every health board and GP practice could use it."),
    ("team", "Three engineers and a clinician with NHS product experience."),
    ("commitment", "We can staff every stage on the round's dates."),
    ("equality_sustainability", "Plain language, text only, no travel for users."),
]


def type_into(pw, selector: str, text: str) -> None:
    pw.focus(selector)
    pw.keyboard.type(text)


def press(pw, locator, key: str = "Enter") -> None:
    locator.focus()
    pw.keyboard.press(key)


def test_an_applicant_applies_by_keyboard(page):
    pw = page.pw
    challenge = make_challenge(title="Reduce missed hospital appointments")
    UserFactory(email="founder@example.com")

    # Sign in.
    page.goto("/accounts/login/")
    type_into(pw, "input[name=login]", "founder@example.com")
    type_into(pw, "input[name=password]", PASSWORD)
    pw.keyboard.press("Enter")
    pw.wait_for_url("**/dashboard/")

    # Register a company.
    page.goto("/organisations/new/")
    type_into(pw, "input[name=name]", "Clinic Text Ltd")
    press(pw, pw.locator("input[name=kind]").first, "Space")
    type_into(pw, "input[name=company_number]", "SC123456")
    pw.focus("select[name=region]")
    pw.keyboard.type("Ayrshire")
    type_into(pw, "input[name=employees]", "4")
    type_into(pw, "input[name=turnover]", "120000")
    type_into(pw, "textarea[name=description]", "Text message booking for clinics.")
    press(pw, pw.locator("main button[type=submit]"))
    pw.wait_for_url("**/organisations/clinic-text-ltd/")

    # Open the challenge and start an application.
    page.goto(challenge.url)
    press(pw, pw.get_by_role("link", name="Apply", exact=True))
    pw.wait_for_url(f"**/applications/start/{challenge.pk}/")
    assert "Clinic Text Ltd" in pw.content()
    press(pw, pw.get_by_role("button", name="Start your application"))
    pw.wait_for_url(re.compile(r".*/applications/\d+/$"))
    application = Application.objects.get()
    base = f"/applications/{application.pk}"

    # The first two sections: save and continue, then save a draft.
    press(pw, pw.get_by_role("link", name="Your idea and how it solves the challenge"))
    pw.wait_for_url(f"**{base}/sections/idea/")
    type_into(pw, "textarea[name=idea]", ANSWERS[0][1])
    counter = pw.locator("#idea-counter")
    counter.filter(has_text=f"You have {500 - len(ANSWERS[0][1].split())} words remaining").wait_for()
    assert counter.get_attribute("aria-live") == "polite"
    page.audit()
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/sections/innovation/")
    type_into(pw, "textarea[name=innovation]", ANSWERS[1][1])
    press(pw, pw.get_by_role("button", name="Save draft"))
    pw.locator(".ds_notification-message", has_text="saved as a draft").wait_for()
    application.refresh_from_db()
    assert application.answers["idea"] == ANSWERS[0][1] and application.answers["innovation"] == ANSWERS[1][1]

    # Leave, and come back through the dashboard.
    page.goto("/applications/")
    assert "Reduce missed hospital appointments" in pw.content()
    assert "Clinic Text Ltd" in pw.content()
    page.audit()
    press(pw, pw.get_by_role("link", name="Reduce missed hospital appointments"))
    pw.wait_for_url(f"**{base}/")
    assert pw.locator("#status-idea").inner_text() == "Completed"
    assert pw.locator("#status-team").inner_text() == "Not started"
    page.audit()

    # "Save and continue" walks through the remaining sections, then back to the overview.
    page.goto(f"{base}/sections/commercial/")
    for key, text in ANSWERS[2:]:
        pw.wait_for_url(f"**{base}/sections/{key}/")
        type_into(pw, f"textarea[name={key}]", text)
        press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/")

    # Check, declare, submit.
    press(pw, pw.get_by_role("link", name="Check your answers"))
    pw.wait_for_url(f"**{base}/check/")
    answers_shown = pw.locator("main").inner_text()
    for _, text in ANSWERS:
        assert text in answers_shown
    page.audit()
    for checkbox in pw.locator("input[type=checkbox]").all():
        press(pw, checkbox, "Space")
    press(pw, pw.get_by_role("button", name="Submit application"))
    pw.wait_for_url(f"**{base}/submitted/")

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.reference in pw.locator(".ds_confirmation-message").inner_text()
    assert "We have emailed you" in pw.content()
    page.audit()
    confirmations = [m for m in mail.outbox if application.reference in m.subject]
    assert len(confirmations) == 1


def test_text_kept_in_the_browser_can_be_restored(page):
    """If the session expired before a save, the copy in localStorage is offered back on the next visit."""
    from tests.factories import make_application

    pw = page.pw
    application = make_application(answers={"idea": "Saved on the server."})
    user = application.created_by
    page.goto("/accounts/login/")
    type_into(pw, "input[name=login]", user.email)
    type_into(pw, "input[name=password]", PASSWORD)
    pw.keyboard.press("Enter")
    pw.wait_for_url("**/dashboard/")

    section = f"/applications/{application.pk}/sections/idea/"
    page.goto(section)
    pw.evaluate(
        "([key, text]) => localStorage.setItem(key, JSON.stringify({text: text, at: Date.now() + 1000}))",
        [f"civtech-application-{application.pk}-idea", "Typed while signed out."],
    )
    page.goto(section)
    restore = pw.get_by_role("button", name="Restore what you typed")
    restore.wait_for()
    page.audit()
    press(pw, restore)
    assert pw.input_value("textarea[name=idea]") == "Typed while signed out."
    assert restore.is_hidden()
    press(pw, pw.get_by_role("button", name="Save draft"))
    pw.locator(".ds_notification-message", has_text="saved as a draft").wait_for()
    application.refresh_from_db()
    assert application.answers["idea"] == "Typed while signed out."


def test_the_attachments_page_uses_the_design_systems_file_upload_without_a_script_error(page, tmp_path):
    """The file input sits inside the design system's `.ds_file-upload` wrapper; with the class on the input itself
    the design system's script threw on every load and stopped initialising the rest of the page."""
    from tests.browser.conftest import sign_in
    from tests.factories import make_application

    application = make_application()
    applicant = application.organisation.memberships.get().user
    sign_in(page, applicant)
    page.goto(f"/applications/{application.pk}/attachments/")
    pw = page.pw
    assert pw.locator(".ds_file-upload input[type=file]").count() == 1
    page.audit()  # zero axe violations and, above all here, zero console errors
    document = tmp_path / "plan.pdf"
    document.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    pw.set_input_files("input[name=file]", str(document))
    pw.locator("main button[type=submit]").click()
    pw.wait_for_load_state()
    assert application.attachments.filter(name="plan.pdf").exists()
    assert "plan.pdf" in pw.content()
    page.audit()
