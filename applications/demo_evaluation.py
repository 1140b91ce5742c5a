"""Demo evaluation: applications to challenges whose call has closed, taken as far as their round has gone.

- A round being assessed now (call closed, exploration not started): every application scored by a panel and
  moderated; its first challenge shortlisted with interviews booked; its last challenge undecided, with the
  demo assessor's own assessments left in their queue, so staff and the assessor can try the pages.
- Rounds in exploration, the accelerator or completed: the whole way through — scores, moderation, shortlist,
  interviews, interview scores and the teams selected for exploration, with feedback for everyone else.

Everything goes through the real services. Submission is refused after the deadline, so while a round's
applications are submitted its dates are moved to "open now" and then put back, and the submission times are
set to the morning before the real deadline (the audit entries keep the time the demo was seeded).
"""

import zlib
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_grant_role
from challenges.models import ChallengePage, Round
from civtech.demo_data import DemoRun, DemoStep

from .demo import ALL_DECLARED, _applicant, _demo_companies, answers_for
from .models import Application, ApplicationVersion
from .services import application_save, application_start, application_submit, assessment, decisions
from .services.moderation import moderation_board

PANEL = [("panel.one@civtech.example", "Morag", "Fraser"), ("panel.two@civtech.example", "Ravi", "Sharma")]
DEMO_ASSESSOR = "assessor@civtech.example"
DEMO_SPONSOR = "sponsor@transport.example"
# Realistic scores: an application's overall merit, a criterion a point better or worse than that, and each
# assessor a point up or down now and then.
MERIT = [2, 3, 3, 4, 4, 5]
NUDGE = [-1, 0, 0, 1]
NOISE = [-1, 0, 0, 0, 1]
COMMENTS = {
    1: "little evidence offered",
    2: "some evidence, with clear gaps",
    3: "adequate",
    4: "strong",
    5: "excellent and well evidenced",
}
# The panel members an outlying score may come from, per stage (a sponsor on the panel never gives one).
PANEL_SIZE = {"application": 3, "interview": 2}


def _panel() -> list[User]:
    """The demo assessor (who can sign in) and two panel members who cannot."""
    people = []
    for email, first, last in PANEL:
        user, created = User.objects.get_or_create(email=email, defaults={"first_name": first, "last_name": last})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user_grant_role(user=user, role=Role.ASSESSOR)
        people.append(user)
    return [User.objects.get(email=DEMO_ASSESSOR), *people]


@contextmanager
def _call_reopened(round_: Round):
    """Move the round's dates to "open now" while demo applications are submitted, then put them back."""
    saved = {name: getattr(round_, name) for name in Round.SEQUENCE}
    now = timezone.now()
    moved = {name: now + timedelta(days=1) for name in Round.SEQUENCE}
    moved.update(call_opens=now - timedelta(hours=1), questions_close=now, call_closes=now + timedelta(hours=1))
    stopped = dict(ChallengePage.objects.filter(round=round_).values_list("pk", "stopped_at"))
    Round.objects.filter(pk=round_.pk).update(**moved)
    ChallengePage.objects.filter(round=round_).update(stopped_at=None)
    try:
        yield
    finally:
        Round.objects.filter(pk=round_.pk).update(**saved)
        for pk, stopped_at in stopped.items():
            ChallengePage.objects.filter(pk=pk).update(stopped_at=stopped_at)


