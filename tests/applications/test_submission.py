"""Applying: drafts, the deadline, idempotent submission, reference numbers, versions and withdrawal."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from applications.models import Application, ApplicationVersion
from applications.services import (
    application_save,
    application_start,
    application_submit,
    application_withdraw,
    submission_problems,
)
from challenges.models import Round
from civtech.errors import DomainError
from tests.factories import ALL_DECLARED, PublicBodyFactory, make_applicant, make_application, make_challenge

pytestmark = pytest.mark.django_db


def submit(application, user=None, declarations=ALL_DECLARED):
    return application_submit(
        application_id=application.pk, by=user or application.created_by, declarations=declarations
    )


def test_submitting_freezes_a_version_gives_a_reference_and_emails_once(on_commit):
    application = make_application()
    with on_commit():
        version = submit(application)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    round_code = application.challenge.round.code
    assert application.reference == f"{round_code}-01-0001"
    assert version.number == 1
    assert version.answers["idea"].startswith("A booking assistant")
    assert len(mail.outbox) == 1
    assert application.reference in mail.outbox[0].subject
    assert "Version: 1, submitted " in mail.outbox[0].body  # the confirmation names the version it confirms
    assert ModelLogEntry.objects.filter(action="civtech.application.submit").count() == 1


def test_submitting_twice_unchanged_is_one_submission_and_one_email(on_commit):
    application = make_application()
    with on_commit():
        first = submit(application)
        second = submit(application)
    assert first.pk == second.pk
    assert ApplicationVersion.objects.count() == 1
    assert len(mail.outbox) == 1


def test_editing_and_resubmitting_keeps_every_version(on_commit):
    application = make_application()
    with on_commit():
        submit(application)
        application_save(application=application, by=application.created_by, answers={"idea": "A better idea."})
        second = submit(application)
    assert second.number == 2
    assert list(application.versions.values_list("answers__idea", flat=True)) == [
        "A booking assistant that texts patients and rebooks in one reply.",
        "A better idea.",
    ]
    application.refresh_from_db()
    assert application.reference.endswith("-0001")  # the reference stays with the application
    assert len(mail.outbox) == 2
    assert "Version: 2, submitted " in mail.outbox[1].body


def test_references_count_up_per_challenge():
    challenge = make_challenge()
    refs = [submit(make_application(challenge=challenge)).application.reference for _ in range(3)]
    assert [r[-4:] for r in refs] == ["0001", "0002", "0003"]


def test_submission_is_refused_after_the_deadline_with_a_clear_message():
    application = make_application()
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(seconds=1))
    application.challenge.round.refresh_from_db()
    with pytest.raises(PermissionDenied, match="The deadline has passed"):
        submit(application)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not ApplicationVersion.objects.exists()


def test_submission_one_second_before_the_deadline_is_accepted():
    application = make_application()
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() + timedelta(seconds=2))
    assert submit(application).number == 1


def test_every_declaration_is_needed():
    application = make_application()
    with pytest.raises(DomainError, match="Confirm each declaration"):
        submit(application, declarations={**ALL_DECLARED, "declare_terms": False})


def test_empty_and_over_long_answers_are_named():
    application = make_application(answers={"idea": "word " * 501})
    problems = submission_problems(application)
    assert problems["idea"] == "“Your idea and how it solves the challenge” must be 500 words or fewer (it has 501)."
    assert problems["innovation"] == "Answer “What is innovative about it”."
    with pytest.raises(DomainError, match="must be 500 words or fewer"):
        submit(application)


def test_withdrawal_before_the_deadline_and_never_after(on_commit):
    application = make_application()
    with on_commit():
        submit(application)
        application_withdraw(application_id=application.pk, by=application.created_by)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    with pytest.raises(PermissionDenied, match="withdrawn"):
        application_save(application=application, by=application.created_by, answers={"idea": "again"})


def test_one_application_per_organisation_per_challenge():
    applicant = make_applicant()
    challenge = make_challenge()
    organisation = applicant.memberships.get().organisation
    first = application_start(challenge=challenge, organisation=organisation, by=applicant)
    again = application_start(challenge=challenge, organisation=organisation, by=applicant)
    assert first.pk == again.pk


def test_another_company_cannot_touch_the_application():
    application = make_application()
    outsider = make_applicant()
    with pytest.raises(PermissionDenied, match="Only members of the applying organisation"):
        application_save(application=application, by=outsider, answers={"idea": "hijack"})
    with pytest.raises(PermissionDenied):
        submit(application, user=outsider)


def test_public_bodies_cannot_apply():
    applicant = make_applicant(organisation=PublicBodyFactory())
    with pytest.raises((DomainError, PermissionDenied)):
        application_start(
            challenge=make_challenge(), organisation=applicant.memberships.get().organisation, by=applicant
        )


def test_withdrawal_records_when_and_who_on_the_audit_log_and_tells_the_applicant(on_commit):
    application = make_application()
    owner = application.created_by
    with on_commit():
        submit(application)
    mail.outbox.clear()
    before = timezone.now()
    with on_commit():
        application_withdraw(application_id=application.pk, by=owner)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert before <= application.withdrawn_at <= timezone.now()
    entry = ModelLogEntry.objects.for_instance(application).get(action="civtech.application.withdraw")
    assert entry.user == owner
    assert entry.data == {"before": "submitted", "after": "withdrawn"}
    (email,) = mail.outbox
    assert email.to == [owner.email]
    assert email.subject == f"[CivTech] Application withdrawn: {application.challenge.title}"
    assert f'Your application {application.reference} to "{application.challenge.title}" has been withdrawn.' in (
        email.body
    )


def test_removing_a_file_is_on_the_audit_log_with_its_name_and_who(on_commit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.services import attachment_add, attachment_remove

    application = make_application()
    owner = application.created_by
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = attachment_add(application=application, by=owner, upload=upload)
    attachment_remove(attachment=attachment, by=owner)
    entry = ModelLogEntry.objects.for_instance(application).get(action="civtech.application.detach")
    assert (entry.user, entry.data) == (owner, {"file": "plan.pdf"})
    assert not application.attachments.exists()


def test_a_reference_numbers_the_challenge_within_its_own_round():
    """The middle part is the challenge's place in its round: challenges of other rounds do not push it along."""
    from tests.factories import make_round

    make_challenge(title="Earlier, in another round")
    make_challenge(title="Also earlier, in another round")
    later_round = make_round(name="A later round")
    first, second = make_challenge(round=later_round, title="First"), make_challenge(round=later_round, title="Second")
    assert submit(make_application(challenge=second)).application.reference == f"{later_round.code}-02-0001"
    assert submit(make_application(challenge=first)).application.reference == f"{later_round.code}-01-0001"


