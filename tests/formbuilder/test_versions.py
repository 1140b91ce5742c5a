"""Forms as data: the default form, versions that an edit cannot damage, the builder's blocks, and the apply pages
reading any form (formbuilder.models, formbuilder.blocks, the applicant's pages)."""

import importlib

import pytest
from django.urls import reverse
from wagtail.blocks import StreamBlockValidationError

from applications.models import Application
from formbuilder.blocks import FormStreamBlock, spec_data, stream_data
from formbuilder.default import DEFAULT_DATA, DEFAULT_SPEC
from formbuilder.models import ApplicationForm, FormVersion
from formbuilder.questions import FormSpec
from notifications.models import OutboundEmail
from tests.factories import (
    make_applicant,
    make_challenge,
    make_round,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

CUSTOM = {
    "sections": [
        {"key": "about", "title": "About your product", "guidance": "Tell us the basics.", "questions": [
            {"key": "name", "type": "short_text", "label": "Product name"},
            {"key": "users", "type": "number", "label": "How many users does it have?", "minimum": "0"},
            {"key": "price", "type": "money", "label": "Annual price", "required": False},
            {"key": "launched", "type": "date", "label": "When did it launch?"},
            {"key": "health", "type": "yes_no", "label": "Does it handle health data?"},
            {"key": "safety", "type": "long_text", "label": "How do you manage clinical safety?", "word_limit": 100,
             "show_if": {"question": "health", "equals": "Yes"}},
        ]},
        {"key": "hosting", "title": "Data hosting", "show_if": {"question": "health", "equals": "Yes"}, "questions": [
            {"key": "where", "type": "choice", "label": "Where is the data hosted?", "choices": ["UK", "EU", "Other"]},
        ]},
        {"key": "contact", "title": "Contact", "questions": [
            {"key": "channels", "type": "choices", "label": "How can we reach you?", "choices": ["Email", "Phone"]},
            {"key": "email", "type": "email", "label": "Email address"},
            {"key": "site", "type": "url", "label": "Website", "required": False},
        ]},
    ],
    "declarations": [{"key": "declare_terms", "label": "We accept the terms."}],
}  # fmt: skip
GOOD = {
    "name": "Booker", "users": "1,200", "price": "£4,000", "launched": "1/9/2025", "health": "No",
    "channels": ["Email"], "email": "team@booker.example", "site": "",
}  # fmt: skip


def form_of(data: dict, name: str = "Next round's form") -> ApplicationForm:
    return ApplicationForm.objects.create(name=name, content=stream_data(FormSpec.from_data(data)))


def relabel(form: ApplicationForm, key: str, label: str) -> None:
    data = form.current_version().questions
    for section in data["sections"]:
        for question in section["questions"]:
            if question["key"] == key:
                question["label"] = label
    form.content = stream_data(FormSpec.from_data(data))
    form.save()


# --- the default form -----------------------------------------------------------------------------------------------
def test_the_default_form_is_todays_six_sections_and_three_declarations_in_its_first_version():
    default = ApplicationForm.default()
    assert default.current_version().number == 1
    assert default.current_version().questions == DEFAULT_DATA == DEFAULT_SPEC.to_data()
    assert spec_data(default.content) == DEFAULT_DATA  # what the builder shows is what the version holds
    migration = importlib.import_module("formbuilder.migrations.0002_default_form")
    assert migration.QUESTIONS == DEFAULT_DATA and default.name == migration.NAME


def test_a_round_without_a_form_uses_the_default_and_one_with_a_form_uses_its_own():
    assert make_round().form() == ApplicationForm.default()
    custom = form_of(CUSTOM)
    assert make_round(application_form=custom).form() == custom


# --- versions ------------------------------------------------------------------------------------------------------
def test_editing_a_form_nobody_has_used_updates_its_version_in_place():
    form = form_of(CUSTOM)
    relabel(form, "name", "What is it called?")
    assert list(form.versions.values_list("number", flat=True)) == [1]
    assert form.current_version().spec.question("name").label == "What is it called?"


def test_saving_unchanged_questions_makes_no_version():
    form = form_of(CUSTOM)
    Application.objects.none()  # nothing used yet; now use it
    start_on(form)
    form.description = "Only the staff note changed."
    form.save()
    assert form.versions.count() == 1


def start_on(form: ApplicationForm) -> Application:
    from applications.services import application_start

    challenge = make_challenge(round=make_round(application_form=form))
    applicant = make_applicant()
    return application_start(challenge=challenge, organisation=applicant.memberships.get().organisation, by=applicant)


def test_editing_a_form_after_an_application_used_it_makes_a_new_version_and_leaves_the_old_one_alone():
    form = form_of(CUSTOM)
    used = start_on(form)
    old = form.current_version()
    frozen = dict(old.questions)
    relabel(form, "name", "What is it called?")
    assert list(form.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    old.refresh_from_db()
    assert old.questions == frozen  # never edited in place once used
    used.refresh_from_db()
    assert used.form_version == old and used.spec.question("name").label == "Product name"
    assert start_on(form).form_version.number == 2


def test_a_submitted_version_keeps_the_questions_it_answered_and_its_page_shows_them(client):
    from applications.services import application_save, application_submit

    form = form_of(CUSTOM)
    application = start_on(form)
    applicant = application.created_by
    application_save(application=application, by=applicant, answers=GOOD)
    version = application_submit(application_id=application.pk, by=applicant, declarations={"declare_terms": True})
    assert version.questions == CUSTOM_NORMALISED() and version.form_version == application.form_version
    asked = ("name", "users", "price", "launched", "health", "channels", "email", "site")
    assert version.answers == {key: GOOD.get(key, "") for key in asked}
    relabel(form, "name", "What is it called?")
    client.force_login(applicant)
    page = client.get(reverse("applications:version", args=[application.pk, 1])).content.decode()
    assert "Product name" in page and "What is it called?" not in page and "Booker" in page


def CUSTOM_NORMALISED() -> dict:
    return FormSpec.from_data(CUSTOM).to_data()


# --- the builder's blocks -------------------------------------------------------------------------------------------
def test_the_builders_stream_and_the_frozen_questions_are_one_and_the_same():
    block = FormStreamBlock()
    value = block.to_python(stream_data(FormSpec.from_data(CUSTOM)))
    assert spec_data(value) == CUSTOM_NORMALISED()
    assert spec_data(block.clean(value)) == CUSTOM_NORMALISED()


def test_the_builder_refuses_a_form_with_a_duplicate_key_or_a_condition_on_a_later_question():
    broken = FormSpec.from_data(CUSTOM).to_data()
    broken["sections"][2]["questions"][1]["key"] = "name"
    broken["sections"][0]["questions"][0]["show_if"] = {"question": "email", "equals": "x"}
    block = FormStreamBlock()
    with pytest.raises(StreamBlockValidationError) as refused:
        block.clean(block.to_python(stream_data(FormSpec.from_data(broken))))
    messages = [str(getattr(error, "message", error)) for error in refused.value.non_block_errors]
    assert "Question “Email address”: the key “name” is used by another question." in messages
    assert "Question “Product name”: its condition must point at an earlier question (“email” is not)." in messages


# --- the builder in the admin: programme staff only ----------------------------------------------------------------
def test_staff_build_and_copy_forms_in_the_admin_and_a_sponsor_cannot(client):
    form = form_of(CUSTOM)
    client.force_login(staff_user())
    for url in (
        reverse("wagtailsnippets_formbuilder_applicationform:list"),
        reverse("wagtailsnippets_formbuilder_applicationform:add"),
        reverse("wagtailsnippets_formbuilder_applicationform:edit", args=[form.pk]),
        reverse("wagtailsnippets_formbuilder_applicationform:copy", args=[form.pk]),
        reverse("wagtailsnippets_formbuilder_applicationform:inspect", args=[form.pk]),
    ):
        assert client.get(url).status_code == 200, url
    sponsor = make_sponsor_member(make_challenge().sponsor, mfa=True)
    client.force_login(sponsor)
    for url in (
        reverse("wagtailsnippets_formbuilder_applicationform:list"),
        reverse("wagtailsnippets_formbuilder_applicationform:edit", args=[form.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403) and "Booker" not in response.content.decode()
    assert not FormVersion.objects.filter(form=form, number=2).exists()


# --- the apply pages read any form ---------------------------------------------------------------------------------
def test_an_applicant_answers_every_question_type_and_submits(client):
    application = start_on(form_of(CUSTOM))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "about"])
    page = client.get(url).content.decode()
    assert "Tell us the basics." in page
    assert "Only if you answered “Does it handle health data?” with “Yes”." in page  # no JavaScript: said, shown
    about = {k: GOOD[k] for k in ("name", "users", "price", "launched", "health")}
    response = client.post(url, {**about, "action": "continue"})
    # "No" to health data: the hosting section does not apply, so the next is contact.
    assert response.url == reverse("applications:section", args=[application.pk, "contact"])
    response = client.post(
        reverse("applications:section", args=[application.pk, "contact"]),
        {"channels": ["Email"], "email": GOOD["email"], "action": "continue"},
    )
    assert response.url == reverse("applications:overview", args=[application.pk])
    check = client.get(reverse("applications:check", args=[application.pk])).content.decode()
    assert "Before you can submit" not in check and "Booker" in check and "Data hosting" not in check
    response = client.post(reverse("applications:check", args=[application.pk]), {"declare_terms": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_a_mistyped_answer_is_kept_and_named_and_the_applicant_stays_on_the_page(client):
    application = start_on(form_of(CUSTOM))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "about"])
    typed = {
        "name": "Booker",
        "users": "lots",
        "launched": "31/2/2027",
        "health": "Yes",
        "safety": "We follow DCB0129.",
    }
    response = client.post(url, {**typed, "action": "continue"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“How many users does it have?” must be a number, like 12 or 3.5." in page
    assert "“When did it launch?” must be a real date, like 27 3 2027 or 27/03/2027." in page
    assert 'value="lots"' in page and 'value="31/2/2027"' in page
    application.refresh_from_db()
    assert {k: application.answers[k] for k in typed} == typed  # nothing typed is lost


def test_health_data_yes_asks_the_hosting_section_and_checks_its_answer(client):
    application = start_on(form_of(CUSTOM))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "about"])
    response = client.post(url, {**{k: GOOD[k] for k in ("name", "users", "launched")}, "health": "Yes",
                                 "action": "continue"})  # fmt: skip
    assert response.url == reverse("applications:section", args=[application.pk, "hosting"])
    from applications.services import submission_problems

    application.refresh_from_db()
    assert set(submission_problems(application)) == {"safety", "where", "channels", "email"}


def test_a_tampered_choice_is_refused_with_a_message_and_nothing_else_is_lost(client):
    application = start_on(form_of(CUSTOM))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "contact"])
    response = client.post(url, {"channels": ["Email", "Carrier pigeon"], "email": "a@b.example", "action": "draft"})
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_questions_of_a_section_that_is_not_the_pages_are_not_saved_from_it(client):
    application = start_on(form_of(CUSTOM))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "contact"])
    client.post(url, {"email": "a@b.example", "name": "Smuggled", "action": "draft"})
    application.refresh_from_db()
    assert application.answers.get("name") is None and application.answers["email"] == "a@b.example"


