"""Reminders run by Celery beat. A unique ReminderDelivery(kind, object, person) row is written in the same
transaction as the queued email, so each reminder reaches each person exactly once however often beat runs."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User

from ..models import Deliverable, DeliverableVersion, Engagement, Milestone, ReminderDelivery, Sprint
from ._common import notify, sponsor_members, team_members, workspace_url

FEEDBACK_AFTER = timedelta(days=3)  # the sponsor is reminded after a version has waited this long
MILESTONE_NOTICE = timedelta(days=7)  # milestones are flagged this long before they are due


def _remind(kind: str, object_id: int, people: list[User], **message) -> int:
    sent = 0
    for person in people:
        try:
            with transaction.atomic():
                ReminderDelivery.objects.create(kind=kind, object_id=object_id, user=person)
                notify([person], **message)
        except IntegrityError:
            continue  # already reminded
        sent += 1
    return sent


def remind_sprint_updates(today=None) -> int:
    """Teams that have not posted an update for a sprint ending today (or already ended)."""
    today = today or timezone.localdate()
    sprints = (
        Sprint.objects.filter(
            engagement__status=Engagement.Status.ACTIVE, ends_on__lte=today, ends_on__gte=today - timedelta(days=14)
        )
        .filter(updates__isnull=True)
        .select_related("engagement__application__organisation", "engagement__application__challenge")
    )
    sent = 0
    for sprint in sprints:
        engagement = sprint.engagement
        sent += _remind(
            ReminderDelivery.Kind.UPDATE_DUE,
            sprint.pk,
            team_members(engagement),
            subject=f"Sprint {sprint.number} update due: {engagement.challenge.title}",
            body=f"Sprint {sprint.number} ends on {sprint.ends_on:%-d %B %Y}. Post your update for the sponsor: "
            "what you did, what comes next, any blockers and any help you need.",
            url=workspace_url(engagement, "sprints:plan"),
        )
    return sent


def remind_feedback_awaiting(now=None) -> int:
    """Sponsors with a deliverable version waiting for their feedback for a few days."""
    now = now or timezone.now()
    versions = DeliverableVersion.objects.filter(
        deliverable__status=Deliverable.Status.AWAITING_FEEDBACK,
        deliverable__engagement__status=Engagement.Status.ACTIVE,
        feedback__isnull=True,
        submitted_at__lte=now - FEEDBACK_AFTER,
    ).select_related(
        "deliverable__engagement__application__challenge", "deliverable__engagement__application__organisation"
    )
    sent = 0
    for version in versions:
        deliverable = version.deliverable
        if deliverable.versions.filter(number__gt=version.number).exists():
            continue
        engagement = deliverable.engagement
        sent += _remind(
            ReminderDelivery.Kind.FEEDBACK_AWAITING,
            version.pk,
            sponsor_members(engagement),
            subject=f"Feedback awaited: {deliverable.title}",
            body=f"{engagement.organisation} is waiting for your feedback on version {version.number} of "
            f"“{deliverable.title}”. Accept it or ask for changes.",
            url=workspace_url(engagement, "sprints:deliverable", deliverable.pk),
        )
    return sent


def remind_milestones_due(today=None) -> int:
    """Team and sponsor, a week before a milestone whose tranche is not yet due."""
    today = today or timezone.localdate()
    milestones = Milestone.objects.filter(
        engagement__status=Engagement.Status.ACTIVE,
        status=Milestone.Status.PLANNED,
        due_on__lte=today + MILESTONE_NOTICE,
    ).select_related("engagement__application__challenge", "engagement__application__organisation")
    sent = 0
    for milestone in milestones:
        engagement = milestone.engagement
        sent += _remind(
            ReminderDelivery.Kind.MILESTONE_DUE,
            milestone.pk,
            team_members(engagement) + sponsor_members(engagement),
            subject=f"Milestone {milestone.number} due {milestone.due_on:%-d %B}: {engagement.challenge.title}",
            body=f"Milestone {milestone.number} ({milestone.title}) is due on {milestone.due_on:%-d %B %Y}. "
            "Its tranche becomes due when the sponsor accepts its deliverables.",
            url=workspace_url(engagement, "sprints:accelerator"),
        )
    return sent
