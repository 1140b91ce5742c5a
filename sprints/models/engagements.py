from django.conf import settings
from django.db import models


class Engagement(models.Model):
    """One selected team working with the sponsor through one stage (exploration, then the accelerator).

    Dates and contract value default from the challenge's round when the engagement is created, so a
    short sprint round needs no code change. Status, RAG and outcome change only through sprints.services.
    """

    class Stage(models.TextChoices):
        EXPLORATION = "exploration", "Exploration"
        ACCELERATOR = "accelerator", "Accelerator"

    class Status(models.TextChoices):
        ACTIVE = "active", "In progress"
        COMPLETED = "completed", "Completed"
        ENDED = "ended", "Ended early"

    class Rag(models.TextChoices):
        GREEN = "green", "Green: on track"
        AMBER = "amber", "Amber: at risk"
        RED = "red", "Red: off track"

    class Outcome(models.TextChoices):
        FOLLOW_ON = "follow_on", "Follow-on contract with the sponsor"
        FURTHER = "further", "Further agreements with other bodies"
        NOT_PROGRESSED = "not_progressed", "Not progressed"

    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="engagements")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    starts_on = models.DateField()
    ends_on = models.DateField()
    contract_value = models.DecimalField("contract value (£, ex VAT)", max_digits=12, decimal_places=2)
    # The stage contract in the money ledger, made with the engagement (sprints.services.engagements). The stage
    # work points down at the ledger, never the other way (issue #19).
    contract = models.OneToOneField(
        "ledger.Contract", on_delete=models.PROTECT, null=True, blank=True, related_name="engagement"
    )
    rag = models.CharField("RAG status", max_length=5, choices=Rag.choices, default=Rag.GREEN)
    rag_note = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    outcome_value = models.DecimalField(
        "follow-on value (£, ex VAT)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["application", "stage"], name="one_engagement_per_stage")]

    def __str__(self) -> str:
        return f"{self.application.organisation} — {self.get_stage_display()} — {self.application.challenge}"

    @property
    def challenge(self):
        return self.application.challenge

    @property
    def organisation(self):
        return self.application.organisation

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Sprint(models.Model):
    """A period of work with a goal; the team posts an update by its end date."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="sprints")
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    goal = models.TextField(blank=True)

    class Meta:
        ordering = ["engagement", "number"]
        constraints = [models.UniqueConstraint(fields=["engagement", "number"], name="unique_sprint_number")]

    def __str__(self) -> str:
        return f"Sprint {self.number}"


class SprintUpdate(models.Model):
    sprint = models.ForeignKey(Sprint, on_delete=models.CASCADE, related_name="updates")
    done = models.TextField("what we did")
    next = models.TextField("what we will do next")
    blockers = models.TextField(blank=True)
    help_needed = models.TextField("help we need from the sponsor", blank=True)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-posted_at"]

    def __str__(self) -> str:
        return f"Update on {self.sprint} at {self.posted_at:%Y-%m-%d}"


class Milestone(models.Model):
    """An accelerator milestone and its payment tranche. Accepting every deliverable linked to it makes the
    tranche due; the payment itself happens outside the platform and is only recorded here."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        TRANCHE_DUE = "due", "Tranche due"
        PAID = "paid", "Tranche paid"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    tranche_amount = models.DecimalField("tranche (£, ex VAT)", max_digits=12, decimal_places=2)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PLANNED, db_index=True)
    tranche_due_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # The tranche in the money ledger (a payment on the engagement's contract), planned with the milestone.
    payment = models.OneToOneField(
        "ledger.Payment", on_delete=models.PROTECT, null=True, blank=True, related_name="milestone"
    )

    class Meta:
        ordering = ["engagement", "number"]
        constraints = [models.UniqueConstraint(fields=["engagement", "number"], name="unique_milestone_number")]

    def __str__(self) -> str:
        return f"Milestone {self.number}: {self.title}"


class Risk(models.Model):
    """The accelerator's risk and issue log."""

    class Kind(models.TextChoices):
        RISK = "risk", "Risk"
        ISSUE = "issue", "Issue"

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.RISK)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    severity = models.CharField(max_length=6, choices=Severity.choices, default=Severity.MEDIUM)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-raised_at"]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    """What the sponsor or the team learned; staff publish it, after review, to the public lessons library."""

    class Side(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        TEAM = "team", "Team"

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Awaiting review"
        PUBLISHED = "published", "Published"

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="lessons")
    side = models.CharField(max_length=7, choices=Side.choices)
    what_worked = models.TextField()
    what_did_not = models.TextField("what did not work")
    differently = models.TextField("what we would do differently")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["engagement", "side"], name="one_lesson_per_side")]

    def __str__(self) -> str:
        return f"{self.get_side_display()} lessons: {self.engagement_id}"