def questions_form(count: int) -> dict:
    return {
        "sections": [{"key": "all", "title": "Everything", "questions": [
            {"key": f"q{i}", "type": ["short_text", "number", "yes_no", "long_text"][i % 4], "label": f"Question {i}",
             "word_limit": 50}
            for i in range(count)
        ]}],
        "declarations": [{"key": "declare_terms", "label": "We accept the terms."}],
    }  # fmt: skip


@pytest.mark.parametrize("page", ["section", "overview", "check", "autosave"])
def test_the_apply_pages_run_the_same_queries_for_2_or_60_questions(client, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for count in (2, 60):
        application = start_on(form_of(questions_form(count), name=f"Form of {count}"))
        client.force_login(application.created_by)
        url = {
            "section": reverse("applications:section", args=[application.pk, "all"]),
            "overview": reverse("applications:overview", args=[application.pk]),
            "check": reverse("applications:check", args=[application.pk]),
            "autosave": reverse("applications:autosave", args=[application.pk, "q0"]),
        }[page]

        def ask(url=url):
            return client.post(url, {"text": "Typed"}) if page == "autosave" else client.get(url)

        ask()  # the first request of a sign-in reads what later ones have cached (the session, the site)
        with CaptureQueriesContext(connection) as queries:
            response = ask()
        assert response.status_code in (200, 204)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


# --- a challenge's own questions ------------------------------------------------------------------------------------
HOSTING = {
    "key": "hosting", "title": "Data hosting", "questions": [
        {"key": "hosted_in", "type": "choice", "label": "Where will patient data be hosted?", "choices": ["UK", "EU"]},
    ],
}  # fmt: skip


def with_questions(challenge, *sections):
    challenge.application_questions = stream_data(FormSpec.from_data({"sections": list(sections)}))
    challenge.save()
    return challenge


def test_a_challenges_own_questions_follow_the_rounds_form_and_must_be_answered(client):
    from applications.services import application_start, submission_problems
    from tests.factories import GOOD_ANSWERS

    challenge = with_questions(make_challenge(), HOSTING)
    applicant = make_applicant()
    application = application_start(challenge=challenge, organisation=applicant.memberships.get().organisation,
                                     by=applicant)  # fmt: skip
    client.force_login(applicant)
    for key, text in GOOD_ANSWERS.items():
        client.post(reverse("applications:section", args=[application.pk, key]), {key: text, "action": "draft"})
    overview = client.get(reverse("applications:overview", args=[application.pk])).content.decode()
    assert overview.index("Equality, diversity") < overview.index("Data hosting")
    application.refresh_from_db()
    assert list(submission_problems(application)) == ["hosted_in"]
    client.post(reverse("applications:section", args=[application.pk, "hosting"]), {"hosted_in": "UK"})
    client.post(reverse("applications:check", args=[application.pk]), ALL_DECLARED_ON)
    version = application.versions.get()
    assert version.answers["hosted_in"] == "UK"
    assert version.spec.section("hosting").title == "Data hosting"


ALL_DECLARED_ON = {"declare_eligible": "on", "declare_no_conflict": "on", "declare_terms": "on"}


def test_editing_a_challenges_questions_later_leaves_started_applications_with_theirs():
    from applications.services import application_start

    challenge = with_questions(make_challenge(), HOSTING)
    applicant = make_applicant()
    started = application_start(challenge=challenge, organisation=applicant.memberships.get().organisation,
                                by=applicant)  # fmt: skip
    relabelled = {**HOSTING, "questions": [{**HOSTING["questions"][0], "label": "Where is it hosted?"}]}
    with_questions(challenge, relabelled)
    started.refresh_from_db()
    assert started.spec.question("hosted_in").label == "Where will patient data be hosted?"
    later = make_applicant()
    newer = application_start(challenge=challenge, organisation=later.memberships.get().organisation, by=later)
    assert newer.spec.question("hosted_in").label == "Where is it hosted?"


def test_a_challenge_question_that_clashes_with_the_rounds_form_is_refused_with_why():
    from django.core.exceptions import ValidationError

    clash = {"key": "more", "title": "More", "questions": [{"key": "idea", "type": "short_text", "label": "Idea"}]}
    with pytest.raises(ValidationError) as refused:
        with_questions(make_challenge(), clash)
    assert refused.value.message_dict["application_questions"] == [
        "Question “Idea”: the key “idea” is used by another question."
    ]


def test_the_staff_export_has_a_column_per_question_key_each_version_read_through_its_own_questions(client):
    """Two applications on two forms in one export: the default form's six keys and the custom form's keys, each
    application's answers (as submitted) under its own keys, the rest empty; the version and form named."""
    import csv
    import io

    from applications.services import application_save, application_submit
    from tests.factories import ALL_DECLARED, make_application

    default_one = make_application()
    application_submit(application_id=default_one.pk, by=default_one.created_by, declarations=ALL_DECLARED)
    custom = start_on(form_of(CUSTOM))
    application_save(application=custom, by=custom.created_by, answers=GOOD)
    application_submit(application_id=custom.pk, by=custom.created_by, declarations={"declare_terms": True})
    client.force_login(staff_user())
    response = client.get(reverse("wagtailsnippets_applications_application:list") + "?export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_reference = {row["Reference"]: row for row in rows}
    default_row = by_reference[Application.objects.get(pk=default_one.pk).reference]
    custom_row = by_reference[Application.objects.get(pk=custom.pk).reference]
    assert default_row["idea"].startswith("A booking assistant") and default_row["name"] == ""
    assert custom_row["name"] == "Booker" and custom_row["channels"] == "Email" and custom_row["idea"] == ""
    assert custom_row["Version submitted"] == "1" and custom_row["Form"] == "Next round's form (version 1)"
    header = list(rows[0])
    assert header.index("idea") < header.index("equality_sustainability")
    assert header.index("name") < header.index("site")


# --- staff move drafts onto the latest version ----------------------------------------------------------------------
def test_staff_move_drafts_to_the_latest_version_keeping_answers_and_each_team_is_told(client):
    from applications.services import application_save, application_submit
    from applications.services.forms import drafts_behind, drafts_move_to_latest

    form = form_of(CUSTOM)
    draft = start_on(form)
    application_save(application=draft, by=draft.created_by, answers={"name": "Booker", "users": "12"})
    submitted = start_on(form)
    application_save(application=submitted, by=submitted.created_by, answers=GOOD)
    application_submit(application_id=submitted.pk, by=submitted.created_by, declarations={"declare_terms": True})
    data = form.current_version().questions
    data["sections"][0]["questions"].append({"key": "pilot", "type": "yes_no", "label": "Have you run a pilot?"})
    form.content = stream_data(FormSpec.from_data(data))
    form.save()
    assert list(drafts_behind(form)) == [draft]  # submitted applications never move

    staff = staff_user()
    client.force_login(staff)
    page = client.get(reverse("evaluation:move_drafts", args=[form.pk])).content.decode()
    assert "Move 1 draft to version 2" in page
    response = client.post(reverse("evaluation:move_drafts", args=[form.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_version.number == 2 and draft.answers == {"name": "Booker", "users": "12"}
    email = OutboundEmail.objects.get(to=draft.created_by.email, subject__contains="has changed")
    assert "We kept every answer you have written" in email.body_text and "- Have you run a pilot?" in email.body_text
    client.force_login(draft.created_by)
    overview = client.get(reverse("applications:overview", args=[draft.pk])).content.decode()
    assert "The application form has changed" in overview
    submitted.refresh_from_db()
    assert submitted.form_version.number == 1
    with pytest.raises(Exception, match="No drafts are on an earlier version"):
        drafts_move_to_latest(form=form, by=staff)


def test_only_staff_move_drafts(client):
    from django.core.exceptions import PermissionDenied

    from applications.services.forms import drafts_move_to_latest

    form = form_of(CUSTOM)
    applicant = start_on(form).created_by
    with pytest.raises(PermissionDenied, match="Only programme staff can move drafts"):
        drafts_move_to_latest(form=form, by=applicant)
    client.force_login(applicant)
    response = client.post(reverse("evaluation:move_drafts", args=[form.pk]))
    assert response.status_code in (302, 403)
    assert start_on(form).form_version.number == 1


@pytest.mark.parametrize(
    ("who", "allowed"), [("anonymous", False), ("applicant", False), ("sponsor", False), ("assessor", False),
                         ("staff", True)],
)  # fmt: skip
def test_the_move_drafts_rule_allows_programme_staff_alone(who, allowed):
    from django.contrib.auth.models import AnonymousUser

    from accounts.roles import Role
    from civtech.permissions import has_permission
    from tests.factories import UserFactory

    people = {
        "anonymous": lambda: AnonymousUser(),
        "applicant": lambda: make_applicant(),
        "sponsor": lambda: make_sponsor_member(make_challenge().sponsor),
        "assessor": lambda: UserFactory(role=Role.ASSESSOR),
        "staff": lambda: staff_user(),
    }
    result, reason = has_permission("application_form.move_drafts", people[who](), ApplicationForm.default())
    assert result is allowed
    assert allowed or reason == "Only programme staff can move drafts to a new version of a form."


# --- found by review: each guarded -----------------------------------------------------------------------------------
def test_two_saves_from_stale_copies_keep_both_answers():
    """Two autosaves at once (two long answers on one page, or two team members) each load the application before
    the other saves: both answers are kept, neither overwrites the other with its stale copy."""
    from applications.services import application_save

    application = start_on(form_of(CUSTOM))
    first, second = (Application.objects.get(pk=application.pk) for _ in range(2))
    application_save(application=first, by=application.created_by, answers={"name": "Booker"})
    application_save(application=second, by=application.created_by, answers={"email": "a@b.example"})
    application.refresh_from_db()
    assert application.answers == {"name": "Booker", "email": "a@b.example"}


def test_help_text_written_by_staff_or_a_sponsor_is_shown_as_text_not_markup(client):
    data = FormSpec.from_data(CUSTOM).to_data()
    data["sections"][0]["questions"][0]["help_text"] = '<a href="https://evil.example">Upload here</a>'
    application = start_on(form_of(data))
    client.force_login(application.created_by)
    page = client.get(reverse("applications:section", args=[application.pk, "about"])).content.decode()
    assert '<a href="https://evil.example">' not in page
    assert "&lt;a href=&quot;https://evil.example&quot;&gt;Upload here&lt;/a&gt;" in page


def test_a_key_the_page_itself_uses_is_refused():
    from formbuilder.questions import validate_spec

    for key in ("action", "csrfmiddlewaretoken", "text"):
        spec = FormSpec.from_data({"sections": [{"key": "s", "title": "S", "questions": [
            {"key": key, "type": "short_text", "label": "L"}]}]})  # fmt: skip
        assert validate_spec(spec) == [f"Question “L”: the key “{key}” is reserved; choose another."]


def test_a_challenge_whose_questions_no_longer_fit_its_rounds_form_refuses_to_start_with_why():
    from applications.services import application_start
    from civtech.errors import DomainError

    form = form_of(CUSTOM)
    challenge = with_questions(make_challenge(round=make_round(application_form=form)), {**HOSTING, "key": "own"})
    data = form.current_version().questions
    data["sections"][0]["questions"].append({"key": "hosted_in", "type": "short_text", "label": "Hosted in"})
    form.content = stream_data(FormSpec.from_data(data))
    form.save()
    applicant = make_applicant()
    with pytest.raises(DomainError, match="no longer fit its round's application form"):
        application_start(challenge=challenge, organisation=applicant.memberships.get().organisation, by=applicant)


def test_conditions_that_loop_in_an_unchecked_form_end_instead_of_recursing():
    looped = FormSpec.from_data({"sections": [{"key": "s", "title": "S", "questions": [
        {"key": "a", "type": "yes_no", "label": "A", "show_if": {"question": "b", "equals": "Yes"}},
        {"key": "b", "type": "yes_no", "label": "B", "show_if": {"question": "a", "equals": "Yes"}},
    ]}]})  # fmt: skip
    assert looped.problems({"a": "Yes", "b": "Yes"}) == {}


def test_changing_an_answer_that_is_not_asked_does_not_count_as_a_change_since_submission():
    from applications.services import application_save, application_submit

    application = start_on(form_of(CUSTOM))
    application_save(application=application, by=application.created_by, answers=GOOD)
    application_submit(application_id=application.pk, by=application.created_by, declarations={"declare_terms": True})
    application = Application.objects.get(pk=application.pk)
    application_save(application=application, by=application.created_by, answers={"safety": "Only if health data"})
    application = Application.objects.get(pk=application.pk)
    assert not application.changed_since_submission  # "health" is No: safety is not asked
    application_save(application=application, by=application.created_by, answers={"name": "Booker Two"})
    assert Application.objects.get(pk=application.pk).changed_since_submission


def test_an_answer_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(client):
    import csv
    import io

    from applications.services import application_save, application_submit

    application = start_on(form_of(CUSTOM))
    application_save(application=application, by=application.created_by,
                     answers={**GOOD, "name": '=HYPERLINK("https://evil.example","Click")'})  # fmt: skip
    application_submit(application_id=application.pk, by=application.created_by, declarations={"declare_terms": True})
    client.force_login(staff_user())
    response = client.get(reverse("wagtailsnippets_applications_application:list") + "?export=csv")
    (row,) = [r for r in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())) if r["name"]]
    assert row["name"] == '\'=HYPERLINK("https://evil.example","Click")'


def test_nobody_deletes_a_form_in_the_admin_not_even_a_superuser(client):
    from tests.factories import UserFactory

    form = form_of(CUSTOM)
    start_on(form)
    superuser = UserFactory(mfa=True)
    superuser.is_superuser = True
    superuser.save()
    client.force_login(superuser)
    url = reverse("wagtailsnippets_formbuilder_applicationform:delete", args=[form.pk])
    assert client.get(url).status_code in (302, 403)
    assert client.post(url).status_code in (302, 403)
    assert ApplicationForm.objects.filter(pk=form.pk).exists()
    listing = client.get(reverse("wagtailsnippets_formbuilder_applicationform:list")).content.decode()
    assert url not in listing


# --- file questions -------------------------------------------------------------------------------------------------
FILES = {
    "sections": [{"key": "evidence", "title": "Evidence", "questions": [
        {"key": "pitch", "type": "short_text", "label": "One-line pitch"},
        {"key": "safety_case", "type": "file", "label": "Your clinical safety case", "file_kinds": ["pdf"],
         "max_mb": 1},
    ]}],
    "declarations": [{"key": "declare_terms", "label": "We accept the terms."}],
}  # fmt: skip


def pdf(size: int = 2000, name: str = "safety.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    head = b"%PDF-1.4\n"
    return SimpleUploadedFile(name, head + b"0" * (size - len(head)), content_type="application/pdf")


def test_a_file_question_takes_a_checked_file_as_its_answer_and_a_submission_freezes_it(client):
    from applications.services import application_submit, submission_problems

    application = start_on(form_of(FILES))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "evidence"])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'accept=".pdf"' in page
    assert "A PDF file, 1 MB or smaller." in page and "No file uploaded yet." in page
    application.refresh_from_db()
    assert submission_problems(application)["safety_case"] == "Upload a file for “Your clinical safety case”."

    response = client.post(url, {"pitch": "Texts that rebook", "safety_case": pdf(), "action": "continue"})
    assert response.status_code == 302
    application = Application.objects.get(pk=application.pk)
    (attachment,) = application.attachments.all()
    assert (attachment.question_key, attachment.name) == ("safety_case", "safety.pdf")
    assert application.answers == {"pitch": "Texts that rebook", "safety_case": "safety.pdf"}
    assert application.supporting_files == []  # a question's file is its answer, not a supporting file
    page = client.get(url).content.decode()
    assert f"/applications/{application.pk}/attachments/{attachment.pk}/download/" in page

    # A second file replaces the first.
    client.post(url, {"pitch": "Texts that rebook", "safety_case": pdf(name="safety-v2.pdf"), "action": "draft"})
    application = Application.objects.get(pk=application.pk)
    assert [a.name for a in application.attachments.all()] == ["safety-v2.pdf"]
    version = application_submit(application_id=application.pk, by=application.created_by,
                                 declarations={"declare_terms": True})  # fmt: skip
    assert version.answers["safety_case"] == "safety-v2.pdf"
    assert [(f["name"], f["question"]) for f in version.attachments] == [("safety-v2.pdf", "safety_case")]
    page = html_text(client.get(reverse("applications:version", args=[application.pk, 1])))
    assert "safety-v2.pdf</a> (2.0\xa0KB), for “Your clinical safety case”" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: pdf(name="safety.docx"), "The selected file is not really a DOCX"),
        (lambda: pdf(size=1024 * 1024 + 1), "“Your clinical safety case” must be 1 MB or smaller."),
        (lambda: pdf(name="notes.txt"), "The selected file must be a PDF, DOCX, ODT or PPTX."),
    ],
    ids=["disguised", "too-large", "wrong-kind"],
)
def test_a_refused_file_is_named_on_its_question_and_the_other_answers_are_saved(client, upload, message):
    application = start_on(form_of(FILES))
    client.force_login(application.created_by)
    url = reverse("applications:section", args=[application.pk, "evidence"])
    response = client.post(url, {"pitch": "Kept", "safety_case": upload(), "action": "continue"})
    assert response.status_code == 200
    assert message in html_text(response)
    application.refresh_from_db()
    assert application.answers == {"pitch": "Kept"} and not application.attachments.exists()


