import uuid

from django.conf import settings
from django.db import models

from applications.models import private_storage


def evidence_path(instance: "Benefit", filename: str) -> str:
    return f"private/benefits/{instance.challenge_id}/{uuid.uuid4().hex}"


class Benefit(models.Model):
    """A benefit the sponsor reports from a challenge's product: a saving (cashable or not; one-off or recurring
    per year) or a non-financial measure (baseline, target, actual). Unverified benefits are never public."""

    class Kind(models.TextChoices):
        CASHABLE = "cashable", "Cashable saving"
        NON_CASHABLE = "non_cashable", "Non-cashable saving"
        NON_FINANCIAL = "non_financial", "Non-financial benefit"

    class Recurrence(models.TextChoices):
        ONE_OFF = "one_off", "One-off"
        RECURRING = "recurring", "Recurring each year"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting verification"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Not verified"

    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.PROTECT, related_name="benefits")
    sponsor = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="benefits")
    kind = models.CharField(max_length=14, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Savings
    recurrence = models.CharField(max_length=10, choices=Recurrence.choices, blank=True)
    amount = models.DecimalField(
        "amount (£ one-off, or £ a year)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    years = models.PositiveSmallIntegerField("years counted", null=True, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    # Non-financial measures
    metric = models.CharField(max_length=200, blank=True)
    unit = models.CharField(max_length=50, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    actual = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # Evidence and verification
    evidence = models.TextField(help_text="How the figure was measured, and where the evidence is.")
    evidence_file = models.FileField(upload_to=evidence_path, storage=private_storage, max_length=255, blank=True)
    # The stored name is random (never a path someone chose), so the download needs the original, made safe.
    evidence_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verification_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-recorded_at"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title
