"""Demo rounds and challenges: real Scottish public bodies as sponsors, fictional problems.

Every round's dates are set relative to the moment the demo is first seeded, so a fresh demo shows
every status a challenge can have (upcoming, open, closed, exploration, accelerator, completed).
Seeding again creates only what is missing and never changes existing rows, so the dates stay as
they were first written and statuses move on with time, just as they would for real rounds.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from civtech.demo_data import DemoRun, DemoStep, demo_data
from organisations.demo import PUBLIC_BODIES
from organisations.models import Membership, Organisation, OrganisationKind

from .models import ChallengePage, Clarification, Round, Sector
from .services import clarification_answer, clarification_ask, round_create, sponsor_space_ensure

SECTORS = [
    "Health and social care",
    "Transport",
    "Environment and net zero",
    "Justice and safety",
    "Culture and heritage",
    "Local government",
    "Data and digital",
    "Education and skills",
    "Fire and emergency services",
]

# --- Rounds ---------------------------------------------------------------------------------------
# Each stage as (field, days after the call opens, hour in UK time).
STANDARD_TIMINGS = [
    ("call_opens", 0, 9),
    ("questions_close", 21, 12),
    ("call_closes", 28, 12),
    ("shortlist_by", 35, 17),
    ("interviews_start", 42, 9),
    ("interviews_end", 46, 17),
    ("exploration_start", 56, 9),
    ("exploration_end", 84, 17),  # a 4-week exploration stage
    ("pitch_at", 91, 10),
    ("accelerator_start", 105, 9),
    ("accelerator_end", 210, 17),  # a 15-week accelerator
    ("demo_day", 217, 10),
]

# A short "sprint challenge": 3-week call, 2-week exploration, 12-week accelerator.
SPRINT_TIMINGS = [
    ("call_opens", 0, 9),
    ("questions_close", 14, 12),
    ("call_closes", 21, 12),
    ("shortlist_by", 25, 17),
    ("interviews_start", 28, 9),
    ("interviews_end", 30, 17),
    ("exploration_start", 35, 9),
    ("exploration_end", 49, 17),
    ("pitch_at", 51, 10),
    ("accelerator_start", 56, 9),
    ("accelerator_end", 140, 17),
    ("demo_day", 147, 10),
]


@dataclass(frozen=True)
class DemoRound:
    name: str
    code: str
    opens_in_days: int  # negative: the call opened that many days before the demo was seeded
    description: str
    timings: list = field(default_factory=lambda: STANDARD_TIMINGS)
    exploration_payment: int = 5_000
    accelerator_max: int = 350_000
    shortlist_count: int = 6
    exploration_teams: int = 3
    accelerator_teams: int = 1

    @property
    def slug(self) -> str:
        return slugify(self.name)


ROUNDS = [
    DemoRound(
        "CivTech 9",
        "CT9",
        -730,
        "A completed round: its teams explored their challenges, pitched and built products in the accelerator.",
    ),
    DemoRound(
        "CivTech 10",
        "CT10",
        -150,
        "One team per challenge is now building its product in the accelerator, ahead of Demo Day.",
    ),
    DemoRound(
        "CivTech Sprint: Net Zero",
        "CTS1",
        -42,
        "A short sprint round on net zero: a three-week call and a two-week paid exploration stage, "
        "with two teams explored per challenge.",
        timings=SPRINT_TIMINGS,
        exploration_payment=2_500,
        accelerator_max=150_000,
        shortlist_count=4,
        exploration_teams=2,
    ),
    DemoRound(
        "CivTech Sprint: Safer Communities",
        "CTS2",
        -26,
        "A short sprint round on keeping communities safe. The call has closed and applications are being assessed.",
        timings=SPRINT_TIMINGS,
        exploration_payment=2_500,
        accelerator_max=200_000,
        shortlist_count=4,
        exploration_teams=2,
    ),
    DemoRound(
        "CivTech 11",
        "CT11",
        -10,
        "Open now: read the challenges, ask clarification questions and apply before the call closes at noon.",
    ),
    DemoRound(
        "CivTech 12",
        "CT12",
        60,
        "The next round. Read the challenges now and sign up for alerts to hear when the call opens.",
    ),
]

# --- Challenges -----------------------------------------------------------------------------------
DEMO_NOTE = (
    "<p>This challenge was written to demonstrate the service. The sponsor is a real public body, "
    "but the problem, figures and people described are illustrative.</p>"
)


@dataclass(frozen=True)
class DemoChallenge:
    slug: str
    title: str
    sponsor: str  # organisation slug
    round: str  # round slug
    sectors: tuple[str, ...]
    summary: str
    problem: tuple[str, ...]  # paragraphs of HTML
    users: str
    success: str
    provides: str
    contact_name: str
    contact_email: str
    accelerator_max: int | None = None
    follow_on_value: int | None = None
    stopped_after_exploration: bool = False  # ended early: no team taken forward to the accelerator

    def problem_statement(self) -> str:
        blocks = [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in self.problem]
        blocks.append({"type": "callout", "value": {"title": "Demo content", "text": DEMO_NOTE}})
        return json.dumps(blocks)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _html(value: str | dict) -> str:
    """A text of the YAML: HTML as written, or `{list: [...]}` for a bulleted list."""
    return _ul(*value["list"]) if isinstance(value, dict) else value


def _demo_challenge(data: dict) -> DemoChallenge:
    texts = {name: _html(data[name]) for name in ("users", "success", "provides")}
    return DemoChallenge(**{**data, **texts, "sectors": tuple(data["sectors"]), "problem": tuple(data["problem"])})


# The challenges themselves are data: challenges/demo_challenges.yaml.
CHALLENGES = [_demo_challenge(data) for data in demo_data(__file__, "demo_challenges.yaml")]


# --- Seeding --------------------------------------------------------------------------------------
@dataclass
class Seeded:
    sectors: dict[str, Sector]
    rounds: dict[str, Round]
    challenges: dict[str, ChallengePage]  # by slug, copies included ("rural-bus-demand-2")


def _uk_time(today, days: int, hour: int) -> datetime:
    """`hour`:00 UK time (GMT or BST as that day has it) on the working day nearest `days` after `today`.

    A Saturday moves back to Friday and a Sunday on to Monday, so no call closes (and no interview
    happens) at a weekend. The move never reorders stages, as no two are less than two days apart.
    """
    day = today + timedelta(days=days)
    day += {5: timedelta(days=-1), 6: timedelta(days=1)}.get(day.weekday(), timedelta(0))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def seed_sectors(log) -> dict[str, Sector]:
    sectors, created = {}, 0
    for name in SECTORS:
        sectors[name], made = Sector.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        created += made
    log(f"sectors: {created} created, {len(SECTORS) - created} already present")
    return sectors


def seed_rounds(*, now: datetime, log) -> dict[str, Round]:
    """Create each missing round with dates relative to `now`; leave existing rounds exactly as they are."""
    today = timezone.localdate(now)
    rounds = {}
    for demo in ROUNDS:
        round_ = Round.objects.filter(slug=demo.slug).first()
        if round_ is None:
            dates = {name: _uk_time(today, demo.opens_in_days + days, hour) for name, days, hour in demo.timings}
            round_ = round_create(
                by=None,
                name=demo.name,
                slug=demo.slug,
                code=demo.code,
                description=demo.description,
                exploration_payment=Decimal(demo.exploration_payment),
                accelerator_max=Decimal(demo.accelerator_max),
                shortlist_count=demo.shortlist_count,
                exploration_teams=demo.exploration_teams,
                accelerator_teams=demo.accelerator_teams,
                **dates,
            )
            log(f"rounds: {demo.name} created")
        else:
            log(f"rounds: {demo.name} already present")
        rounds[demo.slug] = round_
    return rounds


def _challenge_page(demo: DemoChallenge, round_: Round, *, copy: int, now: datetime) -> ChallengePage:
    suffix = "" if copy == 1 else f" (copy {copy})"
    stopped_at = None
    if demo.stopped_after_exploration:
        stopped_at = min(round_.exploration_end + timedelta(days=10), now)
    return ChallengePage(
        title=demo.title + suffix,
        slug=demo.slug if copy == 1 else f"{demo.slug}-{copy}",
        round=round_,
        summary=demo.summary,
        problem_statement=demo.problem_statement(),
        users=demo.users,
        success=demo.success,
        sponsor_provides=demo.provides,
        accelerator_max=Decimal(demo.accelerator_max) if demo.accelerator_max is not None else None,
        follow_on_value=Decimal(demo.follow_on_value) if demo.follow_on_value is not None else None,
        contact_name=demo.contact_name,
        contact_email=demo.contact_email,
        stopped_at=stopped_at,
        # Challenges are published as their call opens; those in later rounds are published now.
        first_published_at=min(round_.call_opens, now),
    )


def seed(*, scale: int, organisations: dict[str, Organisation], log) -> Seeded:
    """Sectors, rounds, every public body's sponsor space, and the demo challenges (`scale` copies of each)."""
    now = timezone.now()
    sectors = seed_sectors(log)
    rounds = seed_rounds(now=now, log=log)

    # Every public body gets its space (and its members' page permissions), challenges or not.
    spaces = {}
    for _name, slug, *_rest in PUBLIC_BODIES:
        organisation = organisations.get(slug) or Organisation.objects.get(slug=slug)
        spaces[slug] = sponsor_space_ensure(organisation=organisation)
    log(f"challenges: sponsor spaces ready for {len(spaces)} public bodies")

    existing = {
        (space_slug, page.slug): page
        for space_slug, space in spaces.items()
        for page in ChallengePage.objects.child_of(space)
    }
    challenges, created = {}, 0
    for copy in range(1, scale + 1):
        for demo in CHALLENGES:
            page = _challenge_page(demo, rounds[demo.round], copy=copy, now=now)
            found = existing.get((demo.sponsor, page.slug))
            if found is None:
                spaces[demo.sponsor].add_child(instance=page)
                page.sectors.set([sectors[name] for name in demo.sectors])
                page.save_revision().publish()
                found, created = page, created + 1
            challenges[page.slug] = found
        log(f"challenges: {copy}/{scale} batches")
    log(f"challenges: {created} created, {len(challenges) - created} already present")
    return Seeded(sectors=sectors, rounds=rounds, challenges=challenges)


