from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable
from wagtail.search import index

from formbuilder.models import ApplicationForm
from pipelines.spec import Kind

from .stages import LEGACY, SEQUENCE, sync


class Round(index.Indexed, ClusterableModel):
    """One programme round, e.g. "CivTech 11": its stage dates, default money and team counts.

    Every date is timezone-aware and shown in UK time. Stages, counts and amounts are data per round,
    so a short "sprint challenge" round needs no code change.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    code = models.CharField(max_length=10, unique=True, help_text='Short code for reference numbers, e.g. "CT11".')
    description = models.TextField(blank=True)

    call_opens = models.DateTimeField("call opens")
    questions_close = models.DateTimeField("clarification questions close")
    call_closes = models.DateTimeField("call closes")
    shortlist_by = models.DateTimeField("shortlist decided by")
    interviews_start = models.DateTimeField()
    interviews_end = models.DateTimeField()
    exploration_start = models.DateTimeField("exploration stage starts")
    exploration_end = models.DateTimeField("exploration stage ends")
    pitch_at = models.DateTimeField("accelerator pitches")
    accelerator_start = models.DateTimeField("accelerator starts")
    accelerator_end = models.DateTimeField("accelerator ends")
    demo_day = models.DateTimeField("Demo Day")

    exploration_payment = models.DecimalField(
        "exploration payment per team (£, ex VAT)", max_digits=12, decimal_places=2, default=Decimal("5000")
    )
    accelerator_max = models.DecimalField(
        "accelerator maximum contract (£, ex VAT)", max_digits=12, decimal_places=2, default=Decimal("350000")
    )
    shortlist_count = models.PositiveSmallIntegerField("teams shortlisted per challenge", default=6)
    exploration_teams = models.PositiveSmallIntegerField("teams in exploration per challenge", default=3)
    accelerator_teams = models.PositiveSmallIntegerField("teams in the accelerator per challenge", default=1)
    return_interval_months = models.PositiveSmallIntegerField(
        "impact return every (months)", default=6, help_text="How often companies report impact after the accelerator."
    )
    return_years = models.PositiveSmallIntegerField(
        "impact returns for (years)", default=3, help_text="How long after the accelerator companies report impact."
    )
    application_form = models.ForeignKey(
        ApplicationForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rounds",
        help_text="The questions applicants to this round's challenges answer. Leave empty to use the default form.",
    )
    outlier_threshold = models.PositiveSmallIntegerField(
        "outlier threshold (points)",
        default=2,
        help_text="Flag a score that differs from the other assessors' average on that criterion by more than this.",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("call_opens")]

    # The order stages must happen in; clean() checks it so a typo cannot make a round run backwards.
    SEQUENCE = SEQUENCE

    class Meta:
        ordering = ["-call_opens"]

    def __str__(self) -> str:
        return self.name

    # The fixed dates, counts and money are a copy of the stages (challenges.models.stages), written on every save. What
    # they were when read tells a value set in code (carried into its stage) from one the stages now overwrite.
    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._remember_legacy()
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._forget_stages_in_memory()
        self._remember_legacy()

    def _forget_stages_in_memory(self):
        """Once saved (or read again), the stages are read from the database, where a later change to the round's
        fields (even one written past the model) is compared with them, not with a copy held by this instance."""
        getattr(self, "_cluster_related_objects", {}).pop("stages", None)

    def _remember_legacy(self):
        self._legacy_loaded = {name: self.__dict__.get(name) for name in LEGACY}

    def has_stages(self) -> bool:
        if "stages" in getattr(self, "_cluster_related_objects", {}):
            return bool(self._cluster_related_objects["stages"])
        return self.pk is not None and self.stages.exists()

    def save(self, *args, **kwargs):
        sync(self)
        self._syncing = True  # the stages saved with the round need not copy themselves back (RoundStage.save)
        try:
            super().save(*args, **kwargs)
            if kwargs.get("update_fields") is not None:  # modelcluster saves child relations only on a full save
                for stage in self._cluster_related_objects.get("stages", []):
                    stage.round = self
                    stage.save()
        finally:
            self._syncing = False
        self._forget_stages_in_memory()
        self._remember_legacy()

    def clean(self):
        if self.has_stages():
            return  # the fixed fields are a copy of the stages, whose own rules (pipelines.spec) the forms check
        errors = {}
        for earlier, later in zip(self.SEQUENCE, self.SEQUENCE[1:], strict=False):
            a, b = getattr(self, earlier), getattr(self, later)
            if a and b and b < a:
                label_a = self._meta.get_field(earlier).verbose_name
                label_b = self._meta.get_field(later).verbose_name
                errors[later] = f"Must be on or after {label_a} — check the {label_b} date."
        if self.questions_close and self.call_closes and self.questions_close > self.call_closes:
            errors["questions_close"] = "Questions must close before the call closes."
        if self.accelerator_teams and self.exploration_teams and self.accelerator_teams > self.exploration_teams:
            errors["accelerator_teams"] = "Cannot take more teams into the accelerator than explore the challenge."
        if errors:
            raise ValidationError(errors)

    def form(self):
        """The round's application form, or the default one."""
        return self.application_form if self.application_form_id else ApplicationForm.default()

    def timeline(self) -> list[tuple[str, object, object]]:
        """The round's stages as (label, starts, ends) for display, in order; ends is None for single moments. Read
        from the stages, so every pipeline shows its own (prefetch `stages` where many rounds are shown)."""
        rows: list[tuple[str, object, object]] = []
        for stage in self.stages.all():
            if stage.kind == Kind.CALL:
                rows.append(("Call open for applications", stage.starts, stage.ends))
                if stage.questions_close:
                    rows.append(("Clarification questions close", stage.questions_close, None))
            else:
                rows.append((stage.name or stage.get_kind_display(), stage.starts, stage.ends))
        return rows


