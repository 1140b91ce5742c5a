import hashlib
import json
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models

from formbuilder.models import FormVersion
from formbuilder.questions import FormSpec


class Application(models.Model):
    """A company's (or individual's) application to one challenge.

    `answers` (by question key) is the working copy, answering the form version the application was started on;
    each submission freezes the answers and the questions into an ApplicationVersion, which is what assessors read.
    Status changes only through applications.services.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SHORTLISTED = "shortlisted", "Shortlisted"
        INTERVIEW = "interview", "Invited to interview"
        SELECTED = "selected", "Selected for exploration"
        UNSUCCESSFUL = "unsuccessful", "Unsuccessful"

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True)
    reference = models.CharField(max_length=20, unique=True, null=True, blank=True)

    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="applications", help_text="The questions being answered."
    )
    challenge_questions = models.JSONField(
        default=list,
        blank=True,
        help_text="The challenge's own sections (formbuilder.questions.Section data), as published when started.",
    )
    answers = models.JSONField(default=dict, blank=True, help_text="What was typed, by question key.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    interview_at = models.DateTimeField(null=True, blank=True)
    interview_details = models.TextField(blank=True, help_text="Where or how the interview takes place.")

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "organisation"], name="one_application_per_organisation")
        ]
        # The staff list's default order: its first page read from the index, not by sorting every application
        # (6,000 applications: 17.7 -> 0.4 ms; bench/README.md).
        indexes = [models.Index(fields=["-updated_at"], name="application_latest_first")]

    def __str__(self) -> str:
        return self.reference or f"Draft application {self.pk} to {self.challenge}"

    @property
    def spec(self) -> FormSpec:
        """The questions being answered: the round's form version, then the challenge's own sections."""
        cached = getattr(self, "_spec", None)
        if cached is None:
            if self.challenge_questions:
                data = self.form_version.questions
                cached = FormSpec.from_data({**data, "sections": [*data["sections"], *self.challenge_questions]})
            else:
                cached = self.form_version.spec
            self._spec = cached
        return cached

    def fingerprint(self) -> str:
        """What a submission would freeze; equal fingerprints mean nothing changed since."""
        files = sorted(attachment.sha256 for attachment in self.attachments.all())  # prefetched on list pages
        # What a submission would freeze (the questions asked, empty answers left out): an answer to a question not
        # asked, or left from an earlier form version, changes nothing that would be sent.
        answered = self.spec.answered(self.answers)
        answers = {key: value for key, value in answered.items() if value not in ("", [])}
        payload = json.dumps({"answers": answers, "files": files}, sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    @property
    def supporting_files(self) -> list["Attachment"]:
        """The files attached beside the answers (a file question's file is its answer)."""
        return [attachment for attachment in self.attachments.all() if not attachment.question_key]

    def answer_file(self, question_key: str) -> "Attachment | None":
        return next((a for a in self.attachments.all() if a.question_key == question_key), None)

    def latest_version(self) -> "ApplicationVersion | None":
        """The version submitted last: the one assessors read (prefetched versions are used when there are)."""
        return max(self.versions.all(), key=lambda version: version.number, default=None)

    @property
    def changed_since_submission(self) -> bool:
        """Submitted, and the working copy (answers or files) now differs from the version sent."""
        if self.status != self.Status.SUBMITTED:
            return False
        latest = self.latest_version()
        return latest is not None and latest.fingerprint != self.fingerprint()


class ApplicationVersion(models.Model):
    """One submission, frozen: every submitted version is kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    form_version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submitted_versions")
    questions = models.JSONField(help_text="The exact questions answered (formbuilder.questions.FormSpec data).")
    answers = models.JSONField()
    attachments = models.JSONField(default=list, help_text="Names, sizes and hashes of the files submitted.")
    fingerprint = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["application", "number"]
        constraints = [models.UniqueConstraint(fields=["application", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.application} v{self.number}"

    @property
    def spec(self) -> FormSpec:
        cached = getattr(self, "_spec", None)
        if cached is None:
            cached = self._spec = FormSpec.from_data(self.questions)
        return cached


def private_storage():
    return storages["private"]


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Random names: the original (sanitised) name is kept in a field, never trusted as a path.
    return f"private/applications/{instance.application_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A supporting file. Stored privately and served only through a permission check."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage, max_length=255)
    name = models.CharField(max_length=150, help_text="The uploaded file's name, sanitised.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    question_key = models.CharField(
        max_length=50, blank=True, default="", help_text="The file question it answers; empty for a supporting file."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class ReferenceSequence(models.Model):
    """The last reference number used per challenge, locked while a new one is taken."""

    challenge = models.OneToOneField("challenges.ChallengePage", on_delete=models.CASCADE, related_name="+")
    last = models.PositiveIntegerField(default=0)
    position = models.PositiveSmallIntegerField(default=0, help_text="The challenge's number within its round.")

    def __str__(self) -> str:
        return f"{self.challenge_id}: {self.last}"


class Assignment(models.Model):
    """An assessor asked to score one application at one stage (the written application or the interview).

    They see the application only after declaring no conflict.
    """

    class Stage(models.TextChoices):
        APPLICATION = "application", "Written application"
        INTERVIEW = "interview", "Interview"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="assignments")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPLICATION)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    # None until declared; True removes the assessor from the application.
    has_conflict = models.BooleanField(null=True, blank=True)
    conflict_details = models.TextField(blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, help_text="When the assessor submitted their scores.")
    # RESTRICT, not PROTECT: deleting the whole application (its versions and assignments together) stays possible.
    version = models.ForeignKey(
        ApplicationVersion,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The submitted version the scores are for: the final one, as scoring opens when the call closes.",
    )

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "assessor", "stage"], name="one_assignment_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.application} ({self.get_stage_display().lower()})"

    @property
    def cleared(self) -> bool:
        return self.has_conflict is False


class Score(models.Model):
    """One assessor's score and comment on one criterion."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey("challenges.Criterion", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class Moderation(models.Model):
    """Programme staff's agreed score for an application at one stage, why, and the feedback the applicant gets."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moderations")
    stage = models.CharField(max_length=12, choices=Assignment.Stage.choices)
    score = models.DecimalField("moderated score (%)", max_digits=4, decimal_places=1)
    rationale = models.TextField(help_text="Why this score: for the record and the assessors.")
    feedback = models.TextField(blank=True, help_text="What the applicant is told if they are not taken forward.")
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    moderated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_moderation_per_stage")]

    def __str__(self) -> str:
        return f"{self.application}: {self.score}% ({self.get_stage_display().lower()})"


class Decision(models.Model):
    """The outcome of a decision point for one application, and the feedback emailed with it."""

    class Point(models.TextChoices):
        SHORTLIST = "shortlist", "Shortlisting"
        INTERVIEW = "interview", "Interview invitation"
        SELECTION = "selection", "Selection for exploration"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    point = models.CharField(max_length=12, choices=Point.choices)
    outcome = models.CharField(max_length=12, choices=Application.Status.choices)
    feedback = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application", "decided_at"]
        constraints = [models.UniqueConstraint(fields=["application", "point"], name="one_decision_per_point")]

    def __str__(self) -> str:
        return f"{self.application}: {self.get_outcome_display()} ({self.get_point_display().lower()})"
