"""Demo sprints: the selected teams' engagements taken as far as their round has gone.

- Exploration running now: sprint updates for finished sprints, a prototype awaiting the sponsor's feedback,
  messages and a kick-off meeting.
- Exploration finished: every team has pitched and been scored; the first team went on to the accelerator
  (none, for a challenge stopped after exploration), the others got feedback.
- Accelerator: four milestones with tranches, a prototype accepted after one round of changes (its tranche
  due), a second version awaiting feedback, a risk log.
- Completed rounds: the outcome recorded and both sides' lessons published.

Everything goes through the real services, on the engagements the selection decisions created. An
engagement that already has messages is left alone, so running the demo again changes nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from applications.demo import _applicant
from applications.models import Application
from challenges.models import Criterion
from civtech.demo_data import DemoStep
from organisations.models import Membership, Organisation
from organisations.services import membership_add

from . import services
from .models import Engagement

PITCH_CRITERIA = [("Value to the sponsor and its users", 40), ("Feasibility of the plan", 30), ("The team", 30)]
DECK = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# Each public body's demo product owner has a name of their own (an assessor picker of four "Product Owner"s
# could not be told apart).
PRODUCT_OWNERS = [("Morag", "Fraser"), ("Iain", "MacLeod"), ("Priya", "Shah"), ("Callum", "Reid"),
                  ("Eilidh", "Grant"), ("Tomasz", "Nowak"), ("Ruth", "Campbell")]  # fmt: skip


def _sponsor_user(organisation: Organisation) -> User:
    """A member of the public body: its first member, else a demo product owner who cannot sign in."""
    membership = organisation.memberships.select_related("user").order_by("pk").first()
    if membership is not None:
        return membership.user
    first, last = PRODUCT_OWNERS[organisation.pk % len(PRODUCT_OWNERS)]
    user, created = User.objects.get_or_create(
        email=f"product.owner@{organisation.slug}.example", defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_add(organisation=organisation, user=user, role=Membership.Role.MEMBER, by=None)
    return user


def _pitch_criteria(round_) -> list[Criterion]:
    for n, (name, weight) in enumerate(PITCH_CRITERIA):
        Criterion.objects.get_or_create(
            round=round_, stage=Criterion.Stage.PITCH, name=name, defaults={"weight": weight, "sort_order": 10 + n}
        )
    return list(round_.criteria.filter(stage=Criterion.Stage.PITCH).order_by("sort_order"))


def _work(engagement: Engagement, team: User, sponsor: User, *, today) -> None:
    """Updates for finished sprints, messages, a meeting and a first prototype (feedback left to the caller)."""
    for sprint in engagement.sprints.filter(ends_on__lt=today).order_by("number")[:6]:
        services.sprint_update_post(
            sprint=sprint,
            by=team,
            done=f"Sprint {sprint.number}: user research with front-line staff and a working spike.",
            next_steps="Turn what we learned into the next prototype iteration.",
            blockers="Waiting for a data-sharing agreement." if sprint.number == 2 else "",
            help_needed="Introductions to two more service teams." if sprint.number == 1 else "",
        )
    services.message_post(engagement=engagement, by=sponsor, body="Welcome! Our data team can meet on Thursday.")
    services.message_post(engagement=engagement, by=team, body="Thanks — Thursday works. We'll bring the plan.")
    services.meeting_record(
        engagement=engagement,
        by=sponsor,
        title="Kick-off and design sprint",
        starts_at=timezone.make_aware(timezone.datetime.combine(engagement.starts_on, timezone.datetime.min.time()))
        + timedelta(hours=10),
        notes="Agreed the problem framing, the users to speak to and weekly show-and-tells.",
    )


def _prototype(engagement: Engagement, team: User, title: str, milestone=None):
    return services.deliverable_submit(
        engagement=engagement,
        by=team,
        title=title,
        description="A clickable prototype of the service, tested with five users.",
        demo_url="https://prototype.example/demo",
        repository_url="https://git.example/team/prototype",
        notes="First version.",
        files=[SimpleUploadedFile("prototype-notes.pdf", DECK, content_type="application/pdf")],
        milestone=milestone,
    )


def _explore(engagement: Engagement, staff: User, *, today) -> tuple[User, User]:
    team = _applicant(engagement.application.organisation)
    sponsor = _sponsor_user(engagement.application.challenge.sponsor)
    _work(engagement, team, sponsor, today=today)
    version = _prototype(engagement, team, "Discovery findings and prototype")
    if engagement.ends_on < today:  # a finished stage had its feedback
        services.feedback_give(version=version, by=sponsor, decision="accept", comments="Clear findings, thank you.")
    return team, sponsor


def _pitch_and_decide(challenge, explorers: list[Engagement], staff: User, *, stopped: bool) -> list[Engagement]:
    criteria = _pitch_criteria(challenge.round)
    for n, engagement in enumerate(explorers):
        team = _applicant(engagement.application.organisation)
        deck = SimpleUploadedFile("pitch-deck.pdf", DECK, content_type="application/pdf")
        pitch = services.pitch_submit(
            engagement=engagement, by=team, summary="What we would build in the accelerator, and why.", deck=deck
        )
        for scorer in (staff, _sponsor_user(challenge.sponsor)):
            services.pitch_score(
                pitch=pitch, by=scorer, scores={c.pk: (max(5 - n, 2), "Scored at pitch day.") for c in criteria}
            )
    chosen = [] if stopped else explorers[: challenge.round.accelerator_teams]
    feedback = {e.pk: "A strong pitch; another team's plan fitted the sponsor's systems better." for e in explorers}
    return services.pitch_decide(challenge=challenge, chosen=chosen, feedback=feedback, by=staff)


def _accelerate(engagement: Engagement, staff: User, *, today, completed: bool) -> None:
    team = _applicant(engagement.application.organisation)
    sponsor = _sponsor_user(engagement.application.challenge.sponsor)
    tranche = (engagement.contract_value / 4).quantize(Decimal("0.01"))
    span = (engagement.ends_on - engagement.starts_on) / 4
    milestones = [
        services.milestone_plan(
            engagement=engagement,
            by=staff,
            title=title,
            due_on=engagement.starts_on + span * (n + 1),
            tranche_amount=tranche,
        )
        for n, title in enumerate(["Alpha", "Private beta", "Public beta", "Demo Day and handover"])
    ]
    _work(engagement, team, sponsor, today=today)
    services.risk_log(
        engagement=engagement,
        by=team,
        kind="risk",
        title="Data-sharing agreement delayed",
        severity="high",
        mitigation="Use synthetic data until it is signed.",
    )
    first = _prototype(engagement, team, "Alpha prototype", milestones[0])
    services.feedback_give(version=first, by=sponsor, decision="changes", comments="Add the accessibility fixes.")
    second = services.deliverable_submit(
        engagement=engagement,
        by=team,
        title="Alpha prototype",
        description="Alpha with accessibility fixes.",
        notes="Fixed contrast and keyboard focus.",
        deliverable=first.deliverable,
    )
    services.feedback_give(version=second, by=sponsor, decision="accept", comments="Accepted: tranche 1 is due.")
    beta = _prototype(engagement, team, "Private beta", milestones[1])
    if not completed:
        return  # the beta awaits the sponsor's feedback
    services.feedback_give(version=beta, by=sponsor, decision="accept", comments="Accepted.")
    services.outcome_record(
        engagement=engagement, by=staff, outcome=Engagement.Outcome.FOLLOW_ON, value=Decimal("480000")
    )
    for author in (team, sponsor):
        lesson = services.lesson_record(
            engagement=engagement,
            by=author,
            what_worked="Weekly show-and-tells with front-line staff kept the work grounded.",
            what_did_not="Waiting for data access cost the first month.",
            differently="Sign the data-sharing agreement before the accelerator starts.",
        )
        services.lesson_publish(lesson=lesson, by=staff)


def seed(*, log) -> None:
    today = timezone.localdate()
    staff = User.objects.get(email="staff@civtech.example")
    selected = Application.objects.filter(status=Application.Status.SELECTED).select_related("challenge__round")
    for application in selected:
        services.engagement_create(application=application, stage=Engagement.Stage.EXPLORATION, by=staff)
    fresh = (
        Engagement.objects.filter(stage=Engagement.Stage.EXPLORATION, status=Engagement.Status.ACTIVE)
        .exclude(messages__isnull=False)
        .select_related("application__challenge__round", "application__organisation")
        .order_by("application__challenge_id", "pk")
    )
    by_challenge: dict[int, list[Engagement]] = {}
    for engagement in fresh:
        by_challenge.setdefault(engagement.application.challenge_id, []).append(engagement)
    accelerated = 0
    for explorers in by_challenge.values():
        challenge = explorers[0].application.challenge
        for engagement in explorers:
            _explore(engagement, staff, today=today)
        round_ = challenge.round
        if timezone.localdate(round_.pitch_at) > today:
            continue  # still exploring
        stopped = challenge.stopped_at is not None
        for engagement in _pitch_and_decide(challenge, explorers, staff, stopped=stopped):
            _accelerate(engagement, staff, today=today, completed=timezone.localdate(round_.accelerator_end) < today)
            accelerated += 1
    log(f"sprints: {sum(map(len, by_challenge.values()))} exploration engagements worked, {accelerated} accelerated")


DEMO_STEPS = [DemoStep(60, lambda run: seed(log=run.log))]
