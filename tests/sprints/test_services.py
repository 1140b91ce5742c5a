"""Engagements and their work: every transition, its refusals and its audit entry."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from applications.models import Application
from civtech.errors import DomainError
from ledger.models import Contract
from sprints import services
from sprints.models import Deliverable, Engagement, Feedback, Lesson, Milestone, Risk
from tests.factories import add_pitch_criteria, make_engagement, make_selected_application, staff_user

from .conftest import pdf

pytestmark = pytest.mark.django_db


def logged(engagement, action):
    return ModelLogEntry.objects.filter(object_id=str(engagement.pk), action=action)


# --- Engagements ---------------------------------------------------------------------------------
def test_selecting_a_team_starts_its_exploration_with_the_rounds_dates_and_payment(ws):
    engagement, round_ = ws.engagement, ws.challenge.round
    assert engagement.stage == Engagement.Stage.EXPLORATION and engagement.status == Engagement.Status.ACTIVE
    assert engagement.starts_on == timezone.localdate(round_.exploration_start)
    assert engagement.ends_on == timezone.localdate(round_.exploration_end)
    assert engagement.contract_value == round_.exploration_payment == Decimal("5000")
    sprints = list(engagement.sprints.order_by("number"))
    assert sprints[0].starts_on == engagement.starts_on and sprints[-1].ends_on == engagement.ends_on
    assert sprints[0].goal.startswith("Design sprint")
    assert logged(engagement, "civtech.engagement.create").get().data["stage"] == "exploration"


def test_a_challenge_payment_overrides_the_rounds_and_creation_is_idempotent(ws):
    application = make_selected_application(challenge=ws.challenge)
    type(ws.challenge).objects.filter(pk=ws.challenge.pk).update(exploration_payment=Decimal("2500"))
    application.challenge.refresh_from_db()
    engagement = services.engagement_create(application=application, stage="exploration", by=ws.staff)
    assert engagement.contract_value == Decimal("2500")
    again = services.engagement_create(application=application, stage="exploration", by=ws.staff)
    assert again.pk == engagement.pk and logged(engagement, "civtech.engagement.create").count() == 1


def test_the_round_limits_how_many_teams_explore(ws):
    round_ = ws.challenge.round
    round_.exploration_teams = 1
    round_.save()
    with pytest.raises(DomainError, match="takes 1 team"):
        make_engagement(challenge=ws.challenge, by=ws.staff)


def test_only_selected_teams_and_only_staff_start_an_engagement(ws):
    application = make_selected_application(challenge=ws.challenge)
    with pytest.raises(PermissionDenied, match="Only the CivTech team"):
        services.engagement_create(application=application, stage="exploration", by=ws.sponsor)
    Application.objects.filter(pk=application.pk).update(status=Application.Status.INTERVIEW)
    with pytest.raises(DomainError, match="Only selected teams"):
        services.engagement_create(application=application, stage="exploration", by=ws.staff)


def test_the_accelerator_needs_a_chosen_pitch_and_stays_within_the_challenge_maximum(ws):
    with pytest.raises(DomainError, match="whose pitch was chosen"):
        services.engagement_create(application=ws.engagement.application, stage="accelerator", by=ws.staff)
    accelerator = make_engagement(stage="accelerator", by=ws.staff)
    assert accelerator.contract_value == Decimal("350000")
    assert accelerator.starts_on == timezone.localdate(accelerator.challenge.round.accelerator_start)


def test_rag_status_needs_a_reason_unless_green_and_is_audited(ws):
    with pytest.raises(DomainError, match="Say why"):
        services.engagement_set_rag(engagement=ws.engagement, rag="amber", note=" ", by=ws.sponsor)
    with pytest.raises(PermissionDenied):
        services.engagement_set_rag(engagement=ws.engagement, rag="red", note="Late", by=ws.team)
    services.engagement_set_rag(engagement=ws.engagement, rag="amber", note="Data access delayed", by=ws.sponsor)
    assert logged(ws.engagement, "civtech.engagement.rag").get().data == {
        "before": "green",
        "after": "amber",
        "note": "Data access delayed",
    }


def test_ending_an_engagement_is_final_and_makes_it_read_only(ws):
    with pytest.raises(DomainError, match="Say why"):
        services.engagement_end(engagement=ws.engagement, reason="", by=ws.staff)
    services.engagement_end(engagement=ws.engagement, reason="The team withdrew.", by=ws.staff)
    ws.engagement.refresh_from_db()
    assert logged(ws.engagement, "civtech.engagement.end").get().data == {"before": "active", "after": "ended"}
    with pytest.raises(DomainError, match="ended early, so it cannot become ended early"):
        services.engagement_end(engagement=ws.engagement, reason="Again.", by=ws.staff)
    sprint = ws.engagement.sprints.first()
    with pytest.raises(PermissionDenied, match="ended early, so it can no longer change"):
        services.sprint_update_post(sprint=sprint, by=ws.team, done="x", next_steps="y")


# --- Sprints and updates -------------------------------------------------------------------------
def test_sprints_are_planned_within_the_stage_by_the_sponsor(ws):
    e = ws.engagement
    with pytest.raises(DomainError, match="within the stage"):
        services.sprint_plan(
            engagement=e, by=ws.sponsor, starts_on=e.starts_on - timedelta(days=1), ends_on=e.starts_on, goal=""
        )
    with pytest.raises(DomainError, match="end on or after"):
        services.sprint_plan(engagement=e, by=ws.sponsor, starts_on=e.ends_on, ends_on=e.starts_on, goal="")
    with pytest.raises(PermissionDenied, match="sponsor and the CivTech team"):
        services.sprint_plan(engagement=e, by=ws.team, starts_on=e.starts_on, ends_on=e.ends_on, goal="")
    count = e.sprints.count()
    sprint = services.sprint_plan(engagement=e, by=ws.sponsor, starts_on=e.starts_on, ends_on=e.ends_on, goal="Pilot")
    assert sprint.number == count + 1
    assert logged(e, "civtech.sprint.plan").get().data["goal"] == "Pilot"


def test_the_team_posts_updates_and_the_sponsor_is_told(ws, on_commit):
    sprint = ws.engagement.sprints.first()
    with pytest.raises(PermissionDenied, match="Only members of the team"):
        services.sprint_update_post(sprint=sprint, by=ws.sponsor, done="x", next_steps="y")
    with pytest.raises(DomainError, match="what you will do next"):
        services.sprint_update_post(sprint=sprint, by=ws.team, done="Interviews", next_steps="  ")
    with on_commit():
        services.sprint_update_post(
            sprint=sprint,
            by=ws.team,
            done="Interviews",
            next_steps="Prototype",
            help_needed="Access to the booking data",
        )
    assert [m.to for m in mail.outbox] == [[ws.sponsor.email]]
    assert "Access to the booking data" in mail.outbox[0].body
    assert logged(ws.engagement, "civtech.sprint.update").count() == 1


# --- Deliverables --------------------------------------------------------------------------------
def submit(ws, deliverable=None, **fields):
    values = {"title": "Booking prototype", "description": "A clickable prototype.", **fields}
    return services.deliverable_submit(engagement=ws.engagement, by=ws.team, deliverable=deliverable, **values)


def test_every_version_is_kept_through_changes_and_acceptance(ws, on_commit):
    with on_commit():
        v1 = submit(ws, demo_url="https://demo.example/1", files=[pdf()])
    deliverable = v1.deliverable
    assert deliverable.status == Deliverable.Status.AWAITING_FEEDBACK
    assert mail.outbox[-1].to == [ws.sponsor.email]
    assert v1.files.get().name == "prototype.pdf"
    services.feedback_give(version=v1, by=ws.sponsor, decision="changes", comments="Add the rebooking flow.")
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.CHANGES_REQUESTED
    v2 = submit(ws, deliverable=deliverable, demo_url="https://demo.example/2", notes="Rebooking added.")
    assert v2.number == 2
    with pytest.raises(DomainError, match="latest version"):
        services.feedback_give(version=v1, by=ws.sponsor, decision="accept", comments="ok")
    services.feedback_give(version=v2, by=ws.sponsor, decision="accept", comments="Great.")
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED
    assert list(deliverable.versions.order_by("number").values_list("demo_url", flat=True)) == [
        "https://demo.example/1",
        "https://demo.example/2",
    ]
    assert [f.decision for f in Feedback.objects.order_by("pk")] == ["changes", "accept"]
    actions = list(
        logged(ws.engagement, "civtech.engagement.deliverable_submit").values_list("data", flat=True).order_by("pk")
    )
    assert [a["version"] for a in actions] == [1, 2]
    assert logged(ws.engagement, "civtech.engagement.deliverable_request_changes").get().data["after"] == "changes"
    assert logged(ws.engagement, "civtech.engagement.deliverable_accept").get().data == {
        "deliverable": deliverable.pk,
        "version": 2,
        "before": "awaiting",
        "after": "accepted",
    }
    with pytest.raises(DomainError, match="has been accepted"):
        submit(ws, deliverable=deliverable)


def test_feedback_is_the_sponsors_once_per_version_and_needs_comments(ws):
    v1 = submit(ws)
    for person in (ws.team, ws.staff, ws.other_sponsor):
        with pytest.raises(PermissionDenied, match="Only the challenge's sponsor"):
            services.feedback_give(version=v1, by=person, decision="accept", comments="ok")
    with pytest.raises(DomainError, match="Give the team your feedback"):
        services.feedback_give(version=v1, by=ws.sponsor, decision="accept", comments=" ")
    with pytest.raises(DomainError, match="accept or request changes"):
        services.feedback_give(version=v1, by=ws.sponsor, decision="maybe", comments="hmm")
    services.feedback_give(version=v1, by=ws.sponsor, decision="changes", comments="More")
    with pytest.raises(DomainError, match="already been given"):
        services.feedback_give(version=v1, by=ws.sponsor, decision="accept", comments="ok")


def test_only_the_team_submits_and_bad_files_are_refused(ws):
    with pytest.raises(PermissionDenied, match="Only members of the team"):
        services.deliverable_submit(engagement=ws.engagement, by=ws.sponsor, title="x", description="y")
    with pytest.raises(DomainError, match="not really a PDF"):
        submit(ws, files=[pdf(content=b"MZ not a pdf")])
    with pytest.raises(DomainError, match="Describe"):
        submit(ws, description="")
    assert not Deliverable.objects.exists()  # the failed submissions left nothing behind


# --- Accelerator: milestones, tranches, risks, outcome, lessons ----------------------------------
@pytest.fixture
def acc(ws):
    """The same people, with the team's exploration pitch chosen for the accelerator."""
    services.pitch_submit(engagement=ws.engagement, by=ws.team, summary="Plan", deck=pdf("deck.pdf"))
    ws.engagement = services.pitch_decide(challenge=ws.challenge, chosen=[ws.engagement], feedback={}, by=ws.staff)[0]
    return ws


