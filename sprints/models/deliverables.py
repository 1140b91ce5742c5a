import uuid

from django.conf import settings
from django.db import models

from applications.models import private_storage

from .engagements import Engagement, Milestone


class Deliverable(models.Model):
    """A deliverable or prototype submission. Every submission is a new, kept DeliverableVersion; the sponsor
    accepts or requests changes on the latest one."""

    class Status(models.TextChoices):
        AWAITING_FEEDBACK = "awaiting", "Awaiting sponsor feedback"
        CHANGES_REQUESTED = "changes", "Changes requested"
        ACCEPTED = "accepted", "Accepted"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="deliverables")
    milestone = models.ForeignKey(
        Milestone, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliverables"
    )
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AWAITING_FEEDBACK, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class DeliverableVersion(models.Model):
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField()
    demo_url = models.URLField("demo URL", blank=True)
    repository_url = models.URLField("repository URL", blank=True)
    video_url = models.URLField("video URL", blank=True)
    notes = models.TextField("version notes", blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deliverable", "-number"]
        constraints = [models.UniqueConstraint(fields=["deliverable", "number"], name="unique_deliverable_version")]

    def __str__(self) -> str:
        return f"{self.deliverable} v{self.number}"


class Feedback(models.Model):
    """The sponsor's decision on one version: one decision per version."""

    class Decision(models.TextChoices):
        ACCEPT = "accept", "Accept"
        REQUEST_CHANGES = "changes", "Request changes"

    version = models.OneToOneField(DeliverableVersion, on_delete=models.CASCADE, related_name="feedback")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    comments = models.TextField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} on {self.version}"


def document_path(instance: "Document", filename: str) -> str:
    # Random names: the sanitised original is kept in a field and never used as a path.
    return f"private/engagements/{instance.engagement_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A private file shared in a workspace (or attached to a deliverable version, or a pitch deck).

    Stored in the `private` storage like application attachments, and served only by a view that asks
    has_permission("engagement.view")."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="documents")
    version = models.ForeignKey(
        DeliverableVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(upload_to=document_path, storage=private_storage, max_length=255)
    name = models.CharField(max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name
