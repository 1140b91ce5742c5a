from django.db import transaction
from django.utils import timezone

from accounts.models import User
from challenges.models import ChallengePage
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from formbuilder.blocks import spec_data
from formbuilder.questions import FormSpec, validate_spec, word_count
from notifications.services import email_enqueue
from organisations.models import Membership, Organisation, OrganisationKind

from ..models import Application, ApplicationVersion, Attachment, ReferenceSequence
from ..uploads import check_upload

MAX_ATTACHMENTS = 10
__all__ = ["word_count"]  # the applicant pages count words as the rules do


def _refuse_a_clash(form_version, challenge_sections: list[dict]) -> None:
    """The round's form and the challenge's own sections must still fit together (checked when the challenge was
    saved, but the round's form may have changed since): a clash would make two questions share one answer."""
    data = form_version.questions
    if challenge_sections and validate_spec(
        FormSpec.from_data({**data, "sections": [*data["sections"], *challenge_sections]})
    ):
        raise DomainError(
            "This challenge's own questions no longer fit its round's application form, so applications cannot "
            "start until the programme team corrects them. Please contact the programme team."
        )


@transaction.atomic
def application_start(*, challenge: ChallengePage, organisation: Organisation, by: User) -> Application:
    """Open (or reopen) the organisation's draft for this challenge: one application per organisation."""
    require(has_permission("application.start", by, challenge))
    if organisation.kind == OrganisationKind.PUBLIC_BODY:
        raise DomainError("Public bodies sponsor challenges; they cannot apply to them.")
    if not Membership.objects.filter(user=by, organisation=organisation).exists():
        raise DomainError(f"You are not a member of {organisation}.")
    form_version = challenge.round.form().current_version()
    challenge_sections = spec_data(challenge.application_questions)["sections"]
    _refuse_a_clash(form_version, challenge_sections)
    application, created = Application.objects.get_or_create(
        challenge=challenge,
        organisation=organisation,
        defaults={
            "created_by": by,
            "form_version": form_version,
            # The challenge's own questions as published now: a later edit does not change what this one answers.
            "challenge_questions": challenge_sections,
        },
    )
    if created:
        audit(application, "civtech.application.start", by=by, data={"challenge": challenge.pk})
    return application


def _typed(value) -> str | list[str]:
    """An answer as stored: text, or a list of texts (multiple choice). Anything else posted is refused."""
    if isinstance(value, list | tuple):
        if not all(isinstance(item, str) for item in value):
            raise DomainError("An answer can only be text.")
        return list(value)
    if not isinstance(value, str):
        raise DomainError("An answer can only be text.")
    return value


@transaction.atomic
def application_save(*, application: Application, by: User, answers: dict[str, str | list[str]]) -> Application:
    """Save answers as typed, by question key (drafts keep over-long or mistyped text; the rules apply at
    submission). A key that is not a question of the application's form is refused, so nothing is silently lost."""
    require(has_permission("application.edit", by, application))
    # The stored answers as they are now, locked: two saves at once (two autosaving answers, two team members)
    # each merge into the other's result instead of writing back a copy read before it.
    application.answers = (
        Application.objects.select_for_update(of=("self",)).values_list("answers", flat=True).get(pk=application.pk)
    )
    spec = application.spec
    changed = {}
    for key, value in answers.items():
        question = spec.question(key)
        if question is None:
            raise DomainError(f"This application's form has no question “{key}”.", field=key)
        if question.type == "file":
            raise DomainError(f"Upload a file for “{question.label}”.", field=key)
        value = _typed(value)
        # The database cannot store a null character; the form's own check says the same.
        if any("\x00" in item for item in (value if isinstance(value, list) else [value])):
            raise DomainError(
                f"{question.label}: null characters are not allowed. Remove them and try again.", field=key
            )
        if value != application.answers.get(key, "" if not isinstance(value, list) else []):
            changed[key] = value
    if changed:
        application.answers = {**application.answers, **changed}
        application.save(update_fields=["answers", "updated_at"])
    return application


@transaction.atomic
def attachment_add(*, application: Application, by: User, upload) -> Attachment:
    require(has_permission("application.edit", by, application))
    if application.attachments.filter(question_key="").count() >= MAX_ATTACHMENTS:
        raise DomainError(f"You can attach up to {MAX_ATTACHMENTS} files. Remove one to add another.")
    return _store(application, by, upload, check_upload(upload))


def _store(application: Application, by: User, upload, checked, question_key: str = "") -> Attachment:
    """Keep a checked upload privately, as a supporting file or as a file question's answer, and audit it."""
    attachment = Attachment(
        application=application,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        question_key=question_key,
        uploaded_by=by,
    )
    attachment.file.save("upload", upload, save=False)
    attachment.save()
    audit(application, "civtech.application.attach", by=by, data={"file": checked.name, "size": checked.size})
    return attachment


