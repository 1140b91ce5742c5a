"""The money ledger: contracts, their approved variations and their payment tranches.

Below the stage work (issue #19): an engagement points at its contract and a milestone at its tranche, so the
ledger knows nothing of sprints; the stage work calls down into `ledger.services`, and `impact` reads and reports.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Sum


class Contract(models.Model):
    """A contract the programme funded (a stage engagement) or one that followed from a challenge.

    Values are in pounds excluding VAT. The contracted value is `value` plus every approved `Variation`, and
    payments never add up to more than that: ledger.services checks it on every write. A stage contract's
    engagement is `contract.engagement` (the reverse of `sprints.Engagement.contract`).
    """

    class Kind(models.TextChoices):
        EXPLORATION = "exploration", "Exploration stage"
        ACCELERATOR = "accelerator", "Accelerator"
        FOLLOW_ON = "follow_on", "Follow-on with the sponsor"
        REUSE = "reuse", "With another public body (reuse)"
        PRIVATE = "private", "Private contract"

    STAGE_KINDS = (Kind.EXPLORATION, Kind.ACCELERATOR)
    FOLLOW_ON_KINDS = (Kind.FOLLOW_ON, Kind.REUSE, Kind.PRIVATE)

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        TERMINATED = "terminated", "Terminated early"

    kind = models.CharField(max_length=12, choices=Kind.choices, db_index=True)
    challenge = models.ForeignKey("challenges.ChallengePage", on_delete=models.PROTECT, related_name="contracts")
    buyer = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts_bought"
    )
    buyer_name = models.CharField(max_length=200, blank=True, help_text="For private buyers not on the platform.")
    supplier = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="contracts_won")
    title = models.CharField(max_length=255)
    value = models.DecimalField("value when awarded (£, ex VAT)", max_digits=14, decimal_places=2)
    # value plus every approved variation; kept by ledger.services so reports can sum one column.
    current_value = models.DecimalField("contracted value (£, ex VAT)", max_digits=14, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    awarded_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    evidence = models.TextField(blank=True, help_text="For follow-on contracts: how we know (notice, letter).")
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-awarded_on", "pk"]
        indexes = [models.Index(fields=["kind", "verified_at"], name="ledger_contract_kind_verified")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_stage(self) -> bool:
        return self.kind in self.STAGE_KINDS

    def contracted_value(self) -> Decimal:
        return self.current_value

    def scheduled_total(self) -> Decimal:
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)


class Variation(models.Model):
    """An approved change to a contract's value; the only way payments may exceed the original value."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="variations")
    amount = models.DecimalField("change (£, ex VAT)", max_digits=14, decimal_places=2)
    reason = models.TextField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "approved_at"]

    def __str__(self) -> str:
        return f"{self.contract}: {self.amount:+}"


class Payment(models.Model):
    """A payment tranche: planned, then due (e.g. when a milestone's deliverables are accepted), then paid.

    Payments are recorded, not executed: the money moves in the finance system. An accelerator tranche's
    milestone is `payment.milestone` (the reverse of `sprints.Milestone.payment`).
    """

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DUE = "due", "Due"
        PAID = "paid", "Paid"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    number = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=200)
    amount = models.DecimalField("amount (£, ex VAT)", max_digits=14, decimal_places=2)
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED, db_index=True)
    became_due_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_payment_number"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} — tranche {self.number}"
