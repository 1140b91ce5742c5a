"""A round's pipeline as data: an ordered list of stages, each of one of six kinds, and the rules that make it possible.

Pure Python (it knows no model), like `formbuilder.questions`: the round's stage rows, the templates, the admin form
and the migration test share one definition of what each kind of stage holds and what order stages may come in.

A stage is read through `StageData`, so the rules apply equally to a saved `RoundStage`, a form's cleaned data and a
template laid out on a calendar. `problems(stages)` names every rule broken, each tied to a stage and a field, in
words a programme manager understands ("Stage 4 (Exploration) starts before stage 3 (Interviews) ends").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Protocol


class Kind:
    """The six kinds of stage (the values stored on each stage)."""

    CALL = "call"  # applications open, clarification questions close, applications close
    ASSESSMENT = "assessment"  # written applications scored against criteria; a shortlist decided by a date
    INTERVIEW = "interview"  # interviews between two dates; a number of teams chosen
    PAID = "paid"  # teams paid to work: "Exploration", "Accelerator", "Feasibility", "Prototype", a prize
    SELECTION = "selection"  # a pitch, or a second application with its own form, choosing who goes on
    SHOWCASE = "showcase"  # Demo Day: a single moment


KIND_LABELS = {
    Kind.CALL: "Call for applications",
    Kind.ASSESSMENT: "Assessment",
    Kind.INTERVIEW: "Interviews",
    Kind.PAID: "Paid stage",
    Kind.SELECTION: "Selection",
    Kind.SHOWCASE: "Showcase",
}
KINDS = tuple(KIND_LABELS)
KIND_PHRASES = {
    Kind.CALL: "a call",
    Kind.ASSESSMENT: "an assessment",
    Kind.INTERVIEW: "an interview stage",
    Kind.PAID: "a paid stage",
    Kind.SELECTION: "a selection",
    Kind.SHOWCASE: "a showcase",
}
# Kinds that choose who goes on: a paid stage needs one of these between it and the previous paid stage (or the call).
CHOOSING = {Kind.ASSESSMENT, Kind.INTERVIEW, Kind.SELECTION}


class Method:
    PITCH = "pitch"
    SECOND_APPLICATION = "second_application"


METHOD_LABELS = {Method.PITCH: "Pitch", Method.SECOND_APPLICATION: "Second application"}


class Basis:
    PER_TEAM = "per_team"  # every team is paid the amount (exploration: £5,000 each)
    MAXIMUM = "maximum"  # the amount is the most a contract may be worth (accelerator: up to £350,000)


BASIS_LABELS = {Basis.PER_TEAM: "Per team", Basis.MAXIMUM: "Maximum per contract"}

# The settings each kind holds beyond its name and dates ("starts" always; "ends" where the kind lasts).
SETTINGS = (
    "questions_close",
    "teams",
    "payment",
    "payment_basis",
    "tranches",
    "sprint_weeks",
    "deliverables",
    "method",
    "form_id",
)
ALLOWED = {
    Kind.CALL: {"questions_close"},
    Kind.ASSESSMENT: {"teams"},
    Kind.INTERVIEW: {"teams"},
    Kind.PAID: {"teams", "payment", "payment_basis", "tranches", "sprint_weeks", "deliverables"},
    Kind.SELECTION: {"teams", "method", "form_id"},
    Kind.SHOWCASE: set(),
}
LASTS = {Kind.CALL, Kind.ASSESSMENT, Kind.INTERVIEW, Kind.PAID}  # must have an end; the others are moments
# Field labels for the messages, as the admin shows them.
FIELD_LABELS = {
    "starts": "starts",
    "ends": "ends",
    "questions_close": "clarification questions close",
    "teams": "number of teams",
    "payment": "payment",
    "payment_basis": "payment basis",
    "tranches": "payment tranches",
    "sprint_weeks": "sprint length",
    "deliverables": "deliverables",
    "method": "how teams are chosen",
    "form_id": "second application form",
}


class StageData(Protocol):
    kind: str
    name: str
    starts: datetime | None
    ends: datetime | None
    questions_close: datetime | None
    teams: int | None
    payment: Decimal | None
    payment_basis: str
    tranches: int | None
    sprint_weeks: int | None
    deliverables: str
    method: str
    form_id: int | None


@dataclass
class Stage:
    """A stage outside the database: a template laid out on a calendar, or a test's."""

    kind: str
    name: str = ""
    starts: datetime | None = None
    ends: datetime | None = None
    questions_close: datetime | None = None
    teams: int | None = None
    payment: Decimal | None = None
    payment_basis: str = ""
    tranches: int | None = None
    sprint_weeks: int | None = None
    deliverables: str = ""
    method: str = ""
    form_id: int | None = None


@dataclass(frozen=True)
class Problem:
    index: int | None  # the stage's position (0-based), or None for the pipeline as a whole
    field: str | None  # the stage's field the problem is about, or None
    message: str


def title(stage: StageData, index: int) -> str:
    kind = KIND_LABELS.get(stage.kind, "") if isinstance(stage.kind, str) else ""
    return f"Stage {index + 1} ({stage.name or kind or 'of no kind'})"


def mention(stage: StageData, index: int) -> str:
    """The stage named mid-sentence ("stage 3 (Interviews)")."""
    return "s" + title(stage, index)[1:]


def _is_set(value) -> bool:
    return value not in (None, "")