@transaction.atomic
def answer_file_attach(*, application: Application, by: User, question_key: str, upload) -> Attachment:
    """A file question's answer: the file, checked by content as every upload is, and against the question's own
    types and size. It replaces the file given before; the answer is the file's name."""
    require(has_permission("application.edit", by, application))
    question = application.spec.question(question_key)
    if question is None or question.type != "file":
        raise DomainError("This application's form has no such file question.", field=question_key)
    checked = check_upload(upload, field=question_key)
    extension = checked.name.rsplit(".", 1)[-1].lower()
    if question.file_kinds and extension not in question.file_kinds:
        raise DomainError(f"“{question.label}” must be a {question.kinds_text} file.", field=question_key)
    if checked.size > question.largest_mb * 1024 * 1024:
        raise DomainError(f"“{question.label}” must be {question.largest_mb} MB or smaller.", field=question_key)
    for previous in application.attachments.filter(question_key=question_key):
        previous.file.delete(save=False)
        previous.delete()
    attachment = _store(application, by, upload, checked, question_key)
    locked = (
        Application.objects.select_for_update(of=("self",)).values_list("answers", flat=True).get(pk=application.pk)
    )
    application.answers = {**locked, question_key: checked.name}
    application.save(update_fields=["answers", "updated_at"])
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    require(has_permission("application.edit", by, attachment.application))
    audit(attachment.application, "civtech.application.detach", by=by, data={"file": attachment.name})
    attachment.file.delete(save=False)
    attachment.delete()
    if attachment.question_key:  # a file question's answer: the question is unanswered again
        application = Application.objects.select_for_update(of=("self",)).get(pk=attachment.application_id)
        application.answers = {k: v for k, v in application.answers.items() if k != attachment.question_key}
        application.save(update_fields=["answers", "updated_at"])


def submission_problems(application: Application) -> dict[str, str]:
    """Every reason the application cannot be submitted yet, by question key (only the questions that apply)."""
    return application.spec.problems(application.answers)


def _next_reference(application: Application) -> str:
    challenge = application.challenge
    sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(challenge=challenge)
    if not sequence.position:
        # Fixed at the first submission, so later changes to the round never renumber (or collide).
        sequence.position = ChallengePage.objects.filter(round_id=challenge.round_id, pk__lte=challenge.pk).count()
    sequence.last += 1
    sequence.save(update_fields=["last", "position"])
    return f"{challenge.round.code}-{sequence.position:02d}-{sequence.last:04d}"


@transaction.atomic
def application_submit(*, application_id: int, by: User, declarations: dict[str, bool]) -> ApplicationVersion:
    """Submit before the deadline. Idempotent: resubmitting unchanged answers returns the same version,
    so a double click, a retry or a second tab never makes a second submission or a second email."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("challenge__round", "form_version")
        .get(pk=application_id)
    )
    require(has_permission("application.edit", by, application))
    if timezone.now() >= application.challenge.round.call_closes:
        raise DomainError("The deadline has passed, so this application can no longer be submitted.")
    spec = application.spec
    missing = [declaration.label for declaration in spec.declarations if not declarations.get(declaration.key)]
    if missing:
        raise DomainError("Confirm each declaration to submit: " + " ".join(missing), field="declarations")
    problems = submission_problems(application)
    if problems:
        raise DomainError(" ".join(problems.values()))
    fingerprint = application.fingerprint()
    latest = application.versions.order_by("-number").first()
    if latest is not None and latest.fingerprint == fingerprint and application.status == Application.Status.SUBMITTED:
        return latest
    if application.reference is None:
        application.reference = _next_reference(application)
    version = ApplicationVersion.objects.create(
        application=application,
        number=(latest.number + 1) if latest else 1,
        form_version=application.form_version,
        questions=spec.to_data(),
        answers=spec.answered(application.answers),
        attachments=[
            {
                "id": a.pk,
                "name": a.name,
                "size": a.size,
                "sha256": a.sha256,
                **({"question": a.question_key} if a.question_key else {}),  # a file question's answer
            }
            for a in application.attachments.all()
        ],
        fingerprint=fingerprint,
        submitted_by=by,
    )
    before = application.status
    application.status = Application.Status.SUBMITTED
    application.submitted_at = version.submitted_at
    application.save(update_fields=["status", "reference", "submitted_at", "updated_at"])
    audit(
        application,
        "civtech.application.submit",
        by=by,
        data={"before": before, "after": application.status, "version": version.number},
    )
    email_enqueue(
        to=by.email,
        template="applications/email/submitted",
        context={"application": application, "version": version},
    )
    return version


@transaction.atomic
def application_withdraw(*, application_id: int, by: User) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("challenge__round").get(pk=application_id)
    )
    require(has_permission("application.edit", by, application))
    before = application.status
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit(application, "civtech.application.withdraw", by=by, data={"before": before, "after": application.status})
    email_enqueue(to=by.email, template="applications/email/withdrawn", context={"application": application})
    return application
