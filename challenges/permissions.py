from django.utils import timezone
from django.utils.dateformat import format as format_date

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership


def _is_sponsor_member(user, challenge) -> bool:
    return Membership.objects.filter(user=user, organisation_id=challenge.sponsor_id).exists()


def questions_not_open_reason(challenge) -> str:
    """Why questions cannot be asked now: not yet open (an upcoming call) is not the same as closed."""
    if challenge.stopped_at is None and timezone.now() < challenge.round.call_opens:
        opens = format_date(timezone.localtime(challenge.round.call_opens), "j F Y")
        return f"Clarification questions open with the call on {opens}."
    return "Clarification questions for this challenge are closed."


@rule("challenge.ask")
def can_ask(user, challenge) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to ask a clarification question.")
    if not challenge.questions_open:
        return denied(questions_not_open_reason(challenge))
    if _is_sponsor_member(user, challenge):
        return denied("You work for the sponsor of this challenge, so you answer questions rather than ask them.")
    return ALLOWED


@rule("challenge.answer")
def can_answer(user, challenge) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to answer clarification questions.")
    if is_programme_staff(user) or _is_sponsor_member(user, challenge):
        return ALLOWED
    return denied("Only the challenge's sponsor or the CivTech team can answer its questions.")


@rule("challenge.follow")
def can_follow(user, challenge) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to follow this challenge.")
    return ALLOWED