def test_accepting_a_milestones_deliverables_makes_its_tranche_due_then_paid(acc, on_commit):
    e = acc.engagement
    due = e.contract.starts_on + timedelta(days=30)  # no tranche falls due before the contract starts
    with pytest.raises(DomainError, match="more than the contracted"):
        services.milestone_plan(engagement=e, by=acc.sponsor, title="All", due_on=due, tranche_amount=Decimal("400000"))
    milestone = services.milestone_plan(
        engagement=e, by=acc.staff, title="Alpha", due_on=due, tranche_amount=Decimal("87500")
    )
    # the tranche is a payment on the accelerator contract (the ledger), planned with the milestone
    assert (milestone.payment.amount, milestone.payment.status) == (Decimal("87500"), "planned")
    assert milestone.payment.contract == e.contract and e.contract.kind == "accelerator"
    first = submit(acc, milestone=milestone)
    second = submit(acc, title="Research report", milestone=milestone)
    services.feedback_give(version=first, by=acc.sponsor, decision="accept", comments="Good")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED  # one deliverable still open
    with on_commit():
        services.feedback_give(version=second, by=acc.sponsor, decision="accept", comments="Good")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TRANCHE_DUE and milestone.tranche_due_at
    milestone.payment.refresh_from_db()
    assert milestone.payment.status == "due"
    assert acc.staff.email in [m.to[0] for m in mail.outbox]
    assert logged(e, "civtech.engagement.tranche_due").get().data == {"milestone": 1, "amount": "87500.00"}
    with pytest.raises(PermissionDenied):
        services.milestone_mark_paid(milestone=milestone, by=acc.sponsor)
    # The round's dates put the accelerator's start ahead; a tranche is paid only once the contract has begun.
    Contract.objects.filter(pk=e.contract.pk).update(starts_on=timezone.localdate())
    services.milestone_mark_paid(milestone=milestone, by=acc.staff)
    assert logged(e, "civtech.engagement.tranche_paid").get().data["after"] == "paid"
    milestone.payment.refresh_from_db()
    assert (milestone.payment.status, milestone.payment.paid_on) == ("paid", timezone.localdate())
    with pytest.raises(DomainError, match="tranche paid, so it cannot become tranche paid"):
        services.milestone_mark_paid(milestone=milestone, by=acc.staff)