def test_a_file_is_kept_as_checked_and_its_adding_is_on_the_audit_log():
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.services import attachment_add

    application = make_application()
    owner = application.created_by
    content = b"%PDF-1.4\n%%EOF\n"
    upload = SimpleUploadedFile("../My plan.pdf", content, content_type="text/plain")  # the claimed type is ignored
    attachment = attachment_add(application=application, by=owner, upload=upload)
    attachment.refresh_from_db()
    assert (attachment.name, attachment.content_type, attachment.size) == ("My_plan.pdf", "application/pdf", 15)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.uploaded_by == owner
    assert attachment.file.read() == content
    entry = ModelLogEntry.objects.for_instance(application).get(action="civtech.application.attach")
    assert (entry.user, entry.data) == (owner, {"file": "My_plan.pdf", "size": 15})


# --- Each refusal in its exact words, each record in full (#23) -----------------------------------------------------
def test_a_company_member_who_also_belongs_to_a_public_body_cannot_apply_as_the_public_body():
    """The rule lets them start (they have a company); the service refuses the public body as the applicant."""
    from organisations.services import membership_add

    applicant = make_applicant()
    body = PublicBodyFactory()
    membership_add(organisation=body, user=applicant, role="member", by=None)
    with pytest.raises(DomainError) as refused:
        application_start(challenge=make_challenge(), organisation=body, by=applicant)
    assert refused.value.message == "Public bodies sponsor challenges; they cannot apply to them."
    assert not Application.objects.exists()