def test_a_file_question_accepts_only_its_own_kinds():
    from applications.services import answer_file_attach
    from civtech.errors import DomainError

    application = start_on(form_of(FILES))
    docx = io_docx()
    with pytest.raises(DomainError, match=r"“Your clinical safety case” must be a PDF file\."):
        answer_file_attach(application=application, by=application.created_by, question_key="safety_case",
                           upload=docx)  # fmt: skip


def io_docx():
    import io
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile("case.docx", buffer.getvalue())


def html_text(response) -> str:
    import html

    return html.unescape(response.content.decode())


def test_a_file_answer_cannot_be_typed_and_removing_the_file_unanswers_it(client):
    from applications.services import answer_file_attach, application_save
    from civtech.errors import DomainError

    application = start_on(form_of(FILES))
    with pytest.raises(DomainError, match=r"Upload a file for “Your clinical safety case”\."):
        application_save(application=application, by=application.created_by, answers={"safety_case": "typed.pdf"})
    attachment = answer_file_attach(application=application, by=application.created_by, question_key="safety_case",
                                    upload=pdf())  # fmt: skip
    client.force_login(application.created_by)
    client.post(reverse("applications:remove", args=[application.pk, attachment.pk]))
    application.refresh_from_db()
    assert "safety_case" not in application.answers and not application.attachments.exists()


