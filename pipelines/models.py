"""Pipeline templates: the shapes of funnel a round can start from, as data a programme can add to."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from .spec import SETTINGS, Stage, problems

# What a template's stage holds besides its kind and name: days after the call opens it starts ("start_day"),
# how many days it lasts ("days", absent for a single date), and for a call the day questions close.
TIMING = ("start_day", "days", "questions_close_day")


class PipelineTemplate(models.Model):
    """A named, ordered list of stages with their usual spacing and settings ("CivTech round", "SBRI two-phase")."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    stages = models.JSONField(
        default=list,
        help_text='A list of stages, e.g. [{"kind": "call", "name": "Call", "start_day": 0, "days": 28, '
        '"questions_close_day": 21}, …]: each stage\'s kind, name, the day after the call opens that it starts, '
        "how many days it lasts and its settings (teams, payment, payment_basis, tranches, sprint_weeks, "
        "deliverables, method).",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def lay_out(self, call_opens: datetime, *, form_id: int | None = None) -> list[Stage]:
        """The template's stages on a calendar starting when the call opens. A second application the template
        leaves without a form gets `form_id` (staff then choose its own)."""
        stages = []
        for item in self.stages:
            starts = call_opens + timedelta(days=item.get("start_day", 0))
            settings = {key: item[key] for key in SETTINGS if key in item}
            if "payment" in settings:
                settings["payment"] = Decimal(str(settings["payment"]))
            if item.get("method") == "second_application" and not settings.get("form_id"):
                settings["form_id"] = form_id
            stages.append(
                Stage(
                    kind=item.get("kind", ""),
                    name=item.get("name", ""),
                    starts=starts,
                    ends=starts + timedelta(days=item["days"]) if "days" in item else None,
                    questions_close=(
                        call_opens + timedelta(days=item["questions_close_day"])
                        if "questions_close_day" in item
                        else None
                    ),
                    **settings,
                )
            )
        return stages

    def clean(self):
        if not isinstance(self.stages, list) or not all(isinstance(item, dict) for item in self.stages):
            raise ValidationError({"stages": "Enter a list of stages, each between { and }."})
        found = [message for index, item in enumerate(self.stages) for message in _item_problems(index, item)]
        if not found:
            # A placeholder form id: a template never names a form, the round it starts does.
            found = [problem.message for problem in problems(self.lay_out(timezone.now(), form_id=1))]
        if found:
            raise ValidationError({"stages": found})


MAX_DAYS = 3650  # ten years: no stage of a programme starts or lasts longer
MAX_TEAMS = 1000
MAX_PAYMENT = Decimal("9999999999.99")  # what a stage's payment column holds
TEXT_LIMITS = {"kind": 12, "name": 100, "payment_basis": 10, "method": 20, "deliverables": 5000}


def _item_problems(index: int, item: dict) -> list[str]:
    """What is wrong with one stage of a template as typed (its types and sizes; the order rules come after)."""
    where = f"Stage {index + 1}"
    unknown = set(item) - {"kind", "name", "deliverables", "payment_basis", "method", "payment", "teams", "tranches",
                           "sprint_weeks", *TIMING}  # fmt: skip
    if unknown:
        return [f"{where}: unknown settings {', '.join(sorted(map(str, unknown)))} (a template names no form)."]
    found = []
    for key, limit in TEXT_LIMITS.items():
        if key in item and (not isinstance(item[key], str) or len(item[key]) > limit):
            found.append(f"{where}: {key} must be text of {limit} characters at most.")
    for key, most in {**dict.fromkeys(TIMING, MAX_DAYS), **dict.fromkeys(("teams", "tranches", "sprint_weeks"),
                                                                         MAX_TEAMS)}.items():  # fmt: skip
        value = item.get(key)
        if key in item and (not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= most):
            found.append(f"{where}: {key} must be a whole number from 0 to {most}.")
    if "payment" in item:
        try:
            payment = Decimal(str(item["payment"]))
        except ArithmeticError:
            payment = None
        if (
            isinstance(item["payment"], bool)
            or payment is None
            or not payment.is_finite()
            or not 0 < payment <= MAX_PAYMENT
        ):
            found.append(f"{where}: payment must be an amount in pounds, more than 0 and at most £{MAX_PAYMENT:,}.")
    return found
