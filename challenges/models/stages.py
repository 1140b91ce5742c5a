"""A round's stages: its pipeline, in order, each of a kind with its own settings (pipelines.spec says which), and
its twelve fixed dates kept the same as the stages while the readers move to the stages (issue #21).

The stages (`RoundStage`) are what staff edit. Until every reader reads them, the round's fixed fields (`call_opens`
… `demo_day`, the counts and the default money) stay as a copy written from the stages on every save, so nothing
that reads them changes. Code that still sets a fixed field and saves (the factories, old services) has that value
carried into the stage it belongs to. A round saved with no stages gets the *CivTech round* pipeline built from its
fixed fields: the funnel the fixed fields describe, stage for stage.

Where a pipeline lacks one of CivTech's stages (a sprint challenge has no interviews), the fixed fields it would have
filled collapse onto the stage before, so they stay in order; the readers that still use them see a zero-length
stage. That is the limit of this bridge, and why the readers move next.
"""

from decimal import Decimal

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from formbuilder.models import ApplicationForm
from pipelines.spec import BASIS_LABELS, KIND_LABELS, METHOD_LABELS, Basis, Kind, Method, first, problems


class RoundStage(Orderable):
    """One stage of a round's pipeline. Which settings a stage may hold depends on its kind (pipelines.spec.ALLOWED);
    the round's form checks the whole pipeline at once, since order and numbers depend on the other stages."""

    round = ParentalKey("challenges.Round", on_delete=models.CASCADE, related_name="stages")
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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._copy_to_round()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._copy_to_round()
        return result

    def _copy_to_round(self):
        """A stage saved or deleted on its own (not with its round): the round's fixed fields follow it, without a
        save of the round (which would compare them with the stages and carry the old values back)."""
        round_ = self.round if self.round_id else None
        if round_ is None or getattr(round_, "_syncing", False):
            return
        stages = list(RoundStage.objects.filter(round_id=self.round_id).order_by("sort_order", "pk"))
        if stages:
            current = type(round_).objects.filter(pk=self.round_id).values(*LEGACY).first()
            if current is not None:
                values = fields_from_stages(stages, current)
                type(round_).objects.filter(pk=self.round_id).update(**values)


def pipeline_problems(stages) -> list[str]:
    """What is wrong with a round's stages, as messages (empty when the pipeline can run)."""
    return [problem.message for problem in problems(list(stages))]


# The order the round's fixed dates must keep (Round.clean checks it; the copy written from the stages keeps it).
SEQUENCE = [
    "call_opens",
    "questions_close",
    "call_closes",
    "shortlist_by",
    "interviews_start",
    "interviews_end",
    "exploration_start",
    "exploration_end",
    "pitch_at",
    "accelerator_start",
    "accelerator_end",
    "demo_day",
]

# fixed field → the stages' (kind, which of that kind, field) it is written to; the first is the one it is read from.
LEGACY: dict[str, list[tuple[str, int, str]]] = {
    "call_opens": [(Kind.CALL, 0, "starts")],
    "questions_close": [(Kind.CALL, 0, "questions_close")],
    "call_closes": [(Kind.CALL, 0, "ends"), (Kind.ASSESSMENT, 0, "starts")],
    "shortlist_by": [(Kind.ASSESSMENT, 0, "ends")],
    "shortlist_count": [(Kind.ASSESSMENT, 0, "teams")],
    "interviews_start": [(Kind.INTERVIEW, 0, "starts")],
    "interviews_end": [(Kind.INTERVIEW, 0, "ends")],
    "exploration_teams": [(Kind.PAID, 0, "teams"), (Kind.INTERVIEW, 0, "teams")],
    "exploration_start": [(Kind.PAID, 0, "starts")],
    "exploration_end": [(Kind.PAID, 0, "ends")],
    "exploration_payment": [(Kind.PAID, 0, "payment")],
    "pitch_at": [(Kind.SELECTION, 0, "starts")],
    "accelerator_teams": [(Kind.PAID, 1, "teams"), (Kind.SELECTION, 0, "teams")],
    "accelerator_start": [(Kind.PAID, 1, "starts")],
    "accelerator_end": [(Kind.PAID, 1, "ends")],
    "accelerator_max": [(Kind.PAID, 1, "payment")],
    "demo_day": [(Kind.SHOWCASE, 0, "starts")],
}
# When a pipeline has no stage for a date, it takes the date of the field before it (the order of Round.SEQUENCE).
FALLBACK = {
    "questions_close": "call_closes",
    "shortlist_by": "call_closes",
    "interviews_start": "shortlist_by",
    "interviews_end": "interviews_start",
    "exploration_start": "interviews_end",
    "exploration_end": "exploration_start",
    "pitch_at": "exploration_end",
    "accelerator_start": "pitch_at",
    "accelerator_end": "accelerator_start",
    "demo_day": "accelerator_end",
}


