"""Engagements and their sprint plans: creation from a selection decision, RAG, ending early, sprint updates."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from applications.models import Application
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from ledger.models import Contract
from ledger.services import contract_award_stage

from ..models import Engagement, Sprint, SprintUpdate
from ..signals import engagement_started
from ._common import notify, sponsor_members, transition, workspace_url

ENGAGEMENT_TRANSITIONS = {Engagement.Status.ACTIVE: {Engagement.Status.COMPLETED, Engagement.Status.ENDED}}
# Default sprint length per stage: a short exploration works week by week, the accelerator fortnightly.
SPRINT_DAYS: dict[str, int] = {Engagement.Stage.EXPLORATION: 7, Engagement.Stage.ACCELERATOR: 14}


def _stage_dates(application: Application, stage: str) -> tuple[date, date]:
    round_ = application.challenge.round
    if stage == Engagement.Stage.EXPLORATION:
        return timezone.localdate(round_.exploration_start), timezone.localdate(round_.exploration_end)
    return timezone.localdate(round_.accelerator_start), timezone.localdate(round_.accelerator_end)


def _stage_capacity(application: Application, stage: str) -> int:
    round_ = application.challenge.round
    return round_.exploration_teams if stage == Engagement.Stage.EXPLORATION else round_.accelerator_teams


def _default_sprints(engagement: Engagement) -> None:
    """Split the stage into sprints of the stage's default length; the last one ends with the stage."""
    length = timedelta(days=SPRINT_DAYS[engagement.stage])
    start, number, sprints = engagement.starts_on, 1, []
    while start <= engagement.ends_on:
        end = min(start + length - timedelta(days=1), engagement.ends_on)
        goal = "Design sprint: understand the problem with the sponsor." if number == 1 else ""
        sprints.append(Sprint(engagement=engagement, number=number, starts_on=start, ends_on=end, goal=goal))
        start, number = end + timedelta(days=1), number + 1
    Sprint.objects.bulk_create(sprints)


@transaction.atomic
def engagement_create(
    *, application: Application, stage: str, by: User | None, contract_value: Decimal | None = None
) -> Engagement:
    """Start a selected team's engagement for a stage, with dates and contract value from the round.

    Idempotent: a second call for the same application and stage returns the existing engagement. The number
    of teams per stage comes from the round, so a sprint round with two explorers needs no code change.
    """
    if by is not None:
        require(has_permission("engagement.manage", by, application))
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("challenge__round", "organisation")
        .get(pk=application.pk)
    )
    existing = Engagement.objects.filter(application=application, stage=stage).first()
    if existing is not None:
        return existing
    if application.status != Application.Status.SELECTED:
        raise DomainError(f"Only selected teams start a stage ({application} is {application.get_status_display()}).")
    challenge = application.challenge
    if stage == Engagement.Stage.ACCELERATOR:
        explored = Engagement.objects.filter(
            application=application, stage=Engagement.Stage.EXPLORATION, pitch__progressed=True
        )
        if not explored.exists():
            raise DomainError("Only a team whose pitch was chosen goes to the accelerator.")
        maximum = challenge.accelerator_amount
        value = maximum if contract_value is None else contract_value
        if value > maximum:
            raise DomainError(f"The accelerator contract can be at most £{maximum:,.2f} for this challenge.")
    else:
        value = challenge.exploration_amount
    taken = (
        Engagement.objects.filter(application__challenge=challenge, stage=stage)
        .exclude(status=Engagement.Status.ENDED)
        .count()
    )
    capacity = _stage_capacity(application, stage)
    if taken >= capacity:
        raise DomainError(f"This round takes {capacity} team(s) per challenge into the {stage} stage.")
    starts_on, ends_on = _stage_dates(application, stage)
    engagement = Engagement.objects.create(
        application=application,
        stage=stage,
        starts_on=starts_on,
        ends_on=ends_on,
        contract_value=value,
        created_by=by,
    )
    _default_sprints(engagement)
    # Every stage engagement has its contract (and the exploration its single tranche), made with it; the impact
    # app, listening above this one, schedules its impact returns (a baseline now, more after the accelerator).
    contract_for_engagement(engagement=engagement, by=by)
    engagement_started.send(sender=Engagement, engagement=engagement)
    audit(
        engagement,
        "civtech.engagement.create",
        by=by,
        data={"stage": stage, "contract_value": str(value), "starts_on": str(starts_on), "ends_on": str(ends_on)},
    )
    # The team hears from the decision that created this (selection or pitch); the sponsor hears here.
    notify(
        sponsor_members(engagement),
        subject=f"{engagement.get_stage_display()} stage: {challenge.title}",
        body=f"{application.organisation} starts the {engagement.get_stage_display().lower()} stage of "
        f"“{challenge.title}” on {starts_on:%-d %B %Y}. The shared workspace is ready.",
        url=workspace_url(engagement),
    )
    return engagement


