"""Moderation and the decisions that follow it: shortlist, interview, selection for the exploration stage.

Every status change after submission goes through `_move`, which checks the transition table, records a
`Decision`, audits it and emails the applicant's team. Unsuccessful applicants are told why, in the feedback
programme staff wrote while moderating, so no one can be turned down without it.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from accounts.models import User
from challenges.models import ChallengePage
from civtech.audit import audit
from civtech.errors import DomainError, require, require_type
from civtech.permissions import has_permission
from notifications.services import email_enqueue

from ..models import Application, Decision, Moderation
from ..signals import team_selected
from .assessment import Stage

Status = Application.Status
TRANSITIONS: dict[str, set[str]] = {
    Status.SUBMITTED: {Status.SHORTLISTED, Status.UNSUCCESSFUL},
    Status.SHORTLISTED: {Status.INTERVIEW, Status.UNSUCCESSFUL},
    Status.INTERVIEW: {Status.SELECTED, Status.UNSUCCESSFUL},
}
# Moderation is open while the decision it informs is still to be made.
MODERATION_OPEN = {Stage.APPLICATION: {Status.SUBMITTED}, Stage.INTERVIEW: {Status.SHORTLISTED, Status.INTERVIEW}}
EMAIL_TEMPLATE = {
    Status.SHORTLISTED: "applications/email/decision_shortlisted",
    Status.INTERVIEW: "applications/email/decision_interview",
    Status.SELECTED: "applications/email/decision_selected",
    Status.UNSUCCESSFUL: "applications/email/decision_unsuccessful",
}


def _move(application: Application, to: Status, *, by: User, point: str, feedback: str = "") -> Decision:
    if to not in TRANSITIONS.get(application.status, set()):
        raise DomainError(
            f"{application.reference} is {application.get_status_display().lower()}, "
            f"so it cannot become {Status(to).label.lower()}."
        )
    before = application.status
    application.status = to
    application.save(update_fields=["status", "interview_at", "interview_details", "updated_at"])
    decision = Decision.objects.create(
        application=application, point=point, outcome=to, feedback=feedback, decided_by=by
    )
    audit(application, "civtech.decision.record", by=by, data={"point": point, "before": before, "after": to})
    team = application.organisation.memberships.filter(user__is_active=True)
    for email in team.values_list("user__email", flat=True):
        context = {"application": application, "decision": decision, "site_url": settings.SITE_URL}
        email_enqueue(to=email, template=EMAIL_TEMPLATE[to], context=context)
    return decision


MODERATED_SCORE = "Enter the moderated score as a number from 0 to 100."


def _score(score: Decimal | None) -> Decimal:
    """The moderated score's rule. It arrives typed (the moderation form reads "72.5%" as a Decimal)."""
    require_type(score, "score", Decimal, int)
    if score is None:
        raise DomainError(MODERATED_SCORE, field="score")
    value = Decimal(score)
    if not value.is_finite() or not 0 <= value <= 100:
        raise DomainError(MODERATED_SCORE, field="score")
    return value.quantize(Decimal("0.1"))


@transaction.atomic
def moderation_record(
    *, application: Application, stage: Stage, score: Decimal | None, rationale: str, feedback: str = "", by: User
) -> Moderation:
    """Record (or revise, until the decision is made) the agreed score, its rationale and the applicant's feedback."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("challenge__round").get(pk=application.pk)
    )
    require(has_permission("assessment.moderate", by, application.challenge))
    if application.status not in MODERATION_OPEN[stage]:
        raise DomainError(
            f"{application.reference} is {application.get_status_display().lower()}: "
            f"the {Stage(stage).label.lower()} decision has been made, so its moderation is closed."
        )
    value = _score(score)
    if not rationale.strip():
        raise DomainError("Explain the moderated score.", field="rationale")
    if not application.assignments.filter(stage=stage, submitted_at__isnull=False, has_conflict=False).exists():
        raise DomainError("No assessor has submitted scores for this stage yet, so there is nothing to moderate.")
    previous = Moderation.objects.filter(application=application, stage=stage).first()
    moderation, _ = Moderation.objects.update_or_create(
        application=application,
        stage=stage,
        defaults={"score": value, "rationale": rationale.strip(), "feedback": feedback.strip(), "moderated_by": by},
    )
    audit(
        application,
        "civtech.assessment.moderate",
        by=by,
        data={"stage": stage, "before": str(previous.score) if previous else None, "after": str(value)},
    )
    return moderation


def _feedback(application: Application, *stages: str) -> str:
    """The first moderation feedback written for the application, in the order of `stages`."""
    by_stage = {m.stage: m.feedback for m in application.moderations.all()}
    return next((by_stage[s] for s in stages if by_stage.get(s, "").strip()), "")


def _decide(
    *, challenge: ChallengePage, chosen: list[int], by: User, candidates: list[str], limit: int, point: str
) -> tuple[list[Application], list[Application]]:
    """Lock the challenge's candidates and check the choice: returns (chosen, not chosen)."""
    require(has_permission("assessment.moderate", by, challenge))
    pending = list(
        Application.objects.select_for_update(of=("self",))
        .filter(challenge=challenge, status__in=candidates)
        .select_related("organisation")
        .prefetch_related("moderations")
        .order_by("reference")
    )
    if not pending:
        raise DomainError(f"No applications to this challenge are waiting for a {point} decision.")
    by_pk = {a.pk: a for a in pending}
    chosen = list(dict.fromkeys(chosen))
    unknown = [pk for pk in chosen if pk not in by_pk]
    if unknown:
        raise DomainError(f"Choose only from the applications waiting for a {point} decision.", field="chosen")
    if not chosen:
        raise DomainError("Choose at least one application.", field="chosen")
    if len(chosen) > limit:
        raise DomainError(f"Choose no more than {limit} (the round's number); you chose {len(chosen)}.", field="chosen")
    picked = [by_pk[pk] for pk in chosen]
    rest = [a for a in pending if a.pk not in set(chosen)]
    return picked, rest