def test_nobody_applies_for_a_company_they_do_not_belong_to():
    from tests.factories import OrganisationFactory

    applicant = make_applicant()
    other = OrganisationFactory()
    make_applicant(other)  # a company with members of its own: the applicant is not one of them
    with pytest.raises(DomainError) as refused:
        application_start(challenge=make_challenge(), organisation=other, by=applicant)
    assert refused.value.message == f"You are not a member of {other}."
    assert not Application.objects.exists()


def test_starting_is_on_the_audit_log_once_with_the_challenge():
    applicant = make_applicant()
    challenge = make_challenge()
    organisation = applicant.memberships.get().organisation
    application = application_start(challenge=challenge, organisation=organisation, by=applicant)
    application_start(challenge=challenge, organisation=organisation, by=applicant)
    assert (application.created_by, application.organisation, application.challenge_id) == (
        applicant, organisation, challenge.pk
    )  # fmt: skip
    entries = ModelLogEntry.objects.for_instance(application).filter(action="civtech.application.start")
    assert [(e.user, e.data) for e in entries] == [(applicant, {"challenge": challenge.pk})]


@pytest.mark.parametrize(("key", "label"), [("idea", "Your idea and how it solves the challenge"),
                                            ("equality_sustainability",
                                             "Equality, diversity and environmental sustainability")])  # fmt: skip
def test_a_null_character_in_any_answer_is_refused_on_its_field_and_nothing_is_saved(key, label):
    application = make_application()
    with pytest.raises(DomainError) as refused:
        application_save(application=application, by=application.created_by,
                         answers={"idea": "Changed.", key: "bad\x00text"})  # fmt: skip
    assert (refused.value.field, refused.value.message) == (
        key, f"{label}: null characters are not allowed. Remove them and try again."
    )  # fmt: skip
    application.refresh_from_db()
    assert application.answers["idea"] == "A booking assistant that texts patients and rebooks in one reply."


def test_saving_writes_only_the_answers_given_and_keeps_the_rest():
    application = make_application()
    application_save(application=application, by=application.created_by, answers={"team": "Two of us."})
    application.refresh_from_db()
    assert (application.answers["team"], application.answers["idea"]) == (
        "Two of us.", "A booking assistant that texts patients and rebooks in one reply."
    )  # fmt: skip


def test_the_missing_declarations_are_named_in_their_own_words_on_their_field():
    from tests.factories import DEFAULT_DECLARATIONS

    application = make_application()
    texts = dict(DEFAULT_DECLARATIONS)
    with pytest.raises(DomainError) as refused:
        submit(application, declarations={"declare_no_conflict": True})
    assert refused.value.field == "declarations"
    assert refused.value.message == (
        f"Confirm each declaration to submit: {texts['declare_eligible']} {texts['declare_terms']}"
    )


def test_every_unanswered_and_over_long_section_is_named_in_one_refusal():
    application = make_application(answers={"idea": "word " * 501, "innovation": "Something new."})
    with pytest.raises(DomainError) as refused:
        submit(application)
    assert refused.value.message == (
        "“Your idea and how it solves the challenge” must be 500 words or fewer (it has 501). "
        "Answer “Commercial potential and route to market”. Answer “Your team and its experience”. "
        "Answer “Commitment to the stage dates”. Answer “Equality, diversity and environmental sustainability”."
    )


def test_a_submitted_version_keeps_its_files_its_submitter_and_is_audited_and_emailed(on_commit):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications.services import attachment_add

    application = make_application()
    owner = application.created_by
    content = b"%PDF-1.4\n%%EOF\n"
    attachment = attachment_add(application=application, by=owner, upload=SimpleUploadedFile("plan.pdf", content))
    with on_commit():
        version = submit(application)
    version.refresh_from_db()
    application.refresh_from_db()
    assert version.attachments == [
        {"id": attachment.pk, "name": "plan.pdf", "size": 15, "sha256": hashlib.sha256(content).hexdigest()}
    ]
    assert (version.submitted_by, version.fingerprint) == (owner, application.fingerprint())
    assert application.submitted_at == version.submitted_at
    entry = ModelLogEntry.objects.for_instance(application).get(action="civtech.application.submit")
    assert (entry.user, entry.data) == (owner, {"before": "draft", "after": "submitted", "version": 1})
    (email,) = mail.outbox
    assert email.to == [owner.email]