@transaction.atomic
def contract_for_engagement(*, engagement: Engagement, by: User | None) -> Contract:
    """The engagement's stage contract in the money ledger (buyer: the sponsor; supplier: the team), made once.

    The caller's `engagement` is given the contract too, so it reads `engagement.contract` without a reload.
    """
    locked = Engagement.objects.select_for_update().get(pk=engagement.pk)
    contract = locked.contract
    if contract is None:
        application = locked.application
        challenge = application.challenge
        contract = contract_award_stage(
            kind=locked.stage,
            challenge=challenge,
            supplier=application.organisation,
            title=f"{challenge.title}: {locked.get_stage_display().lower()} stage ({application.organisation})",
            value=locked.contract_value,
            starts_on=locked.starts_on,
            ends_on=locked.ends_on,
            by=by,
        )
        locked.contract = contract
        locked.save(update_fields=["contract"])
    engagement.contract = contract
    return contract


@transaction.atomic
def engagement_set_rag(*, engagement: Engagement, rag: str, note: str, by: User) -> Engagement:
    require(has_permission("engagement.plan", by, engagement))
    if rag not in Engagement.Rag.values:
        raise DomainError("Choose green, amber or red.", field="rag")
    if rag != Engagement.Rag.GREEN and not note.strip():
        raise DomainError("Say why the engagement is not on track.", field="note")
    before = engagement.rag
    engagement.rag, engagement.rag_note = rag, note.strip()
    engagement.save(update_fields=["rag", "rag_note"])
    audit(engagement, "civtech.engagement.rag", by=by, data={"before": before, "after": rag, "note": note.strip()})
    return engagement


@transaction.atomic
def engagement_end(*, engagement: Engagement, reason: str, by: User) -> Engagement:
    """Stop an engagement early (the team withdrew, or the contract ended)."""
    require(has_permission("engagement.manage", by, engagement))
    if not reason.strip():
        raise DomainError("Say why the engagement is ending.", field="reason")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    before = transition(engagement, Engagement.Status.ENDED, ENGAGEMENT_TRANSITIONS)
    engagement.outcome_reason = reason.strip()
    engagement.save(update_fields=["status", "outcome_reason"])
    audit(engagement, "civtech.engagement.end", by=by, data={"before": before, "after": engagement.status})
    return engagement


@transaction.atomic
def sprint_plan(
    *, engagement: Engagement, by: User, starts_on: date, ends_on: date, goal: str, sprint: Sprint | None = None
) -> Sprint:
    """Add a sprint to the plan, or change an existing one's dates and goal."""
    require(has_permission("engagement.plan", by, engagement))
    if ends_on < starts_on:
        raise DomainError("The sprint must end on or after the day it starts.", field="ends_on")
    if starts_on < engagement.starts_on or ends_on > engagement.ends_on:
        raise DomainError(
            f"Sprints must fall within the stage: {engagement.starts_on:%-d %B} to {engagement.ends_on:%-d %B %Y}.",
            field="starts_on",
        )
    if sprint is None:
        last = engagement.sprints.order_by("-number").values_list("number", flat=True).first() or 0
        sprint = Sprint(engagement=engagement, number=last + 1)
    elif sprint.engagement_id != engagement.pk:
        raise DomainError("That sprint belongs to another engagement.")
    sprint.starts_on, sprint.ends_on, sprint.goal = starts_on, ends_on, goal.strip()
    sprint.save()
    audit(
        engagement,
        "civtech.sprint.plan",
        by=by,
        data={"sprint": sprint.number, "starts_on": str(starts_on), "ends_on": str(ends_on), "goal": sprint.goal},
    )
    return sprint


@transaction.atomic
def sprint_update_post(
    *, sprint: Sprint, by: User, done: str, next_steps: str, blockers: str = "", help_needed: str = ""
) -> SprintUpdate:
    engagement = sprint.engagement
    require(has_permission("engagement.report", by, engagement))
    if not done.strip():
        raise DomainError("Say what you did in this sprint.", field="done")
    if not next_steps.strip():
        raise DomainError("Say what you will do next.", field="next")
    update = SprintUpdate.objects.create(
        sprint=sprint,
        done=done.strip(),
        next=next_steps.strip(),
        blockers=blockers.strip(),
        help_needed=help_needed.strip(),
        posted_by=by,
    )
    audit(engagement, "civtech.sprint.update", by=by, data={"sprint": sprint.number, "update": update.pk})
    body = f"{engagement.organisation} posted an update on sprint {sprint.number}."
    if update.help_needed:
        body += f"\n\nThey need help with: {update.help_needed}"
    notify(
        sponsor_members(engagement),
        subject=f"Sprint {sprint.number} update from {engagement.organisation}",
        body=body,
        url=workspace_url(engagement, "sprints:plan"),
    )
    return update


def engagement_for_selected_team(*, application: Application, by: User | None, **kwargs) -> Engagement:
    """applications.signals.team_selected: a selected team starts the exploration stage."""
    return engagement_create(application=application, stage=Engagement.Stage.EXPLORATION, by=by)
