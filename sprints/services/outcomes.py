"""The end of the accelerator: the outcome (for impact reporting) and lessons learned (for the public library)."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require
from civtech.permissions import has_permission
from ledger.services import contract_record_follow_on

from ..models import Engagement, Lesson
from ..permissions import is_team_member
from ._common import notify, sponsor_members, team_members, transition, workspace_url
from .engagements import ENGAGEMENT_TRANSITIONS

LESSON_TRANSITIONS = {Lesson.Status.SUBMITTED: {Lesson.Status.PUBLISHED}}


@transaction.atomic
def outcome_record(
    *, engagement: Engagement, by: User, outcome: str, reason: str = "", value: Decimal | None = None
) -> Engagement:
    """Staff record how the accelerator ended; this completes the engagement."""
    require(has_permission("engagement.manage", by, engagement))
    engagement = Engagement.objects.select_for_update().select_related("application__challenge").get(pk=engagement.pk)
    if engagement.stage != Engagement.Stage.ACCELERATOR:
        raise DomainError("Outcomes are recorded at the end of the accelerator.")
    if outcome not in Engagement.Outcome.values:
        raise DomainError("Choose the outcome.", field="outcome")
    if outcome == Engagement.Outcome.NOT_PROGRESSED and not reason.strip():
        raise DomainError("Say why the product was not progressed.", field="reason")
    if value is not None and value < 0:
        raise DomainError("Enter a value of £0 or more.", field="value")
    before = transition(engagement, Engagement.Status.COMPLETED, ENGAGEMENT_TRANSITIONS)
    engagement.outcome, engagement.outcome_reason, engagement.outcome_value = outcome, reason.strip(), value
    engagement.outcome_recorded_at = timezone.now()
    engagement.save(update_fields=["status", "outcome", "outcome_reason", "outcome_value", "outcome_recorded_at"])
    audit(
        engagement,
        "civtech.engagement.outcome",
        by=by,
        data={"before": before, "after": engagement.status, "outcome": outcome, "value": str(value or "")},
    )
    if outcome == Engagement.Outcome.FOLLOW_ON and value:
        _follow_on_contract(engagement, value, by)
    notify(
        team_members(engagement) + sponsor_members(engagement),
        subject=f"Accelerator outcome: {engagement.challenge.title}",
        body=f"The accelerator has ended: {engagement.get_outcome_display()}. Please record your lessons learned.",
        url=workspace_url(engagement, "sprints:lessons"),
    )
    return engagement


def _follow_on_contract(engagement: Engagement, value: Decimal, by: User) -> None:
    """A follow-on with the sponsor is recorded as a contract, to be verified against evidence before it counts
    publicly (impact reporting)."""
    today = timezone.localdate()
    contract_record_follow_on(
        challenge=engagement.challenge, supplier=engagement.organisation, kind="follow_on",
        buyer=engagement.challenge.sponsor, title=f"{engagement.challenge.title}: follow-on contract",
        value=value, starts_on=today, ends_on=today + timedelta(days=365), awarded_on=today,
        evidence="Recorded as the outcome of the accelerator; add the contract notice when verifying.", by=by,
    )  # fmt: skip


@transaction.atomic
def lesson_record(*, engagement: Engagement, by: User, what_worked: str, what_did_not: str, differently: str) -> Lesson:
    """The team's or the sponsor's lessons (one each per engagement), editable until published."""
    require(has_permission("lesson.record", by, engagement))
    answers = {"what_worked": what_worked, "what_did_not": what_did_not, "differently": differently}
    for field, text in answers.items():
        if not text.strip():
            raise DomainError("Answer all three questions.", field=field)
    side = Lesson.Side.TEAM if is_team_member(by, engagement) else Lesson.Side.SPONSOR
    lesson = Lesson.objects.select_for_update().filter(engagement=engagement, side=side).first()
    if lesson is not None and lesson.status == Lesson.Status.PUBLISHED:
        raise DomainError("These lessons are published, so they can no longer change.")
    lesson = lesson or Lesson(engagement=engagement, side=side)
    for field, text in answers.items():
        setattr(lesson, field, text.strip())
    lesson.recorded_by = by
    lesson.save()
    audit(engagement, "civtech.engagement.lesson_record", by=by, data={"side": side})
    return lesson


@transaction.atomic
def lesson_publish(*, lesson: Lesson, by: User) -> Lesson:
    """After review, staff publish lessons to the public library."""
    lesson = Lesson.objects.select_for_update().select_related("engagement").get(pk=lesson.pk)
    require(has_permission("engagement.manage", by, lesson.engagement))
    before = transition(lesson, Lesson.Status.PUBLISHED, LESSON_TRANSITIONS)
    lesson.published_at, lesson.published_by = timezone.now(), by
    lesson.save(update_fields=["status", "published_at", "published_by"])
    audit(lesson.engagement, "civtech.engagement.lesson_publish", by=by, data={"side": lesson.side, "before": before})
    return lesson
