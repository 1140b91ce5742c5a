import uuid

from django.conf import settings
from django.db import models

from applications.models import private_storage


def export_path(instance: "Export", filename: str) -> str:
    return f"private/exports/{uuid.uuid4().hex}"


class Export(models.Model):
    """A report file built by a Celery task, with its progress, for the person who asked for it."""

    class Kind(models.TextChoices):
        FIGURES_CSV = "figures_csv", "Figures (CSV)"
        FIGURES_XLSX = "figures_xlsx", "Figures (Excel)"
        RECORDS_CSV = "records_csv", "Records behind a figure (CSV)"
        RECORDS_XLSX = "records_xlsx", "Records behind a figure (Excel)"
        ANNUAL_PDF = "annual_pdf", "Annual impact report (PDF)"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=14, choices=Kind.choices)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    file = models.FileField(upload_to=export_path, storage=private_storage, max_length=255, blank=True)
    filename = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} requested {self.requested_at:%-d %B %Y %H:%M}"
