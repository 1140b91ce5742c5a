"""The applicant's pages, through the test client: who may see what, bad inputs, submission and the deadline."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from applications.models import Application, ApplicationVersion
from applications.services import application_submit, attachment_add
from challenges.models import Round
from tests.factories import (
    ALL_DECLARED,
    GOOD_ANSWERS,
    MembershipFactory,
    OrganisationFactory,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="plan.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def application():
    return make_application()


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def declared(**overrides):
    return {**{key: "on" for key in ALL_DECLARED}, **overrides}


# --- Permission matrix ---------------------------------------------------------------------------
def _urls(application):
    attachment = attachment_add(application=application, by=application.created_by, upload=pdf())
    return {
        "overview": url("overview", application),
        "section": url("section", application, "idea"),
        "check": url("check", application),
        "download": url("download", application, attachment.pk),
    }


def _other_company(application):
    return make_applicant()


def _sponsor_of_challenge(application):
    return MembershipFactory(organisation=application.challenge.sponsor).user


def _sponsor_of_other_challenge(application):
    other = make_challenge()
    return MembershipFactory(organisation=other.sponsor).user


def _applicant_of_other_application(application):
    return make_application().created_by


@pytest.mark.parametrize("page", ["overview", "section", "check", "download"])
def test_the_owner_sees_every_page(client, application, page):
    urls = _urls(application)
    client.force_login(application.created_by)
    assert client.get(urls[page]).status_code == 200


@pytest.mark.parametrize("page", ["overview", "section", "check", "download"])
@pytest.mark.parametrize(
    "who",
    [_other_company, _sponsor_of_challenge, _sponsor_of_other_challenge, _applicant_of_other_application],
)
def test_everyone_else_is_refused_with_a_reason(client, application, page, who, on_commit):
    with on_commit():
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    urls = _urls(application)
    client.force_login(who(application))
    response = client.get(urls[page])
    assert response.status_code == 403
    assert b"You cannot do this" in response.content


@pytest.mark.parametrize("page", ["overview", "section", "check", "download"])
def test_anonymous_people_are_sent_to_sign_in(client, application, page):
    urls = _urls(application)
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_sponsor_is_told_why(client, application, on_commit):
    with on_commit():
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    client.force_login(_sponsor_of_challenge(application))
    response = client.get(url("overview", application))
    assert "Sponsors see applications only after the call closes." in response.content.decode()


# --- Bad inputs ----------------------------------------------------------------------------------
def test_unknown_section_and_unknown_application_are_not_found(client, application):
    client.force_login(application.created_by)
    assert client.get(url("section", application, "salary")).status_code == 404
    assert client.post(url("autosave", application, "salary"), {"text": "x"}).status_code == 404
    assert client.get(reverse("applications:overview", args=[999999])).status_code == 404


def test_a_tampered_application_id_is_refused(client, application):
    other = make_application()
    client.force_login(application.created_by)
    assert client.get(url("overview", other)).status_code == 403
    response = client.post(url("section", other, "idea"), {"idea": "hijack", "action": "draft"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.answers["idea"] == GOOD_ANSWERS["idea"]


def test_an_attachment_of_another_application_is_not_found(client, application):
    other = make_application()
    theirs = attachment_add(application=other, by=other.created_by, upload=pdf())
    client.force_login(application.created_by)
    assert client.get(url("download", application, theirs.pk)).status_code == 404
    assert client.post(url("remove", application, theirs.pk)).status_code == 404
    assert other.attachments.count() == 1


# --- Dashboard -----------------------------------------------------------------------------------
def test_the_dashboard_lists_applications_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    applicant = make_applicant()
    make_application(applicant=applicant)
    client.force_login(applicant)
    with django_assert_max_num_queries(20) as one:
        client.get(reverse("applications:list"))
    for _ in range(7):
        make_application(applicant=applicant)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(reverse("applications:list"))
    body = response.content.decode()
    assert body.count("Reduce missed hospital appointments") == 8
    assert body.count("Not submitted yet") == 8


def test_the_dashboard_shows_reference_status_and_deadline(client, application, on_commit):
    with on_commit():
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    client.force_login(application.created_by)
    body = client.get(reverse("applications:list")).content.decode()
    assert application.reference in body
    assert application.organisation.name in body
    assert "Submitted" in body
    assert "Deadline (UK time)" in body


# --- Starting ------------------------------------------------------------------------------------
def test_one_organisation_confirms_and_starts(client):
    challenge = make_challenge()
    applicant = make_applicant()
    client.force_login(applicant)
    start = reverse("applications:start", args=[challenge.pk])
    response = client.get(start)
    assert response.status_code == 200
    assert applicant.memberships.get().organisation.name in response.content.decode()
    response = client.post(start)
    application = Application.objects.get()
    assert response.url == url("overview", application)
    # Coming back goes to the same application.
    assert client.get(start).url == url("overview", application)


def test_several_organisations_choose_one(client):
    challenge = make_challenge()
    applicant = make_applicant()
    second = OrganisationFactory(name="Second Ltd")
    MembershipFactory(organisation=second, user=applicant)
    client.force_login(applicant)
    start = reverse("applications:start", args=[challenge.pk])
    response = client.get(start)
    assert 'type="radio"' in response.content.decode()
    response = client.post(start, {})
    assert "Select the organisation you are applying for." in response.content.decode()
    client.post(start, {"organisation": second.pk})
    assert Application.objects.get().organisation == second


def test_no_organisation_is_told_to_register_one(client):
    challenge = make_challenge()
    client.force_login(UserFactory())
    response = client.get(reverse("applications:start", args=[challenge.pk]))
    assert response.status_code == 200
    assert reverse("organisations:create") in response.content.decode()


def test_a_public_body_member_cannot_start(client):
    challenge = make_challenge()
    client.force_login(MembershipFactory(organisation=PublicBodyFactory()).user)
    response = client.get(reverse("applications:start", args=[challenge.pk]))
    assert reverse("organisations:create") in response.content.decode()
    assert not Application.objects.exists()


def test_a_closed_challenge_refuses_with_the_reason(client):
    challenge = make_challenge()
    Round.objects.filter(pk=challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    client.force_login(make_applicant())
    start = reverse("applications:start", args=[challenge.pk])
    for response in (client.get(start), client.post(start)):
        assert response.status_code == 403
        assert "This challenge is not open for applications." in response.content.decode()
    assert not Application.objects.exists()


def test_the_challenge_page_links_to_apply_when_signed_in(client):
    challenge = make_challenge()
    client.force_login(make_applicant())
    body = client.get(challenge.url).content.decode()
    assert reverse("applications:start", args=[challenge.pk]) in body


# --- Sections ------------------------------------------------------------------------------------
def test_a_section_shows_label_hint_limit_and_counter(client, application):
    client.force_login(application.created_by)
    body = client.get(url("section", application, "idea")).content.decode()
    assert "Your idea and how it solves the challenge" in body
    assert "500 words or fewer" in body
    assert 'aria-live="polite"' in body
    assert "words remaining" in body
    assert "js/applications.js" in body
    assert "<script>" not in body


def test_save_and_continue_goes_to_the_next_section(client, application):
    client.force_login(application.created_by)
    response = client.post(url("section", application, "idea"), {"idea": "New idea", "action": "continue"})
    assert response.url == url("section", application, "innovation")
    application.refresh_from_db()
    assert application.answers["idea"] == "New idea"
    last = client.post(url("section", application, "equality_sustainability"), {"equality_sustainability": "x"})
    assert last.url == url("overview", application)


def test_a_draft_over_the_limit_is_kept_and_flagged(client, application):
    client.force_login(application.created_by)
    long = "word " * 501
    response = client.post(url("section", application, "idea"), {"idea": long, "action": "draft"}, follow=True)
    application.refresh_from_db()
    assert application.answers["idea"] == long
    body = response.content.decode()
    assert "You have 1 word too many" in body
    assert long.strip() in body  # the textarea shows what was saved
    overview = client.get(url("overview", application)).content.decode()
    assert "Over the word limit" in overview
    check = client.post(url("check", application), declared()).content.decode()
    assert "must be 500 words or fewer (it has 501)" in check
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT and application.answers["idea"] == long


def test_overview_shows_task_statuses(client):
    application = make_application(answers={"idea": "Something"})
    client.force_login(application.created_by)
    body = client.get(url("overview", application)).content.decode()
    assert body.count(">Not started<") == 5
    assert body.count(">Completed<") == 1 and "You have completed 1 of 6 sections." in body
    assert "Check your answers" in body


def test_autosave_saves_and_reports_refusals(client, application):
    client.force_login(application.created_by)
    response = client.post(url("autosave", application, "team"), {"text": "Autosaved team"})
    assert response.status_code == 204
    application.refresh_from_db()
    assert application.answers["team"] == "Autosaved team"
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(minutes=1))
    response = client.post(url("autosave", application, "team"), {"text": "Too late"})
    assert response.status_code == 403
    assert "deadline has passed" in response.content.decode()
    client.logout()
    assert client.post(url("autosave", application, "team"), {"text": "x"}).status_code == 403


# --- Check and submit ----------------------------------------------------------------------------
def test_declarations_are_required_and_nothing_is_lost(client, application):
    client.force_login(application.created_by)
    response = client.post(url("check", application), declared(declare_terms=""))
    body = response.content.decode()
    assert "There is a problem" in body
    assert "We accept the programme" in body
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.answers["idea"] == GOOD_ANSWERS["idea"]


def test_check_page_lists_every_answer_with_change_links(client, application):
    client.force_login(application.created_by)
    body = client.get(url("check", application)).content.decode()
    for key, text in GOOD_ANSWERS.items():
        assert url("section", application, key) in body
        assert escape(text) in body
    assert body.count(">Change<") == 7
    assert 'type="checkbox"' in body


def test_submitting_twice_gives_one_reference_and_one_email(client, application, on_commit):
    client.force_login(application.created_by)
    with on_commit():
        first = client.post(url("check", application), declared())
    with on_commit():
        second = client.post(url("check", application), declared())
    assert first.url == second.url == url("submitted", application)
    assert ApplicationVersion.objects.count() == 1
    assert len(mail.outbox) == 1
    application.refresh_from_db()
    page = client.get(url("submitted", application)).content.decode()
    assert application.reference in page
    assert "We have emailed you" in page
    assert "ds_confirmation-message" in page


def test_two_tabs_submit_once(client, application, on_commit):
    other_tab = type(client)()
    client.force_login(application.created_by)
    other_tab.force_login(application.created_by)
    with on_commit():
        client.post(url("check", application), declared())
        other_tab.post(url("check", application), declared())
    assert ApplicationVersion.objects.count() == 1
    assert len(mail.outbox) == 1


def test_after_the_deadline_submission_is_refused_with_the_message(client, application):
    client.force_login(application.created_by)
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(seconds=1))
    response = client.post(url("check", application), declared())
    assert response.status_code == 403
    assert "The deadline has passed" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    # The answers can still be read.
    assert client.get(url("check", application)).status_code == 200


def test_the_confirmation_page_needs_a_submission(client, application):
    client.force_login(application.created_by)
    assert client.get(url("submitted", application)).url == url("overview", application)


def test_withdraw_confirms_then_withdraws(client, application, on_commit):
    client.force_login(application.created_by)
    assert "Are you sure" in client.get(url("withdraw", application)).content.decode()
    with on_commit():
        response = client.post(url("withdraw", application))
    assert response.url == reverse("applications:list")
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert client.get(url("section", application, "idea")).status_code == 403
