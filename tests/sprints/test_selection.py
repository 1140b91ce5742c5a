"""The decision that selects teams for exploration opens each selected team's workspace."""

from decimal import Decimal

import pytest
from django.core import mail

from applications.models import Application
from applications.services.assessment import criteria_for
from applications.services.decisions import interview_invite, moderation_record, selection_decide, shortlist_decide
from sprints.models import Engagement
from tests.applications.evaluation import closed_challenge_with, score
from tests.factories import make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db


def moderate(application, staff, stage):
    score(application, [3] * len(criteria_for(application, stage)), by_staff=staff, stage=stage)
    moderation_record(
        application=application, stage=stage, score=Decimal("60"), rationale="Agreed.", feedback="Thanks.", by=staff
    )


def test_selected_teams_get_an_exploration_workspace_and_the_sponsor_is_told(on_commit):
    staff = staff_user()
    challenge, (a, b, c) = closed_challenge_with(3)
    sponsor = make_sponsor_member(challenge.sponsor)
    for application in (a, b, c):
        moderate(application, staff, "application")
    shortlist_decide(challenge=challenge, chosen=[a.pk, b.pk], by=staff)
    a, b = (Application.objects.get(pk=x.pk) for x in (a, b))
    for application in (a, b):
        interview_invite(application=application, at=challenge.round.interviews_start, details="Online", by=staff)
        moderate(application, staff, "interview")
    mail.outbox.clear()
    with on_commit():
        selection_decide(challenge=challenge, chosen=[a.pk], by=staff)
    engagement = Engagement.objects.get()
    assert (engagement.application_id, engagement.stage, engagement.status) == (a.pk, "exploration", "active")
    assert engagement.contract_value == challenge.round.exploration_payment
    assert engagement.sprints.exists()
    assert any(m.to == [sponsor.email] and "workspace is ready" in m.body for m in mail.outbox)