def _submit_all(challenges: list[ChallengePage], companies, round_: Round) -> dict[int, list[Application]]:
    submitted = {}
    with _call_reopened(round_):
        for i, challenge in enumerate(challenges):
            challenge = ChallengePage.objects.select_related("round").get(pk=challenge.pk)
            submitted[challenge.pk] = []
            for j, organisation in enumerate(companies):
                if (i + j) % 4 == 3:
                    continue  # not every company applies to every challenge
                user = _applicant(organisation)
                application = application_start(challenge=challenge, organisation=organisation, by=user)
                application_save(
                    application=application, by=user, answers=answers_for(organisation, challenge, complete=True)
                )
                application_submit(application_id=application.pk, by=user, declarations=ALL_DECLARED)
                submitted[challenge.pk].append(application)
    for applications in submitted.values():
        for application in applications:
            application.refresh_from_db()
    on_time = round_.call_closes - timedelta(hours=3)
    ids = [a.pk for apps in submitted.values() for a in apps]
    Application.objects.filter(pk__in=ids).update(submitted_at=on_time)
    ApplicationVersion.objects.filter(application_id__in=ids).update(submitted_at=on_time)
    return submitted


def _demo_number(*parts) -> int:
    """A fixed pseudo-random number for the parts: the same on every run and every machine (unlike `hash()`)."""
    return zlib.crc32(":".join(map(str, parts)).encode())


def _shared_view(application: Application, stage: str, criteria) -> dict[int, int]:
    """What a panel broadly agrees an application deserves on each criterion (1 to 5): the application's overall
    merit (weak to strong, so totals spread out), a little stronger or weaker on some criteria."""
    key = (application.challenge.slug, application.organisation.slug, stage)
    merit = MERIT[_demo_number(*key) % len(MERIT)]
    return {c.pk: max(1, min(c.scale_max, merit + NUDGE[_demo_number(*key, c.name) % len(NUDGE)])) for c in criteria}


def _outlier(application: Application, stage: str, shared: dict[int, int]) -> tuple[int, int, int] | None:
    """For about one application in seven: (assessor position, criterion id, score) where one assessor sees a
    criterion very differently from the others — more than the round's outlier threshold (2 points) away, so
    the board flags it for moderation. None for the rest, whose assessors differ by a point or two at most."""
    key = (application.challenge.slug, application.organisation.slug, stage)
    if _demo_number(*key, "outlier") % 7:
        return None
    low = min(shared, key=lambda pk: (shared[pk], pk))
    high = max(shared, key=lambda pk: (shared[pk], -pk))
    position = _demo_number(*key, "assessor")
    if shared[low] <= 2:
        return position, low, 5
    if shared[high] >= 4:
        return position, high, 1
    return None  # every criterion in the middle: no score can be more than 2 points away


def _score(application: Application, assessor: User, staff: User, stage: str, position: int, *, declare=True) -> None:
    """Score as the panel broadly sees it, each assessor a point up or down here and there (never more than two
    points from another assessor), except the rare outlier (`_outlier`)."""
    assignment = assessment.assignment_create(application=application, assessor=assessor, by=staff, stage=stage)
    if not declare:
        return
    assessment.assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    criteria = assessment.criteria_for(application, stage)
    shared = _shared_view(application, stage, criteria)
    outlier = _outlier(application, stage, shared)
    key = (application.challenge.slug, application.organisation.slug, stage, assessor.email)
    scores = {}
    for c in criteria:
        if outlier and outlier[1] == c.pk:
            # The one who sees it differently gives the outlying score; the others give the shared view exactly.
            chosen = outlier[0] % PANEL_SIZE[stage] == position
            value = outlier[2] if chosen else shared[c.pk]
        else:
            value = max(1, min(c.scale_max, shared[c.pk] + NOISE[_demo_number(*key, c.name) % len(NOISE)]))
        scores[c.pk] = (value, f"{c.name}: {COMMENTS.get(value, 'as scored')}.")
    assessment.scores_submit(assignment=assignment, by=assessor, scores=scores)


