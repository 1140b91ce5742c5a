"""An applicant completes a form that is not the default one by keyboard (#20): a round's own form with every kind
of field and a conditional question, then the challenge's own section; axe on every page, with the errors shown."""

import re

import pytest

from applications.models import Application
from formbuilder.blocks import stream_data
from formbuilder.models import ApplicationForm
from formbuilder.questions import FormSpec
from tests.browser.test_application_journey import press, type_into
from tests.factories import PASSWORD, make_applicant, make_challenge, make_round

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROUND_FORM = {
    "sections": [
        {"key": "product", "title": "Your product", "guidance": "Tell us what exists today.", "questions": [
            {"key": "name", "type": "short_text", "label": "Product name"},
            {"key": "users", "type": "number", "label": "How many people use it?"},
            {"key": "launched", "type": "date", "label": "When did it launch?", "help_text": "For example, 27 3 2026."},
            {"key": "health", "type": "yes_no", "label": "Does it handle health data?"},
            {"key": "safety", "type": "long_text", "label": "How do you manage clinical safety?", "word_limit": 50,
             "show_if": {"question": "health", "equals": "Yes"}},
            {"key": "channels", "type": "choices", "label": "How do people reach it?", "choices": ["Web", "Phone"]},
        ]},
    ],
    "declarations": [{"key": "declare_terms", "label": "We accept the programme's terms."}],
}  # fmt: skip
CHALLENGE_SECTION = {
    "sections": [{"key": "hosting", "title": "Data hosting", "questions": [
        {"key": "hosted_in", "type": "choice", "label": "Where is patient data hosted?", "choices": ["UK", "EU"]},
    ]}],
}  # fmt: skip


def start_by_keyboard(page, applicant, challenge) -> Application:
    """Sign in with the password and start an application to the challenge, by keyboard."""
    pw = page.pw
    page.goto("/accounts/login/")
    type_into(pw, "input[name=login]", applicant.email)
    type_into(pw, "input[name=password]", PASSWORD)
    pw.keyboard.press("Enter")
    pw.wait_for_url("**/dashboard/")
    page.goto(f"/applications/start/{challenge.pk}/")
    press(pw, pw.get_by_role("button", name="Start your application"))
    pw.wait_for_url(re.compile(r".*/applications/\d+/$"))
    return Application.objects.get(challenge=challenge, created_by=applicant)


def test_an_applicant_completes_a_rounds_own_form_and_a_challenge_question_by_keyboard(page):
    pw = page.pw
    form = ApplicationForm.objects.create(name="Round 12 form", content=stream_data(FormSpec.from_data(ROUND_FORM)))
    challenge = make_challenge(title="Safer discharge", round=make_round(application_form=form))
    challenge.application_questions = stream_data(FormSpec.from_data(CHALLENGE_SECTION))
    challenge.save()
    application = start_by_keyboard(page, make_applicant(email="lead@booker.example"), challenge)
    base = f"/applications/{application.pk}"
    assert pw.locator("#status-product").inner_text() == "Not started"
    assert pw.locator("#status-hosting").inner_text() == "Not started"
    page.audit()

    # A mistyped number and date: kept, named, and the applicant stays on the page.
    press(pw, pw.get_by_role("link", name="Your product"))
    pw.wait_for_url(f"**{base}/sections/product/")
    assert "Only if you answered “Does it handle health data?” with “Yes”." in pw.content()
    page.audit()
    type_into(pw, "input[name=name]", "Booker")
    type_into(pw, "input[name=users]", "lots")
    type_into(pw, "input[name=launched]", "31 2 2026")
    press(pw, pw.locator("input[name=health][value=Yes]"), "Space")
    type_into(pw, "textarea[name=safety]", "We follow DCB0129 with a named clinical safety officer.")
    press(pw, pw.locator("input[name=channels][value=Web]"), "Space")
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.locator(".ds_error-summary").wait_for()
    assert "must be a number" in pw.locator(".ds_error-summary").inner_text()
    assert pw.input_value("input[name=users]") == "lots"
    page.audit()

    pw.fill("input[name=users]", "")
    type_into(pw, "input[name=users]", "1,200")
    pw.fill("input[name=launched]", "")
    type_into(pw, "input[name=launched]", "27 3 2026")
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/sections/hosting/")
    page.audit()
    press(pw, pw.locator("input[name=hosted_in][value=UK]"), "Space")
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/")

    page.goto(f"{base}/check/")
    shown = pw.locator("main").inner_text()
    assert "Booker" in shown and "DCB0129" in shown and "UK" in shown and "Before you can submit" not in shown
    page.audit()
    press(pw, pw.locator("input[name=declare_terms]"), "Space")
    press(pw, pw.get_by_role("button", name="Submit application"))
    pw.wait_for_url(f"**{base}/submitted/")
    version = application.versions.get()
    assert version.answers == {
        "name": "Booker", "users": "1,200", "launched": "27 3 2026", "health": "Yes",
        "safety": "We follow DCB0129 with a named clinical safety officer.", "channels": ["Web"], "hosted_in": "UK",
    }  # fmt: skip
    page.goto(f"{base}/versions/1/")
    assert "Where is patient data hosted?" in pw.content()
    page.audit()