def civtech_round_stages(round_) -> list[RoundStage]:
    """The *CivTech round* pipeline of a round's fixed fields: call, shortlisting, interviews, exploration,
    accelerator pitches, accelerator and Demo Day, with the round's counts and money."""
    r = round_
    return [
        RoundStage(kind=Kind.CALL, name="Call for applications", starts=r.call_opens, ends=r.call_closes,
                   questions_close=r.questions_close),
        RoundStage(kind=Kind.ASSESSMENT, name="Shortlisting", starts=r.call_closes, ends=r.shortlist_by,
                   teams=r.shortlist_count),
        RoundStage(kind=Kind.INTERVIEW, name="Interviews", starts=r.interviews_start, ends=r.interviews_end,
                   teams=r.exploration_teams),
        RoundStage(kind=Kind.PAID, name="Exploration", starts=r.exploration_start, ends=r.exploration_end,
                   teams=r.exploration_teams, payment=r.exploration_payment, payment_basis=Basis.PER_TEAM),
        RoundStage(kind=Kind.SELECTION, name="Accelerator pitches", starts=r.pitch_at, teams=r.accelerator_teams,
                   method=Method.PITCH),
        RoundStage(kind=Kind.PAID, name="Accelerator", starts=r.accelerator_start, ends=r.accelerator_end,
                   teams=r.accelerator_teams, payment=r.accelerator_max, payment_basis=Basis.MAXIMUM),
        RoundStage(kind=Kind.SHOWCASE, name="Demo Day", starts=r.demo_day),
    ]  # fmt: skip


def legacy_values(round_) -> dict:
    return {name: getattr(round_, name) for name in LEGACY}


def fields_from_stages(stages: list[RoundStage], current: dict) -> dict:
    """The fixed fields the stages describe. A date no stage holds takes the date before it; the teams and money of a
    paid stage the pipeline does not have are 0 (a sprint has no accelerator: no accelerator money, no teams for
    it); a shortlist size with no assessment keeps its `current` value."""
    values = {}
    for name, targets in LEGACY.items():
        kind, nth, attr = targets[0]
        stage = first(stages, kind, nth)
        values[name] = getattr(stage, attr) if stage is not None else None
    for name in SEQUENCE:  # in order, so each fallback is already settled
        if values[name] is None:  # no stage holds it: the date before it (a zero-length stage, in order)
            values[name] = values[FALLBACK[name]] if name in FALLBACK else current[name]
    for name in ("exploration_teams", "accelerator_teams"):
        values[name] = values[name] or 0
    for name in ("exploration_payment", "accelerator_max"):
        values[name] = values[name] if values[name] is not None else Decimal(0)
    if values["shortlist_count"] is None:
        values["shortlist_count"] = current["shortlist_count"]
    return values


def carry_into_stages(stages: list[RoundStage], changed: dict) -> None:
    """Write fixed fields set in code into the stages they belong to (where the pipeline has such a stage)."""
    for name, value in changed.items():
        for kind, nth, attr in LEGACY[name]:
            stage = first(stages, kind, nth)
            if stage is not None:
                setattr(stage, attr, Decimal(value) if attr == "payment" and value is not None else value)


def sync(round_) -> None:
    """Before a round is saved: give it stages if it has none, carry fixed fields set in code into its stages, and
    write the fixed fields from the stages. The stages are saved with the round (modelcluster's child relation).

    Which side wins: stages edited with the round (the admin's form, or assigned in code) win, except for fixed
    fields also changed since the round was read. Stages read from the database lose to any fixed field that differs
    from what they imply: it was set in code, or written past the model (`.update()`), after they were saved."""
    in_memory = "stages" in getattr(round_, "_cluster_related_objects", {})
    stages = list(round_.stages.all())
    if not stages:
        if round_.call_opens is not None:
            stages = civtech_round_stages(round_)
            for order, stage in enumerate(stages):
                stage.sort_order = order
            round_.stages = stages
        return
    now = legacy_values(round_)
    if in_memory:
        loaded = getattr(round_, "_legacy_loaded", None) or now
        changed = {name: value for name, value in now.items() if loaded.get(name) != value}
    else:
        implied = fields_from_stages(stages, now)
        changed = {name: value for name, value in now.items() if implied[name] != value}
    carry_into_stages(stages, changed)
    for name, value in fields_from_stages(stages, now).items():
        setattr(round_, name, value)
    round_.stages = stages
