"""Who may see and change money and impact records.

Impact returns belong to the company that reports them: its members see and submit them, programme staff see
and verify them, nobody else sees them (sponsors included: a company's turnover and investment are its own).
Benefits belong to the sponsoring public body: its members record and see them, staff verify them. Membership
is read on every question, never cached, so someone who leaves an organisation loses access at once.
"""

from django.utils import timezone

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _member(user, organisation_id) -> bool:
    return _signed_in(user) and Membership.objects.filter(user=user, organisation_id=organisation_id).exists()


# --- Impact returns (obj: ImpactReturn) --------------------------------------------------------------
@rule("impact_return.view")
def can_view_return(user, impact_return) -> Result:
    if not _signed_in(user):
        return denied("Sign in to see this impact return.")
    if is_programme_staff(user) or _member(user, impact_return.organisation_id):
        return ALLOWED
    return denied("You can only see your own organisation's impact returns.")


@rule("impact_return.submit")
def can_submit_return(user, impact_return) -> Result:
    if not _member(user, impact_return.organisation_id):
        return denied("Only members of the company can submit its impact return.")
    if impact_return.verified_at is not None:
        return denied("This return has been verified. To change a figure, correct it and say why.")
    if timezone.localdate() <= impact_return.period_end:
        return denied(f"You can submit this return once its period ends on {impact_return.period_end:%-d %B %Y}.")
    return ALLOWED


@rule("impact_return.correct")
def can_correct_return(user, impact_return) -> Result:
    """The company corrects its own figures; staff may too (say, after a call with the company)."""
    if not (is_programme_staff(user) or _member(user, impact_return.organisation_id)):
        return denied("Only members of the company or the CivTech team can correct this impact return.")
    if impact_return.submitted_at is None:
        return denied("This return has not been submitted yet, so there is nothing to correct.")
    return ALLOWED


@rule("impact_return.verify")
def can_verify_return(user, impact_return) -> Result:
    if not is_programme_staff(user):
        return denied("Only the CivTech team verifies impact returns.")
    if impact_return.submitted_at is None:
        return denied("This return has not been submitted yet.")
    if impact_return.verified_at is not None:
        return denied("This return is already verified.")
    return ALLOWED


# --- Benefits (record: a ChallengePage; the others: a Benefit) ------------------------------------
@rule("benefit.record")
def can_record_benefit(user, challenge) -> Result:
    if not _signed_in(user):
        return denied("Sign in to record a benefit.")
    if is_programme_staff(user) or _member(user, challenge.sponsor_id):
        return ALLOWED
    return denied("Only members of the challenge's sponsor can record its benefits.")


@rule("benefit.view")
def can_view_benefit(user, benefit) -> Result:
    if not _signed_in(user):
        return denied("Sign in to see this benefit.")
    if is_programme_staff(user) or _member(user, benefit.sponsor_id):
        return ALLOWED
    return denied("You can only see benefits your own organisation recorded.")


@rule("benefit.edit")
def can_edit_benefit(user, benefit) -> Result:
    if not _signed_in(user):
        return denied("Sign in to change this benefit.")
    if is_programme_staff(user) or _member(user, benefit.sponsor_id):
        return ALLOWED
    return denied("Only members of the sponsor can change its benefits.")


@rule("benefit.verify")
def can_verify_benefit(user, benefit) -> Result:
    """Verifying and rejecting alike: staff, while the benefit awaits verification."""
    if not is_programme_staff(user):
        return denied("Only the CivTech team verifies benefits.")
    if benefit.status != benefit.Status.SUBMITTED:
        return denied(f"This benefit is {benefit.get_status_display().lower()}, so there is nothing to decide.")
    return ALLOWED