def test_a_milestone_needs_its_engagements_contract_and_is_not_planned_without_one(acc):
    """The tranche is paid from the engagement's contract: an engagement left without one (its link cleared by hand)
    gets a clear refusal, and no milestone is left behind."""
    e = acc.engagement
    Engagement.objects.filter(pk=e.pk).update(contract=None)
    e.refresh_from_db()
    due = timezone.localdate() + timedelta(days=400)
    with pytest.raises(DomainError, match=r"^This engagement has no contract to pay a tranche from\.$"):
        services.milestone_plan(engagement=e, by=acc.staff, title="Alpha", due_on=due, tranche_amount=Decimal("10"))
    assert not Milestone.objects.filter(engagement=e).exists()


def test_milestones_belong_to_the_accelerator(ws):
    with pytest.raises(DomainError, match="accelerator stage"):
        services.milestone_plan(
            engagement=ws.engagement, by=ws.sponsor, title="M", due_on=timezone.localdate(), tranche_amount=Decimal("1")
        )


def test_risks_are_logged_and_closed_once(acc):
    risk = services.risk_log(engagement=acc.engagement, by=acc.team, kind="issue", title="API down", severity="high")
    with pytest.raises(PermissionDenied):
        services.risk_log(engagement=acc.engagement, by=acc.other_team, kind="risk", title="x", severity="low")
    services.risk_close(risk=risk, by=acc.sponsor)
    assert Risk.objects.get().status == Risk.Status.CLOSED
    with pytest.raises(DomainError):
        services.risk_close(risk=risk, by=acc.sponsor)
    assert logged(acc.engagement, "civtech.engagement.risk_close").count() == 1