def problems(stages: Sequence[StageData]) -> list[Problem]:
    """Every rule the pipeline breaks; empty when it can run."""
    found: list[Problem] = []
    if not stages:
        return [Problem(None, None, "A round needs at least one stage: its call for applications.")]
    if stages[0].kind != Kind.CALL:
        found.append(Problem(0, "kind", "The first stage must be the call for applications."))
    if sum(stage.kind == Kind.CALL for stage in stages) > 1:
        found.append(Problem(None, None, "A round has one call for applications."))
    for index, stage in enumerate(stages):
        found += _stage_problems(stage, index)
    found += _order_problems(stages)
    found += _funnel_problems(stages)
    return found


def _stage_problems(stage: StageData, index: int) -> list[Problem]:
    name = title(stage, index)
    if not isinstance(stage.kind, str) or stage.kind not in KIND_LABELS:
        return [Problem(index, "kind", f"{name}: choose a kind of stage.")]
    found = []
    if stage.starts is None:
        found.append(Problem(index, "starts", f"{name}: enter the date it starts."))
    if stage.kind in LASTS and stage.ends is None:
        found.append(Problem(index, "ends", f"{name}: enter the date it ends."))
    if stage.kind not in LASTS and stage.ends is not None and stage.kind != Kind.SELECTION:
        found.append(Problem(index, "ends", f"{name}: {KIND_PHRASES[stage.kind]} is a single date."))
    if stage.starts and stage.ends and stage.ends < stage.starts:
        found.append(Problem(index, "ends", f"{name} ends before it starts."))
    for setting in SETTINGS:
        if _is_set(getattr(stage, setting)) and setting not in ALLOWED[stage.kind]:
            found.append(
                Problem(
                    index,
                    setting,
                    f"{name}: {KIND_PHRASES[stage.kind]} has no {FIELD_LABELS[setting]}; leave it empty.",
                )
            )
    opens, questions, closes = stage.starts, stage.questions_close, stage.ends
    if stage.kind == Kind.CALL and opens and questions and closes and not opens <= questions <= closes:
        found.append(
            Problem(index, "questions_close", f"{name}: clarification questions must close while the call is open.")
        )
    if stage.kind in {Kind.PAID, Kind.SELECTION, Kind.INTERVIEW} and not stage.teams:
        found.append(Problem(index, "teams", f"{name}: enter how many teams it takes."))
    if stage.kind == Kind.PAID:
        if not stage.name:
            found.append(Problem(index, "name", f"{name}: name the paid stage (for example Exploration)."))
        if stage.payment is None or not stage.payment.is_finite() or stage.payment <= 0:
            found.append(Problem(index, "payment", f"{name}: enter the payment, in pounds, more than £0."))
        if stage.payment_basis not in BASIS_LABELS:
            found.append(Problem(index, "payment_basis", f"{name}: say whether the payment is per team or a maximum."))
        if stage.tranches is not None and stage.tranches < 1:
            found.append(Problem(index, "tranches", f"{name}: pay in one tranche or more."))
    if stage.kind == Kind.SELECTION:
        if stage.method not in METHOD_LABELS:
            found.append(Problem(index, "method", f"{name}: choose a pitch or a second application."))
        elif stage.method == Method.SECOND_APPLICATION and not stage.form_id:
            found.append(Problem(index, "form_id", f"{name}: choose the form of the second application."))
        elif stage.method == Method.PITCH and stage.form_id:
            found.append(Problem(index, "form_id", f"{name}: a pitch has no form; leave it empty."))
    return found


def _order_problems(stages: Sequence[StageData]) -> list[Problem]:
    """Each stage starts on or after the one before it ends (or happens, for a single date)."""
    found = []
    for index in range(1, len(stages)):
        before, stage = stages[index - 1], stages[index]
        previous_end = before.ends or before.starts
        if stage.starts and previous_end and stage.starts < previous_end:
            verb = "ends" if before.ends else "happens"
            found.append(
                Problem(index, "starts", f"{title(stage, index)} starts before {mention(before, index - 1)} {verb}.")
            )
    return found


def _funnel_problems(stages: Sequence[StageData]) -> list[Problem]:
    """Someone chooses the teams before each paid stage, and no stage takes more teams than the one before it."""
    found = []
    chosen = False
    teams_before: tuple[int, int] | None = None  # (index, teams) of the nearest earlier stage with a number
    for index, stage in enumerate(stages):
        if stage.kind in CHOOSING:
            chosen = True
        elif stage.kind == Kind.PAID:
            if not chosen:
                found.append(
                    Problem(
                        index,
                        "kind",
                        f"{title(stage, index)} pays teams nobody has chosen: put an "
                        "assessment, interviews or a selection before it.",
                    )
                )
            chosen = False
        if stage.teams:
            if teams_before and stage.teams > teams_before[1]:
                earlier = stages[teams_before[0]]
                found.append(
                    Problem(
                        index,
                        "teams",
                        f"{title(stage, index)} takes {stage.teams} teams, more than "
                        f"the {teams_before[1]} of {mention(earlier, teams_before[0])}.",
                    )
                )
            teams_before = (index, stage.teams)
    return found


def first(stages: Sequence[StageData], kind: str, nth: int = 0):
    """The nth stage of a kind (0: the first), or None."""
    of_kind = [stage for stage in stages if stage.kind == kind]
    return of_kind[nth] if nth < len(of_kind) else None