class Criterion(Orderable):
    """A default evaluation criterion for the round's applications, interviews or pitches."""

    class Stage(models.TextChoices):
        APPLICATION = "application", "Written application"
        INTERVIEW = "interview", "Interview"
        PITCH = "pitch", "Accelerator pitch"

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPLICATION)
    name = models.CharField(max_length=200)
    weight = models.PositiveSmallIntegerField(default=25, help_text="Relative weight, e.g. percentages.")
    scale_max = models.PositiveSmallIntegerField("highest score", default=5)
    guidance = models.TextField(blank=True)
    questions = models.CharField(
        "questions it judges",
        max_length=500,
        blank=True,
        help_text="Keys of the application form's questions, separated by commas (for example idea, innovation): "
        "assessors see those answers beside this criterion.",
    )

    class Meta(Orderable.Meta):
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return f"{self.name} ({self.get_stage_display()}, weight {self.weight})"

    @property
    def question_keys(self) -> list[str]:
        return [key.strip() for key in self.questions.split(",") if key.strip()]


# (stage, name, weight, the default form's questions it judges)
DEFAULT_CRITERIA = [
    (Criterion.Stage.APPLICATION, "How well the idea solves the challenge", 40, "idea"),
    (Criterion.Stage.APPLICATION, "Innovation", 20, "innovation"),
    (Criterion.Stage.APPLICATION, "Commercial potential", 20, "commercial"),
    (Criterion.Stage.APPLICATION, "Commitment to the programme schedule", 20, "commitment, team"),
    (Criterion.Stage.INTERVIEW, "Team skills and experience", 40, "team"),
    (Criterion.Stage.INTERVIEW, "Culture and ethos", 20, ""),
    (Criterion.Stage.INTERVIEW, "Equality and diversity", 20, "equality_sustainability"),
    (Criterion.Stage.INTERVIEW, "Environmental sustainability", 20, "equality_sustainability"),
]
