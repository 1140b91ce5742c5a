"""Who may do what in a workspace. Membership is read from the database on every question (never cached),
so a member removed from the company or the public body loses access at once.

Every rule takes an Engagement (load it with selectors.engagement_detail so the challenge is at hand).
"""

from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule
from organisations.models import Membership


def is_team_member(user, engagement) -> bool:
    return Membership.objects.filter(user=user, organisation_id=engagement.application.organisation_id).exists()


def is_sponsor_member(user, engagement) -> bool:
    return Membership.objects.filter(user=user, organisation_id=engagement.application.challenge.sponsor_id).exists()


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _inactive(engagement) -> Result | None:
    if not engagement.is_active:
        return denied(f"This engagement is {engagement.get_status_display().lower()}, so it can no longer change.")
    return None


@rule("engagement.view")
def can_view(user, engagement) -> Result:
    """The team's company members, the challenge's sponsor members and programme staff."""
    if not _signed_in(user):
        return denied("Sign in to see this workspace.")
    if is_programme_staff(user) or is_team_member(user, engagement) or is_sponsor_member(user, engagement):
        return ALLOWED
    return denied("Only the team, the challenge's sponsor and the CivTech team can see this workspace.")


@rule("engagement.collaborate")
def can_collaborate(user, engagement) -> Result:
    """Post messages, record meetings, share documents and log risks: anyone in the workspace, while active."""
    allowed, reason = can_view(user, engagement)
    if not allowed:
        return allowed, reason
    return _inactive(engagement) or ALLOWED


@rule("engagement.report")
def can_report(user, engagement) -> Result:
    """Sprint updates, deliverables and the pitch come from the team."""
    if not _signed_in(user) or not is_team_member(user, engagement):
        return denied("Only members of the team can do this.")
    return _inactive(engagement) or ALLOWED


@rule("engagement.review")
def can_review(user, engagement) -> Result:
    """Accepting deliverables or requesting changes is the sponsor's call."""
    if not _signed_in(user) or not is_sponsor_member(user, engagement):
        return denied("Only the challenge's sponsor can accept deliverables or request changes.")
    return _inactive(engagement) or ALLOWED


@rule("engagement.plan")
def can_plan(user, engagement) -> Result:
    """The sprint plan and milestones are set by the sponsor and programme staff."""
    if not _signed_in(user) or not (is_programme_staff(user) or is_sponsor_member(user, engagement)):
        return denied("Only the sponsor and the CivTech team can change the plan.")
    return _inactive(engagement) or ALLOWED


@rule("engagement.manage")
def can_manage(user, engagement) -> Result:
    """Creating engagements, RAG status, pitch decisions, outcomes, payments and publishing lessons."""
    if is_programme_staff(user):
        return ALLOWED
    return denied("Only the CivTech team can do this.")


@rule("pitch.score")
def can_score_pitch(user, pitch) -> Result:
    engagement = pitch.engagement
    if not _signed_in(user) or not (is_programme_staff(user) or is_sponsor_member(user, engagement)):
        return denied("Only the sponsor and the CivTech team score pitches.")
    if pitch.progressed is not None:
        return denied("The pitches for this challenge have been decided.")
    if pitch.scores.filter(scorer=user).exists():
        return denied("You have already scored this pitch.")
    return ALLOWED


@rule("lesson.record")
def can_record_lesson(user, engagement) -> Result:
    if _signed_in(user) and (is_team_member(user, engagement) or is_sponsor_member(user, engagement)):
        return ALLOWED
    return denied("Only the team and the sponsor record their lessons.")