# --- Clarification questions ----------------------------------------------------------------------
# Questions companies asked on the open round's challenges, with the answers the sponsors published. An answer of
# None leaves the question awaiting one, so the answering pages have work in them.
QUESTIONS: dict[str, list[tuple[str, str | None]]] = {
    "disclosure-low-digital-confidence": [
        (
            "Can the solution include a telephone or face-to-face channel, or must it be digital?",
            "Any channel is welcome, digital or not, as long as applicants can apply independently and their "
            "information stays secure. Many of the people we want to reach have no internet access at all.",
        ),
        (
            "Will teams be able to speak to applicants who have struggled to apply?",
            "Yes. In the exploration stage our user research team will help you recruit and meet applicants, "
            "including people supported by partner organisations.",
        ),
        (
            "Is there an existing API into the online application service?",
            None,
        ),
    ],
    "predicting-potholes": [
        (
            "Which vehicles already carry cameras, and can we fit our own equipment?",
            "Our 24 refuse lorries have forward-facing cameras and all gritters have telematics. You may fit "
            "your own equipment to up to six vehicles during the accelerator, with the fleet team's agreement.",
        ),
        (
            "In what format are the historic defect and repair records held?",
            "In our asset management system, which exports CSV files. We hold ten years of records, each with a "
            "location, defect type, dates reported and repaired, and the cost of the repair.",
        ),
    ],
    "homes-most-at-risk-of-fire": [
        (
            "Would partner data be shared with the successful team, or only anonymised results?",
            "Only anonymised or aggregated data will be shared during the exploration stage. Any use of personal "
            "data in the accelerator would need a data sharing agreement, which we will help put in place.",
        ),
        (
            "Is there a pilot area in mind?",
            "Yes: one local senior officer area in the central belt, to be confirmed with the teams selected for "
            "the exploration stage.",
        ),
        (
            "Would a solution aimed only at partner referrals, not at predicting risk, be in scope?",
            None,
        ),
    ],
    "traditional-building-skills": [
        (
            "Does the content have to be in English only, or also in Gaelic?",
            "English is enough to start with, but the solution should make it possible to add Gaelic and other "
            "languages later.",
        ),
        (
            "Who would own the content that craftspeople record?",
            "The craftspeople keep the rights to their own recordings and license them to Historic Environment "
            "Scotland for public use. We expect the platform to make that licence clear when content is added.",
        ),
    ],
}


