from django.conf import settings
from django.db import models

# The figures a company reports each period; corrections keep the previous values in ImpactReturnCorrection.
FIGURES = [
    "headcount", "fte", "jobs_created", "jobs_safeguarded", "turnover", "investment_equity", "investment_grant",
    "investment_debt", "contracts_public", "contracts_private", "exports", "still_trading",
]  # fmt: skip


class ImpactReturn(models.Model):
    """What a company reports for one period: a baseline at selection, then every six months (configurable).

    Jobs are those the company attributes to the programme. Investment excludes public contracts. A return is
    requested (and reminded) by Celery beat; it is late after `due_on`; staff verify it before the public sees it.
    """

    class Kind(models.TextChoices):
        BASELINE = "baseline", "Baseline at selection"
        PERIODIC = "periodic", "Periodic return"

    engagement = models.ForeignKey("sprints.Engagement", on_delete=models.PROTECT, related_name="impact_returns")
    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    headcount = models.PositiveIntegerField(null=True, blank=True)
    fte = models.DecimalField("full-time equivalent staff", max_digits=8, decimal_places=1, null=True, blank=True)
    jobs_created = models.PositiveIntegerField(null=True, blank=True)
    jobs_safeguarded = models.PositiveIntegerField(null=True, blank=True)
    turnover = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    investment_equity = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    investment_grant = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    investment_debt = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    contracts_public = models.DecimalField(
        "public sector contracts won (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    contracts_private = models.DecimalField(
        "private sector contracts won (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    exports = models.DecimalField("export sales (£)", max_digits=14, decimal_places=2, null=True, blank=True)
    still_trading = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["engagement", "period_end"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "period_end"], name="one_return_per_period"),
        ]
        indexes = [models.Index(fields=["verified_at"]), models.Index(fields=["due_on", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} to {self.period_end:%-d %B %Y}"


class ImpactReturnCorrection(models.Model):
    """The values a return had before a correction, who changed them and why."""

    impact_return = models.ForeignKey(ImpactReturn, on_delete=models.CASCADE, related_name="corrections")
    previous = models.JSONField()
    reason = models.TextField()
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["impact_return", "corrected_at"]

    def __str__(self) -> str:
        return f"Correction to {self.impact_return} at {self.corrected_at:%Y-%m-%d}"


class ReturnReminder(models.Model):
    """One row per email about a return (request, reminder, overdue), so each is sent exactly once."""

    class Kind(models.TextChoices):
        REQUEST = "request", "Return requested"
        REMINDER = "reminder", "Reminder before the due date"
        OVERDUE = "overdue", "Return overdue"

    impact_return = models.ForeignKey(ImpactReturn, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["impact_return", "kind"], name="one_reminder_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.impact_return_id}"