def _assess(challenge, applications, panel, staff, stage: str, *, leave_demo_queue=False) -> None:
    for application in applications:
        for k, assessor in enumerate(panel):
            if assessor.memberships.filter(organisation_id=application.organisation_id).exists():
                continue
            waiting = leave_demo_queue and assessor.email == DEMO_ASSESSOR
            _score(application, assessor, staff, stage, position=k, declare=not waiting)
    _, rows = moderation_board(challenge, stage)
    for row in rows:
        if row.mean is None:
            continue
        weakest = min(row.results[0].scores, key=lambda s: s.value).criterion.name.lower()
        decisions.moderation_record(
            application=row.application,
            stage=stage,
            score=row.mean,
            rationale=(
                "The panel discussed the outlying score, heard the assessor's reasons and agreed the average."
                if row.has_outlier
                else "The panel agreed the average of the assessors' scores."
            ),
            feedback=f"The panel scored this {row.mean}%. Its weakest area was “{weakest}”: "
            "the panel wanted more evidence there.",
            by=staff,
        )


def _shortlist_and_interview(challenge, staff) -> list[Application]:
    """Shortlist all but the lowest-ranked (up to the round's number); invite one more than will be selected."""
    round_ = challenge.round
    _, rows = moderation_board(challenge, "application")
    shortlist = [r.application.pk for r in rows][: min(round_.shortlist_count, max(len(rows) - 1, 1))]
    decisions.shortlist_decide(challenge=challenge, chosen=shortlist, by=staff)
    interviewees = list(Application.objects.filter(pk__in=shortlist[: round_.exploration_teams + 1]).order_by("pk"))
    for n, application in enumerate(interviewees):
        at = round_.interviews_start + timedelta(minutes=45 * n)
        decisions.interview_invite(
            application=application, at=at, details="CodeBase, Argyle House, Edinburgh", by=staff
        )
    return interviewees


def _decide(challenge, staff) -> None:
    round_ = challenge.round
    interviewees = _shortlist_and_interview(challenge, staff)
    _assess(challenge, interviewees, _panel()[:2], staff, "interview")
    _, rows = moderation_board(challenge, "interview")
    selected = [r.application.pk for r in rows if r.application.status == Application.Status.INTERVIEW]
    decisions.selection_decide(challenge=challenge, chosen=selected[: round_.exploration_teams], by=staff)


def seed(*, scale: int, challenges_seeded, log) -> None:
    now = timezone.now()
    staff = User.objects.get(email="staff@civtech.example")
    sponsor = User.objects.filter(email=DEMO_SPONSOR).first()
    companies = _demo_companies(scale)
    panel = _panel()
    closed = [c for c in challenges_seeded.challenges.values() if c.round.call_closes <= now]
    done = set(Application.objects.filter(challenge__in=closed).values_list("challenge_id", flat=True))
    by_round: dict[int, list[ChallengePage]] = {}
    for challenge in sorted(closed, key=lambda c: (c.round_id, c.pk)):
        if challenge.pk not in done:
            by_round.setdefault(challenge.round_id, []).append(challenge)
    for challenges in by_round.values():
        round_ = Round.objects.get(pk=challenges[0].round_id)
        submitted = _submit_all(challenges, companies, round_)
        assessing_now = round_.exploration_start > now
        for n, challenge in enumerate(challenges):
            challenge = ChallengePage.objects.select_related("round", "sponsor").get(pk=challenge.pk)
            challenge_panel = panel + ([sponsor] if sponsor and sponsor.memberships.filter(
                organisation_id=challenge.sponsor_id).exists() else [])  # fmt: skip
            last = n == len(challenges) - 1
            _assess(challenge, submitted[challenge.pk], challenge_panel, staff, "application",
                    leave_demo_queue=assessing_now and last)  # fmt: skip
            if not assessing_now:
                _decide(challenge, staff)
            elif n == 0 and not last:
                _shortlist_and_interview(challenge, staff)
        log(f"evaluation: {round_.name}: {sum(map(len, submitted.values()))} applications through the pipeline")
    log(f"evaluation: {len(done)} closed challenges already had applications")


def _step(run: DemoRun) -> None:
    seed(scale=run.scale, challenges_seeded=run.made["challenges"], log=run.log)


DEMO_STEPS = [DemoStep(50, _step)]
