"""Messages reach each person once (at once or in a daily digest); reminders are sent exactly once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from civtech.errors import DomainError
from sprints import services
from sprints.models import DeliverableVersion, MessageNotice, ReminderDelivery
from sprints.tasks import send_message_digests, send_reminders
from tests.factories import make_sponsor_member

from .conftest import pdf

pytestmark = pytest.mark.django_db


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_a_message_emails_everyone_else_in_the_workspace_at_once(ws, on_commit):
    with on_commit():
        services.message_post(engagement=ws.engagement, by=ws.team, body="Can we meet on Tuesday?")
    assert recipients() == [ws.sponsor.email]  # not the author, not other workspaces
    assert "Can we meet on Tuesday?" in mail.outbox[0].body
    with pytest.raises(DomainError, match="Write a message"):
        services.message_post(engagement=ws.engagement, by=ws.team, body="  ")


def test_a_daily_digest_collects_messages_once(ws, on_commit):
    services.message_preference_set(user=ws.sponsor, frequency="daily")
    with on_commit():
        services.message_post(engagement=ws.engagement, by=ws.team, body="First")
        services.message_post(engagement=ws.engagement, by=ws.staff, body="Second")
    assert ws.sponsor.email not in recipients()
    with on_commit():
        assert send_message_digests() == 1
    digest = [m for m in mail.outbox if m.to == [ws.sponsor.email]]
    assert len(digest) == 1 and "First" in digest[0].body and "Second" in digest[0].body
    with on_commit():
        assert send_message_digests() == 0  # nothing new: nothing sent
    assert MessageNotice.objects.filter(user=ws.sponsor).count() == 2


def test_a_removed_member_gets_no_more_messages(ws, on_commit):
    ws.sponsor.memberships.all().delete()
    with on_commit():
        services.message_post(engagement=ws.engagement, by=ws.team, body="Hello")
    assert recipients() == []


def test_an_update_reminder_goes_to_the_team_once(ws, on_commit):
    sprint = ws.engagement.sprints.order_by("number").first()
    sprint.ends_on = timezone.localdate()
    sprint.save()
    with on_commit():
        first = send_reminders()
        second = send_reminders()
    assert first["updates"] == 1 and second["updates"] == 0
    assert recipients() == [ws.team.email]
    services.sprint_update_post(sprint=sprint, by=ws.team, done="x", next_steps="y")
    assert ReminderDelivery.objects.count() == 1


def test_the_sponsor_is_reminded_once_about_feedback_waiting_three_days(ws, on_commit):
    colleague = make_sponsor_member(ws.challenge.sponsor)
    version = services.deliverable_submit(
        engagement=ws.engagement, by=ws.team, title="Prototype", description="Try it", files=[pdf()]
    )
    mail.outbox.clear()
    assert services.remind_feedback_awaiting() == 0  # too soon
    DeliverableVersion.objects.filter(pk=version.pk).update(submitted_at=timezone.now() - timedelta(days=4))
    with on_commit():
        assert services.remind_feedback_awaiting() == 2
        assert services.remind_feedback_awaiting() == 0
    assert recipients() == sorted([ws.sponsor.email, colleague.email])


def test_milestones_due_within_a_week_are_reminded_once(ws, on_commit):
    from tests.factories import make_engagement

    accelerator = make_engagement(stage="accelerator", by=ws.staff)
    team = accelerator.application.created_by
    services.milestone_plan(
        engagement=accelerator,
        by=ws.staff,
        title="Beta",
        due_on=accelerator.contract.starts_on + timedelta(days=30),
        tranche_amount=1000,
    )
    assert services.remind_milestones_due() == 0
    accelerator.milestones.update(due_on=timezone.localdate() + timedelta(days=5))
    with on_commit():
        assert services.remind_milestones_due() == 1
        assert services.remind_milestones_due() == 0
    assert recipients() == [team.email]