@transaction.atomic
def shortlist_decide(*, challenge: ChallengePage, chosen: list[int], by: User) -> list[Decision]:
    """Shortlist the chosen submitted applications; every other submitted application is unsuccessful."""
    picked, rest = _decide(
        challenge=challenge,
        chosen=chosen,
        by=by,
        candidates=[Status.SUBMITTED],
        limit=challenge.round.shortlist_count,
        point="shortlisting",
    )
    without = [a.reference for a in rest if not _feedback(a, Stage.APPLICATION)]
    if without:
        raise DomainError(
            "Write feedback, when you moderate, for every application you do not shortlist: "
            + ", ".join(map(str, without))
            + "."
        )
    decisions = [_move(a, Status.SHORTLISTED, by=by, point=Decision.Point.SHORTLIST) for a in picked]
    decisions += [
        _move(a, Status.UNSUCCESSFUL, by=by, point=Decision.Point.SHORTLIST, feedback=_feedback(a, Stage.APPLICATION))
        for a in rest
    ]
    return decisions


@transaction.atomic
def interview_invite(*, application: Application, at: datetime, details: str, by: User) -> Decision:
    """Invite a shortlisted team to interview at a time within the round's interview dates."""
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("challenge__round").get(pk=application.pk)
    )
    require(has_permission("assessment.moderate", by, application.challenge))
    round_ = application.challenge.round
    if not round_.interviews_start <= at <= round_.interviews_end:
        raise DomainError(
            f"Choose a time between {round_.interviews_start:%-d %B %Y, %H:%M} and "
            f"{round_.interviews_end:%-d %B %Y, %H:%M} (the round's interview dates).",
            field="at",
        )
    if not details.strip():
        raise DomainError("Say where the interview is, or how to join it.", field="details")
    application.interview_at = at
    application.interview_details = details.strip()
    return _move(application, Status.INTERVIEW, by=by, point=Decision.Point.INTERVIEW)


@transaction.atomic
def selection_decide(*, challenge: ChallengePage, chosen: list[int], by: User) -> list[Decision]:
    """Select interviewed teams for the exploration stage; every other shortlisted team is unsuccessful."""
    picked, rest = _decide(
        challenge=challenge,
        chosen=chosen,
        by=by,
        candidates=[Status.SHORTLISTED, Status.INTERVIEW],
        limit=challenge.round.exploration_teams,
        point="selection",
    )
    not_interviewed = [a.reference for a in picked if a.status != Status.INTERVIEW]
    if not_interviewed:
        raise DomainError(
            "Only interviewed teams can be selected. Invite to interview first: "
            + ", ".join(map(str, not_interviewed))
            + ".",
            field="chosen",
        )
    without = [a.reference for a in rest if not _feedback(a, Stage.INTERVIEW, Stage.APPLICATION)]
    if without:
        raise DomainError(
            "Write feedback, when you moderate, for every team you do not select: " + ", ".join(map(str, without)) + "."
        )
    decisions = [_move(a, Status.SELECTED, by=by, point=Decision.Point.SELECTION) for a in picked]
    decisions += [
        _move(
            a,
            Status.UNSUCCESSFUL,
            by=by,
            point=Decision.Point.SELECTION,
            feedback=_feedback(a, Stage.INTERVIEW, Stage.APPLICATION),
        )
        for a in rest
    ]
    # Each selected team's exploration workspace opens with the decision: the sprints app, above this one, listens.
    for application in picked:
        team_selected.send(sender=Application, application=application, by=by)
    return decisions