def test_a_file_question_survives_the_builder_both_ways():
    block = FormStreamBlock()
    value = block.clean(block.to_python(stream_data(FormSpec.from_data(FILES))))
    assert spec_data(value) == FormSpec.from_data(FILES).to_data()
    assert spec_data(value)["sections"][0]["questions"][1]["file_kinds"] == ["pdf"]


def test_staff_copy_this_rounds_form_to_start_the_next_ones_through_the_admin(client):
    """The admin's copy view posts the copied questions under a new name: a new form, version 1, same questions."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    original = form_of(FILES, name="CivTech 11 form")
    client.force_login(staff_user())
    url = reverse("wagtailsnippets_formbuilder_applicationform:copy", args=[original.pk])
    assert "CivTech 11 form" in client.get(url).content.decode()
    section = {
        "title": "Evidence", "key": "evidence", "guidance": "", "show_if": {"question": "", "equals": ""},
        "questions": streamfield([
            ("short_text", {"label": "One-line pitch", "key": "pitch", "help_text": "", "required": "on",
                            "show_if": {"question": "", "equals": ""}}),
            ("file", {"label": "Your clinical safety case", "key": "safety_case", "help_text": "", "required": "on",
                      "show_if": {"question": "", "equals": ""}, "file_kinds": ("pdf",), "max_mb": "1"}),
        ]),
    }  # fmt: skip
    data = nested_form_data({
        "name": "CivTech 12 form", "description": "",
        "content": streamfield([
            ("section", section),
            ("declaration", {"label": "We accept the terms.", "key": "declare_terms"}),
        ]),
    })  # fmt: skip
    # The copy page posts to the add view; a post to the copy URL itself also makes a new form, never an edit.
    assert f'action="{reverse("wagtailsnippets_formbuilder_applicationform:add")}"' in client.get(url).content.decode()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    original.refresh_from_db()
    assert original.name == "CivTech 11 form"
    copy = ApplicationForm.objects.get(name="CivTech 12 form")
    assert copy.pk != original.pk and copy.current_version().number == 1
    assert copy.current_version().questions == original.current_version().questions
    assert not copy.is_default


def test_the_move_drafts_page_costs_the_same_queries_for_one_draft_behind_and_five(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    form = form_of(CUSTOM)
    staff = staff_user()
    url = reverse("evaluation:move_drafts", args=[form.pk])
    counts = []
    for drafts in (1, 4):  # then five drafts in all
        for _ in range(drafts):
            start_on(form)
        data = form.current_version().questions  # a new version: every draft is now behind
        data["sections"][0]["questions"].append({"key": f"q{len(counts)}", "type": "yes_no", "label": "One more?"})
        form.content = stream_data(FormSpec.from_data(data))
        form.save()
        client.force_login(staff)
        client.get(url)  # shared parts made again after new content, then kept
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert f"Move {1 if not counts else 5} draft" in page
        counts.append(len(queries))
    assert counts[1] <= counts[0], counts
