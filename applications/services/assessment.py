"""Assessment services: assigning assessors, conflict declarations and independent scoring."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, is_programme_staff, user_roles
from challenges.models import ChallengePage, Criterion
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from notifications.services import email_enqueue

from ..models import Application, Assignment, Score
from ..permissions import assessment_not_started

Stage = Assignment.Stage
# Which applications each stage scores: the written application once submitted, the interview once shortlisted.
ASSESSABLE = {
    Stage.APPLICATION: (Application.Status.SUBMITTED, Application.Status.SHORTLISTED, Application.Status.INTERVIEW),
    Stage.INTERVIEW: (Application.Status.SHORTLISTED, Application.Status.INTERVIEW),
}
CRITERION_STAGE = {Stage.APPLICATION: Criterion.Stage.APPLICATION, Stage.INTERVIEW: Criterion.Stage.INTERVIEW}


@transaction.atomic
def assignment_create(
    *, application: Application, assessor: User, by: User, stage: Stage = Stage.APPLICATION
) -> Assignment:
    require(has_permission("assessment.assign", by, application))
    if application.status not in ASSESSABLE[stage]:
        raise DomainError(
            f"{application.reference or 'This application'} is {application.get_status_display().lower()}, "
            f"so it cannot be assessed at the {Stage(stage).label.lower()} stage."
        )
    if not user_roles(assessor) & {Role.ASSESSOR, Role.SPONSOR}:
        raise DomainError(f"{assessor} is not an assessor. Give them the assessor role first.")
    if assessor.memberships.filter(organisation_id=application.organisation_id).exists():
        raise DomainError(f"{assessor} works for the applicant, so cannot assess this application.")
    if application.assignments.filter(assessor=assessor, has_conflict=True).exists():
        raise DomainError(f"{assessor} declared a conflict of interest with this applicant.")
    assignment, created = Assignment.objects.get_or_create(
        application=application, assessor=assessor, stage=stage, defaults={"assigned_by": by}
    )
    if created:
        audit(application, "civtech.assessment.assign", by=by, data={"assessor": assessor.email, "stage": stage})
        # Staff may prepare assignments before the deadline; the email then says when the assessment opens.
        _, not_yet = assessment_not_started(application.challenge)
        email_enqueue(
            to=assessor.email,
            template="applications/email/assigned",
            context={"assignment": assignment, "not_yet": not_yet},
        )
    return assignment


@transaction.atomic
def assignments_create_for_challenge(
    *, challenge: ChallengePage, assessors: list[User], by: User, stage: Stage = Stage.APPLICATION
) -> int:
    """Assign every listed assessor to every application to the challenge at this stage; returns how many are new.

    Applicants' own staff and assessors who declared a conflict with an applicant are skipped for that application.
    """
    existing = Assignment.objects.filter(application__challenge=challenge, stage=stage)
    before = existing.count()
    conflicted = set(
        Assignment.objects.filter(application__challenge=challenge, has_conflict=True).values_list(
            "application_id", "assessor_id"
        )
    )
    for application in Application.objects.filter(challenge=challenge, status__in=ASSESSABLE[stage]):
        for assessor in assessors:
            if (application.pk, assessor.pk) in conflicted:
                continue
            if not assessor.memberships.filter(organisation_id=application.organisation_id).exists():
                assignment_create(application=application, assessor=assessor, by=by, stage=stage)
    return existing.count() - before


@transaction.atomic
def assignment_declare(*, assignment: Assignment, by: User, has_conflict: bool, details: str = "") -> Assignment:
    """The assessor says whether they have a conflict. A conflict takes them off the application and tells staff."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__challenge__round")
        .get(pk=assignment.pk)
    )
    require(has_permission("assessment.declare", by, assignment))
    if has_conflict and not details.strip():
        raise DomainError("Describe the conflict of interest.", field="details")
    assignment.has_conflict = has_conflict
    assignment.conflict_details = details.strip()
    assignment.declared_at = timezone.now()
    assignment.save(update_fields=["has_conflict", "conflict_details", "declared_at"])
    audit(
        assignment.application,
        "civtech.assessment.declare",
        by=by,
        data={"assessor": by.email, "conflict": has_conflict},
    )
    if has_conflict:
        for staff in User.objects.filter(groups__name=Role.PROGRAMME_STAFF.label, is_active=True):
            email_enqueue(to=staff.email, template="applications/email/conflict", context={"assignment": assignment})
    return assignment


def criteria_for(application: Application, stage: Stage = Stage.APPLICATION) -> list[Criterion]:
    criteria = application.challenge.round.criteria.filter(stage=CRITERION_STAGE[stage])
    return list(criteria.order_by("sort_order"))


@transaction.atomic
def scores_submit(*, assignment: Assignment, by: User, scores: dict[int, tuple[int, str]]) -> Assignment:
    """Submit a score and comment for every criterion at once; afterwards the assessor sees the others'."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("application__challenge__round")
        .get(pk=assignment.pk)
    )
    require(has_permission("assessment.score", by, assignment))
    # The call has closed (the rule says so), so no later version can be submitted: this one is final.
    version = assignment.application.versions.order_by("-number").first()
    if version is None:
        raise DomainError("This application has no submitted version to score.")
    criteria = criteria_for(assignment.application, Stage(assignment.stage))
    missing = [c.name for c in criteria if c.pk not in scores]
    if missing:
        raise DomainError("Score every criterion: " + ", ".join(missing) + ".")
    for criterion in criteria:
        value, _ = scores[criterion.pk]
        if not 0 <= value <= criterion.scale_max:
            raise DomainError(f"Scores for “{criterion.name}” go from 0 to {criterion.scale_max}.")
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=c, value=scores[c.pk][0], comment=scores[c.pk][1].strip())
        for c in criteria
    )
    assignment.submitted_at = timezone.now()
    assignment.version = version
    assignment.save(update_fields=["submitted_at", "version"])
    audit(
        assignment.application,
        "civtech.assessment.score",
        by=by,
        data={
            "assessor": by.email,
            "stage": assignment.stage,
            "version": version.number,
            "scores": {c.name: scores[c.pk][0] for c in criteria},
        },
    )
    return assignment


def scores_visible_to(user: User, application: Application, stage: Stage = Stage.APPLICATION):
    """Other assessors' scores stay hidden from an assessor until they have submitted their own."""
    scores = Score.objects.filter(assignment__application=application, assignment__stage=stage).select_related(
        "criterion", "assignment__assessor"
    )
    if is_programme_staff(user):
        return scores
    own = application.assignments.filter(assessor=user, stage=stage).first()
    if own is None or own.submitted_at is None:
        return scores.filter(assignment__assessor=user)
    return scores.filter(assignment__submitted_at__isnull=False)