def seed_questions(*, log) -> None:
    """Questions on the open round's challenges, asked by the demo companies (each in turn), answered by the
    sponsor's first member (or the CivTech team) through the real services; a couple are left awaiting an
    answer. Run after the demo applications, so every demo company has someone to ask. A challenge that has
    questions already is left alone, so a second run changes nothing."""
    staff = User.objects.get(email="staff@civtech.example")
    askers = [
        m.user
        for m in Membership.objects.filter(role=Membership.Role.ADMIN)
        .exclude(organisation__kind=OrganisationKind.PUBLIC_BODY)
        .select_related("user")
        .order_by("organisation__slug", "pk")
    ]
    asked = answered = 0
    for slug, questions in QUESTIONS.items():
        challenge = ChallengePage.objects.live().select_related("round", "sponsor").filter(slug=slug).first()
        if challenge is None or not challenge.questions_open or challenge.clarifications.exists():
            continue
        sponsor_member = Membership.objects.filter(organisation=challenge.sponsor).order_by("pk").first()
        answerer = sponsor_member.user if sponsor_member else staff
        for n, (question, answer) in enumerate(questions):
            clarification = clarification_ask(
                challenge=challenge, by=askers[(asked + n) % len(askers)], question=question
            )
            # Asked over the days after the call opened, each answered a day later.
            asked_at = min(challenge.round.call_opens + timedelta(days=1 + 2 * n, hours=3), timezone.now())
            Clarification.objects.filter(pk=clarification.pk).update(asked_at=asked_at)
            if answer is not None:
                clarification_answer(clarification=clarification, by=answerer, answer=answer)
                answered_at = min(asked_at + timedelta(days=1), timezone.now())
                Clarification.objects.filter(pk=clarification.pk).update(answered_at=answered_at)
                answered += 1
        asked += len(questions)
    log(f"questions: {asked} asked, {answered} answered")


def _step(run: DemoRun) -> None:
    run.made["challenges"] = seed(scale=run.scale, organisations=run.made["organisations"], log=run.log)


# Questions are asked by the companies the applications demo (40) gave members.
DEMO_STEPS = [DemoStep(30, _step), DemoStep(45, lambda run: seed_questions(log=run.log))]
