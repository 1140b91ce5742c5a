"""Demo applications: the demo companies apply to the open round's challenges.

Submitted (and withdrawn) applications go through the real services, so they have versions, reference
numbers, audit entries and emails. Only challenges open now are used: submission is refused after the deadline.
"""

from accounts.models import User
from challenges.demo import Seeded
from civtech.demo_data import DemoRun, DemoStep
from formbuilder.default import DEFAULT_SPEC
from organisations.demo import COMPANIES
from organisations.models import Membership, Organisation
from organisations.services import membership_add

from .models import Application
from .services import application_save, application_start, application_submit, application_withdraw

# What company j does with open challenge i: PLAN[(i + 2 * j) % len(PLAN)] (None: does not apply).
# Thistle Data (j = 0), the demo applicant's company, gets a submitted application and a draft.
PLAN = ["submitted", "draft", None, "submitted", "withdrawn", None, "submitted"]
ALL_DECLARED = {declaration.key: True for declaration in DEFAULT_SPEC.declarations}  # the demo rounds' default form


def answers_for(organisation: Organisation, challenge, *, complete: bool) -> dict[str, str]:
    """Plausible answers well inside the word limits; a draft has only the first two sections."""
    answers = {
        "idea": f"{organisation.name} would build a service for “{challenge.title}”, starting with a "
        f"two-week discovery alongside {challenge.sponsor} staff. {organisation.description}",
        "innovation": "It joins data the sponsor already holds with a simple interface for front-line staff.",
        "commercial": "Every Scottish council and health board faces the same problem, so the product "
        "would be sold as a subscription after the accelerator.",
        "team": f"The {organisation.name} team: a product lead, two engineers and a user researcher.",
        "commitment": "We can take part on every stage date and will keep the same team throughout.",
        "equality_sustainability": "We design to WCAG 2.2 AA, pay the real living wage and host in UK "
        "data centres powered by renewable energy.",
    }
    if complete:
        return answers
    return dict(list(answers.items())[:2])


def _applicant(organisation: Organisation) -> User:
    """The organisation's first admin; a demo company without one gets a bid-writing user (no sign-in)."""
    membership = (
        organisation.memberships.filter(role=Membership.Role.ADMIN).select_related("user").order_by("pk").first()
    )
    if membership is not None:
        return membership.user
    user, created = User.objects.get_or_create(
        email=f"bids@{organisation.slug}.example", defaults={"first_name": "Bid", "last_name": "Writer"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    membership_add(organisation=organisation, user=user, role=Membership.Role.ADMIN, by=None)
    return user


def _demo_companies(scale: int) -> list[Organisation]:
    slugs = [slug if copy == 1 else f"{slug}-{copy}" for copy in range(1, scale + 1) for _n, slug, *_ in COMPANIES]
    by_slug = Organisation.objects.suppliers().in_bulk(slugs, field_name="slug")
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def seed(*, scale: int, challenges_seeded: Seeded, log) -> list[Application]:
    """Applications to the open challenges in draft, submitted and withdrawn states; existing ones are kept."""
    open_challenges = sorted(
        (c for c in challenges_seeded.challenges.values() if c.is_open), key=lambda c: (c.round_id, c.pk)
    )
    companies = _demo_companies(scale)
    existing = set(
        Application.objects.filter(challenge__in=open_challenges, organisation__in=companies).values_list(
            "challenge_id", "organisation_id"
        )
    )
    applications, created = [], 0
    for i, challenge in enumerate(open_challenges):
        for j, organisation in enumerate(companies):
            status = PLAN[(i + 2 * (j % len(COMPANIES))) % len(PLAN)]
            if status is None or (challenge.pk, organisation.pk) in existing:
                continue
            user = _applicant(organisation)
            application = application_start(challenge=challenge, organisation=organisation, by=user)
            answers = answers_for(organisation, challenge, complete=status != "draft")
            application_save(application=application, by=user, answers=answers)
            if status in ("submitted", "withdrawn"):
                application_submit(application_id=application.pk, by=user, declarations=ALL_DECLARED)
            if status == "withdrawn":
                application_withdraw(application_id=application.pk, by=user)
            applications.append(application)
            created += 1
    log(f"applications: {created} created for {len(open_challenges)} open challenges, {len(existing)} already present")
    return applications


def _step(run: DemoRun) -> None:
    seed(scale=run.scale, challenges_seeded=run.made["challenges"], log=run.log)


DEMO_STEPS = [DemoStep(40, _step)]  # the evaluation of closed challenges follows (demo_evaluation, 50)
