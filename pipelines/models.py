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
        for index, item in enumerate(self.stages):
            unknown = set(item) - {"kind", "name", *TIMING, *SETTINGS}
            if unknown:
                raise ValidationError({"stages": f"Stage {index + 1}: unknown settings {', '.join(sorted(unknown))}."})
            for key in TIMING + ("teams", "tranches", "sprint_weeks"):
                if key in item and (not isinstance(item[key], int) or isinstance(item[key], bool) or item[key] < 0):
                    raise ValidationError({"stages": f"Stage {index + 1}: {key} must be a whole number, 0 or more."})
            if "payment" in item:
                try:
                    Decimal(str(item["payment"]))
                except ArithmeticError:
                    raise ValidationError({"stages": f"Stage {index + 1}: payment must be a number."}) from None
        # A placeholder form id: a template never names a form, the round it starts does.
        found = problems(self.lay_out(timezone.now(), form_id=1))
        if found:
            raise ValidationError({"stages": [problem.message for problem in found]})
