"""A round's stages: its pipeline, in order, each of a kind with its own settings (pipelines.spec says which)."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from formbuilder.models import ApplicationForm
from pipelines.spec import BASIS_LABELS, KIND_LABELS, METHOD_LABELS, problems

from .rounds import Round


class RoundStage(Orderable):
    """One stage of a round's pipeline. Which settings a stage may hold depends on its kind (pipelines.spec.ALLOWED);
    the round's form checks the whole pipeline at once, since order and numbers depend on the other stages."""

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=12, choices=list(KIND_LABELS.items()))
    name = models.CharField(max_length=100, blank=True, help_text='e.g. "Exploration", "Feasibility", "Demo Day".')
    starts = models.DateTimeField(help_text="When it starts (UK time); for a single date, when it happens.")
    ends = models.DateTimeField(null=True, blank=True, help_text="When it ends: a call closes, a shortlist is due.")
    questions_close = models.DateTimeField("clarification questions close", null=True, blank=True)
    teams = models.PositiveSmallIntegerField(
        "teams", null=True, blank=True, help_text="Shortlisted, interviewed and chosen, or paid, per challenge."
    )
    payment = models.DecimalField(
        "payment (£, ex VAT)", max_digits=12, decimal_places=2, null=True, blank=True, help_text="Paid stages only."
    )
    payment_basis = models.CharField(max_length=10, blank=True, choices=list(BASIS_LABELS.items()))
    tranches = models.PositiveSmallIntegerField("payment tranches", null=True, blank=True)
    sprint_weeks = models.PositiveSmallIntegerField("sprint length (weeks)", null=True, blank=True)
    deliverables = models.TextField("deliverables expected", blank=True)
    method = models.CharField("teams chosen by", max_length=20, blank=True, choices=list(METHOD_LABELS.items()))
    form = models.ForeignKey(
        ApplicationForm,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="selection_stages",
        verbose_name="second application form",
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
        FieldRowPanel([FieldPanel("starts"), FieldPanel("ends"), FieldPanel("questions_close")]),
        FieldRowPanel([FieldPanel("teams"), FieldPanel("payment"), FieldPanel("payment_basis")]),
        FieldRowPanel([FieldPanel("tranches"), FieldPanel("sprint_weeks")]),
        FieldPanel("deliverables"),
        FieldRowPanel([FieldPanel("method"), FieldPanel("form")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "stage"

    def __str__(self) -> str:
        return f"{self.name or self.get_kind_display()} ({self.round})" if self.round_id else self.name


def pipeline_problems(stages) -> list[str]:
    """What is wrong with a round's stages, as messages (empty when the pipeline can run)."""
    return [problem.message for problem in problems(list(stages))]
