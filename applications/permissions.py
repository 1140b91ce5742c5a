from django.utils import dateformat, timezone

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership, OrganisationKind


def is_applicant_member(user, application) -> bool:
    return Membership.objects.filter(user=user, organisation_id=application.organisation_id).exists()


def _is_sponsor_member(user, application) -> bool:
    return Membership.objects.filter(user=user, organisation_id=application.challenge.sponsor_id).exists()


def call_closed(challenge, now=None) -> bool:
    """The call is closed from its deadline's instant on, as for submission (`now >= call_closes`)."""
    return (now or timezone.now()) >= challenge.round.call_closes


def _closes_text(challenge) -> str:
    local = timezone.localtime(challenge.round.call_closes)
    return f"{dateformat.format(local, 'g:iA').lower()} on {dateformat.format(local, 'l j F Y')}"


def assessment_not_started(challenge) -> Result:
    """Assessors read and score only what every applicant had until the deadline to change: the final version."""
    if call_closed(challenge):
        return ALLOWED
    return denied(f"Assessment starts when the call closes, at {_closes_text(challenge)} (UK time).")


@rule("application.start")
def can_start(user, challenge) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to apply.")
    if not challenge.is_open:
        return denied("This challenge is not open for applications.")
    applicant_orgs = Membership.objects.filter(user=user).exclude(organisation__kind=OrganisationKind.PUBLIC_BODY)
    if not applicant_orgs.exists():
        return denied("Register your company (or yourself as an individual) before you apply.")
    return ALLOWED


@rule("application.view")
def can_view(user, application) -> Result:
    """The applicant's team, programme staff, assessors assigned to it who have declared no conflict, and the
    sponsor once the call has closed."""
    if not user.is_authenticated:
        return denied("Sign in to see this application.")
    if is_programme_staff(user) or is_applicant_member(user, application):
        return ALLOWED
    declarations = {a.has_conflict for a in application.assignments.filter(assessor=user)}
    if True in declarations:
        return denied("You declared a conflict of interest, so you cannot see this application.")
    if declarations and not call_closed(application.challenge):
        return assessment_not_started(application.challenge)
    if False in declarations:
        return ALLOWED
    if None in declarations:
        return denied("Declare any conflict of interest before you see this application.")
    if _is_sponsor_member(user, application):
        if application.status == application.Status.DRAFT:
            return denied("Draft applications are private to the applicant.")
        if timezone.now() < application.challenge.round.call_closes:
            return denied("Sponsors see applications only after the call closes.")
        return ALLOWED
    return denied("You can only see your own organisation's applications.")


@rule("application.edit")
def can_edit(user, application) -> Result:
    if not user.is_authenticated or not is_applicant_member(user, application):
        return denied("Only members of the applying organisation can change this application.")
    if application.status not in (application.Status.DRAFT, application.Status.SUBMITTED):
        return denied(f"This application is {application.get_status_display().lower()}, so it can no longer change.")
    if timezone.now() >= application.challenge.round.call_closes:
        return denied("The deadline has passed, so this application can no longer change.")
    return ALLOWED


@rule("assessment.assign")
def can_assign(user, application) -> Result:
    if is_programme_staff(user):
        return ALLOWED
    return denied("Only the CivTech team assigns assessors.")


@rule("assessment.moderate")
def can_moderate(user, challenge) -> Result:
    """Moderation and decisions on a challenge's applications: programme staff, once the call has closed."""
    if not is_programme_staff(user):
        return denied("Only the CivTech team moderates scores and makes decisions.")
    if timezone.now() < challenge.round.call_closes:
        return denied("Applications can be moderated only after the call closes.")
    return ALLOWED


def _assessable(assignment) -> Result:
    application = assignment.application
    if application.status == application.Status.WITHDRAWN:
        return denied("The applicant withdrew this application, so there is nothing to assess.")
    return assessment_not_started(application.challenge)


@rule("assessment.declare")
def can_declare(user, assignment) -> Result:
    """Declaring (the door to reading the application) opens with the assessment, when the call closes."""
    if not user.is_authenticated or assignment.assessor_id != user.pk:
        return denied("Only the assessor this application was assigned to can declare for it.")
    if assignment.has_conflict is not None:
        return denied("You have already made your declaration for this application.")
    return _assessable(assignment)


@rule("assessment.score")
def can_score(user, assignment) -> Result:
    """Scores are for the final submitted version, so scoring waits for the call to close."""
    if not user.is_authenticated or assignment.assessor_id != user.pk:
        return denied("Only the assessor this application was assigned to can score it.")
    allowed, reason = _assessable(assignment)
    if not allowed:
        return allowed, reason
    if assignment.has_conflict is None:
        return denied("Declare any conflict of interest before you score this application.")
    if assignment.has_conflict:
        return denied("You declared a conflict of interest, so you cannot score this application.")
    if assignment.submitted_at is not None:
        return denied("You have already submitted your scores for this application.")
    return ALLOWED


@rule("application_form.move_drafts")
def can_move_drafts(user, form) -> Result:
    """Only programme staff move applicants' drafts onto a newer version of a form."""
    if not user.is_authenticated or not is_programme_staff(user):
        return denied("Only programme staff can move drafts to a new version of a form.")
    return ALLOWED