def test_the_outcome_completes_the_accelerator(acc, on_commit):
    e = acc.engagement
    with pytest.raises(PermissionDenied):
        services.outcome_record(engagement=e, by=acc.sponsor, outcome="follow_on")
    with pytest.raises(DomainError, match="Say why"):
        services.outcome_record(engagement=e, by=acc.staff, outcome="not_progressed")
    with on_commit():
        services.outcome_record(engagement=e, by=acc.staff, outcome="follow_on", value=Decimal("1200000"))
    e.refresh_from_db()
    assert (e.status, e.outcome, e.outcome_value) == ("completed", "follow_on", Decimal("1200000"))
    assert {m.to[0] for m in mail.outbox} >= {acc.team.email, acc.sponsor.email}
    assert logged(e, "civtech.engagement.outcome").get().data["after"] == "completed"
    # the follow-on is recorded as a contract with the sponsor, counted publicly once staff verify it
    follow_on = e.application.challenge.contracts.get(kind="follow_on")
    assert (follow_on.buyer, follow_on.supplier, follow_on.current_value) == (
        e.application.challenge.sponsor, e.application.organisation, Decimal("1200000")
    )  # fmt: skip
    assert follow_on.verified_at is None
    with pytest.raises(DomainError, match="completed, so it cannot become completed"):
        services.outcome_record(engagement=e, by=acc.staff, outcome="further")


