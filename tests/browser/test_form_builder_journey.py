"""Programme staff build next round's application form in the admin's builder (a section with a yes/no question and
a conditional question), a challenge in that round adds its own question, and an applicant completes it by keyboard
(#20). The builder is Wagtail's StreamField editor; the applicant's pages are audited with axe."""

import pytest

from formbuilder.blocks import stream_data
from formbuilder.models import ApplicationForm
from formbuilder.questions import FormSpec
from tests.browser.conftest import WAIT, sign_in
from tests.browser.test_application_journey import press, type_into
from tests.browser.test_challenge_approval_journey import sign_out
from tests.browser.test_custom_form_journey import start_by_keyboard
from tests.factories import make_applicant, make_challenge, make_round, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def add_block(pw, kind: str, section: int | None = None) -> None:
    """Wagtail's "+" at the end of the form (or of a section's questions), then the block type from its chooser."""
    if section is None:
        button = pw.locator("#content-root .c-sf-add-button").last
    else:
        button = pw.locator("#content-root [data-contentpath=questions]").nth(section).locator(".c-sf-add-button").last
    button.click()
    pw.get_by_role("option", name=kind, exact=True).click()


def test_staff_build_a_form_with_a_condition_and_an_applicant_answers_it(page):
    pw = page.pw
    staff = staff_user()
    add_path = "/admin/application-forms/add/"
    sign_in(page, staff, next_path=add_path)
    pw.wait_for_url(f"**{add_path}", timeout=WAIT)
    pw.fill("#id_name", "CivTech 12 application form")

    add_block(pw, "Section")
    pw.fill("#content-0-value-title", "Your product")
    pw.fill("#content-0-value-key", "product")
    add_block(pw, "Yes or no", section=0)
    pw.fill("#content-0-value-questions-0-value-label", "Does it handle health data?")
    pw.fill("#content-0-value-questions-0-value-key", "health")
    add_block(pw, "Short text", section=0)
    pw.fill("#content-0-value-questions-1-value-label", "Who is your clinical safety officer?")
    pw.fill("#content-0-value-questions-1-value-key", "safety_officer")
    pw.fill("#content-0-value-questions-1-value-show_if-question", "health")
    pw.fill("#content-0-value-questions-1-value-show_if-equals", "Yes")
    add_block(pw, "Declaration")
    pw.fill("#content-1-value-label", "We accept the programme's terms.")
    pw.fill("#content-1-value-key", "declare_terms")
    pw.locator("footer button[type=submit]").first.click()
    pw.wait_for_url(lambda url: "/add/" not in url, timeout=WAIT)

    form = ApplicationForm.objects.get(name="CivTech 12 application form")
    version = form.current_version()
    assert version.number == 1
    questions = version.spec.section("product").questions
    assert [(q.key, q.type) for q in questions] == [("health", "yes_no"), ("safety_officer", "short_text")]
    assert questions[1].show_if.question == "health" and questions[1].show_if.equals == "Yes"
    sign_out(page)

    # The round uses it; a challenge adds its own question (set here as its published content).
    challenge = make_challenge(title="Safer discharge", round=make_round(application_form=form))
    challenge.application_questions = stream_data(FormSpec.from_data({"sections": [
        {"key": "hosting", "title": "Data hosting", "questions": [
            {"key": "hosted_in", "type": "choice", "label": "Where is patient data hosted?", "choices": ["UK", "EU"]},
        ]},
    ]}))  # fmt: skip
    challenge.save()

    application = start_by_keyboard(page, make_applicant(email="lead@discharge.example"), challenge)
    base = f"/applications/{application.pk}"
    page.goto(f"{base}/sections/product/")
    officer = pw.locator("input[name=safety_officer]")
    assert officer.is_hidden()  # the script hides it until "Yes"
    page.audit()
    press(pw, pw.locator("input[name=health][value=Yes]"), "Space")
    officer.wait_for(state="visible")
    type_into(pw, "input[name=safety_officer]", "Dr A Clinician")
    page.audit()
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/sections/hosting/")
    press(pw, pw.locator("input[name=hosted_in][value=UK]"), "Space")
    press(pw, pw.get_by_role("button", name="Save and continue"))
    pw.wait_for_url(f"**{base}/")
    page.goto(f"{base}/check/")
    page.audit()
    press(pw, pw.locator("input[name=declare_terms]"), "Space")
    press(pw, pw.get_by_role("button", name="Submit application"))
    pw.wait_for_url(f"**{base}/submitted/")
    assert application.versions.get().answers == {
        "health": "Yes", "safety_officer": "Dr A Clinician", "hosted_in": "UK"
    }  # fmt: skip