def test_lessons_from_each_side_are_published_by_staff_after_review(acc, client):
    e = acc.engagement
    answers = {"what_worked": "Weekly demos", "what_did_not": "Slow data access", "differently": "Data first"}
    team_lesson = services.lesson_record(engagement=e, by=acc.team, **answers)
    sponsor_lesson = services.lesson_record(engagement=e, by=acc.sponsor, **answers)
    assert (team_lesson.side, sponsor_lesson.side) == (Lesson.Side.TEAM, Lesson.Side.SPONSOR)
    with pytest.raises(PermissionDenied):
        services.lesson_record(engagement=e, by=acc.stranger, **answers)
    with pytest.raises(PermissionDenied):
        services.lesson_publish(lesson=team_lesson, by=acc.sponsor)
    assert "Weekly demos" not in client.get("/lessons/").content.decode()
    services.lesson_publish(lesson=team_lesson, by=acc.staff)
    library = client.get(f"/lessons/?challenge={acc.challenge.pk}").content.decode()
    assert "Weekly demos" in library and acc.challenge.title in library
    with pytest.raises(DomainError, match="published"):
        services.lesson_record(engagement=e, by=acc.team, **answers)
    assert logged(e, "civtech.engagement.lesson_publish").get().data["side"] == "team"


# --- Pitches -------------------------------------------------------------------------------------
def test_pitches_are_scored_once_on_the_rounds_criteria_and_one_team_goes_on(ws, on_commit):
    second_team = make_engagement(challenge=ws.challenge, by=ws.staff)
    with pytest.raises(DomainError, match="Upload your pitch deck"):
        services.pitch_submit(engagement=ws.engagement, by=ws.team, summary="Plan")
    pitch = services.pitch_submit(engagement=ws.engagement, by=ws.team, summary="Plan", deck=pdf("deck.pdf"))
    with pytest.raises(DomainError, match="no pitch criteria"):
        services.pitch_score(pitch=pitch, by=ws.sponsor, scores={})
    criteria = add_pitch_criteria(ws.challenge.round)
    with pytest.raises(PermissionDenied, match="score pitches"):
        services.pitch_score(pitch=pitch, by=ws.team, scores={})
    with pytest.raises(DomainError, match="go from 0 to 5"):
        services.pitch_score(pitch=pitch, by=ws.sponsor, scores={c.pk: (9, "") for c in criteria})
    services.pitch_score(pitch=pitch, by=ws.sponsor, scores={c.pk: (4, "Strong") for c in criteria})
    with pytest.raises(PermissionDenied, match="already scored"):
        services.pitch_score(pitch=pitch, by=ws.sponsor, scores={c.pk: (4, "") for c in criteria})
    services.pitch_score(pitch=pitch, by=staff_user(), scores={c.pk: (3, "") for c in criteria})
    assert pitch.scores.count() == 4

    with pytest.raises(DomainError, match="has not pitched"):
        services.pitch_decide(challenge=ws.challenge, chosen=[second_team], feedback={}, by=ws.staff)
    with pytest.raises(DomainError, match="Give feedback to every team"):
        services.pitch_decide(challenge=ws.challenge, chosen=[ws.engagement], feedback={}, by=ws.staff)
    with on_commit():
        created = services.pitch_decide(
            challenge=ws.challenge, chosen=[ws.engagement], feedback={second_team.pk: "Pitch next time."}, by=ws.staff
        )
    assert [e.stage for e in created] == ["accelerator"]
    pitch.refresh_from_db()
    assert pitch.progressed is True
    second_team.refresh_from_db()
    assert second_team.status == Engagement.Status.COMPLETED
    told = {m.to[0]: m.body for m in mail.outbox}
    assert "Pitch next time." in told[second_team.application.created_by.email]
    assert "goes on to the accelerator" in told[ws.team.email]
    assert logged(second_team, "civtech.engagement.pitch_decide").get().data["progressed"] is False
    with pytest.raises(DomainError, match="No team is exploring"):
        services.pitch_decide(challenge=ws.challenge, chosen=[], feedback={}, by=ws.staff)


def test_the_round_decides_how_many_go_to_the_accelerator(ws):
    second = make_engagement(challenge=ws.challenge, by=ws.staff)
    for engagement in (ws.engagement, second):
        team = engagement.application.created_by
        services.pitch_submit(engagement=engagement, by=team, summary="Plan", deck=pdf("deck.pdf"))
    with pytest.raises(DomainError, match="takes 1 team"):
        services.pitch_decide(challenge=ws.challenge, chosen=[ws.engagement, second], feedback={}, by=ws.staff)
    round_ = ws.challenge.round
    round_.accelerator_teams = 2
    round_.save()
    created = services.pitch_decide(challenge=ws.challenge, chosen=[ws.engagement, second], feedback={}, by=ws.staff)
    assert len(created) == 2
