"""Demo impact returns and benefits, on the engagements the sprints demo created.

- Every engagement gets its schedule (baseline; periodic returns for the accelerator).
- Every return whose period has ended is submitted by the team, except the newest one of the first accelerator
  team (left missing: late, or due soon, depending on the date) and one of the demo applicant's company (left to
  do, so the demo applicant has a return due) — and two in three are verified.
- One verified return is corrected (so it awaits verification again, with its history).
- Each sponsor with an accelerator team records a cashable, a non-cashable and a non-financial benefit; the
  first two are verified, the third awaits verification (so the public page has something to leave out).

Figures come from each engagement's position in a fixed order, so two runs produce the same data; what already
exists is left alone, so a second run changes nothing.
"""

from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from applications.demo import _applicant
from civtech.demo_data import DemoStep
from sprints.demo import _sponsor_user
from sprints.models import Engagement

from .models import Benefit, ImpactReturn
from .services.benefits import benefit_record, benefit_verify
from .services.returns import return_correct, return_submit, return_verify, returns_schedule

DEMO_COMPANY = "thistle-data"  # the demo applicant's company (accounts.demo)


def _figures(n: int, step: int) -> dict:
    """A small company growing a little each period."""
    headcount = 6 + n % 5 + 2 * step
    return {
        "headcount": headcount,
        "fte": Decimal(headcount) - Decimal("0.5"),
        "jobs_created": 0 if step == 0 else 1 + (n + step) % 3,
        "jobs_safeguarded": (n + step) % 2,
        "turnover": Decimal(180_000 + 40_000 * n + 90_000 * step),
        "investment_equity": Decimal(150_000 if step == 2 and n % 2 == 0 else 0),
        "investment_grant": Decimal(25_000 if step == 1 else 0),
        "investment_debt": Decimal(0),
        "contracts_public": Decimal(0 if step == 0 else 60_000 * step),
        "contracts_private": Decimal(15_000 * step),
        "exports": Decimal(10_000 if step > 1 else 0),
        "still_trading": True,
    }


BENEFITS = [
    {
        "kind": Benefit.Kind.CASHABLE, "title": "Less agency staff time", "recurrence": Benefit.Recurrence.RECURRING,
        "amount": Decimal(48000), "years": 3,
        "evidence": "Finance ledger: agency spend before and after, cost centre 4410.",
    },
    {
        "kind": Benefit.Kind.NON_CASHABLE, "title": "Staff hours released to front-line work",
        "recurrence": Benefit.Recurrence.ONE_OFF, "amount": Decimal(22500),
        "evidence": "Time-and-motion study by the service team, 12 weeks before and after.",
    },
    {
        "kind": Benefit.Kind.NON_FINANCIAL, "title": "Faster answers for the public", "metric": "Average wait",
        "unit": "days", "baseline": Decimal(21), "target": Decimal(7), "actual": Decimal(9),
        "evidence": "Case management system report, quarterly.",
    },
]  # fmt: skip


def _left_to_do(today) -> ImpactReturn | None:
    """The demo applicant's company keeps one return to do, so the applicant has a return due: of its returns
    whose period has ended, the one due soonest that is not overdue yet (the newest period first), else the one
    with the newest period."""
    ended = ImpactReturn.objects.filter(organisation__slug=DEMO_COMPANY, period_end__lt=today)
    return (
        ended.filter(due_on__gte=today).order_by("due_on", "-period_end", "pk").first()
        or ended.order_by("-period_end", "pk").first()
    )


def _returns(engagements: list[Engagement], staff: User, today) -> tuple[int, int]:
    submitted = verified = 0
    missing = next((e for e in engagements if e.stage == Engagement.Stage.ACCELERATOR), None)
    schedules = {engagement.pk: returns_schedule(engagement=engagement) for engagement in engagements}
    to_do = _left_to_do(today)
    for n, engagement in enumerate(engagements):
        team = _applicant(engagement.application.organisation)
        ended = [r for r in schedules[engagement.pk] if r.period_end < today]
        if engagement == missing:
            ended = ended[:-1]
        for step, impact_return in enumerate(ended):
            if impact_return.submitted_at is None and impact_return != to_do:
                return_submit(impact_return=impact_return, by=team, figures=_figures(n, step))
                submitted += 1
                if (n + step) % 3 != 2:
                    return_verify(impact_return=impact_return, by=staff)
                    verified += 1
    first_verified = ImpactReturn.objects.filter(verified_at__isnull=False).order_by("pk").first()
    if first_verified and not ImpactReturn.objects.filter(corrections__isnull=False).exists():
        figures = {key: getattr(first_verified, key) for key in _figures(0, 0)}
        figures["turnover"] += Decimal(5_000)
        return_correct(
            impact_return=first_verified,
            by=_applicant(first_verified.organisation),
            figures=figures,
            reason="Our accountant finalised the year's turnover after we submitted.",
        )
    return submitted, verified


def _benefits(engagements: list[Engagement], staff: User) -> int:
    recorded = 0
    for engagement in engagements:
        if engagement.stage != Engagement.Stage.ACCELERATOR:
            continue
        challenge = engagement.application.challenge
        sponsor = _sponsor_user(challenge.sponsor)
        for n, fields in enumerate(BENEFITS):
            if Benefit.objects.filter(challenge=challenge, title=fields["title"]).exists():
                continue
            benefit = benefit_record(challenge=challenge, by=sponsor, **fields)
            recorded += 1
            if n < 2:
                benefit_verify(benefit=benefit, by=staff, note="Checked against the evidence supplied.")
    return recorded


def seed_returns_and_benefits(*, log) -> None:
    today = timezone.localdate()
    staff = User.objects.get(email="staff@civtech.example")
    engagements = list(
        Engagement.objects.select_related("application__challenge__round", "application__organisation").order_by(
            "application__challenge_id", "application_id", "stage", "pk"
        )
    )
    submitted, verified = _returns(engagements, staff, today)
    recorded = _benefits(engagements, staff)
    log(f"impact: {submitted} returns submitted ({verified} verified), {recorded} benefits recorded")


# After the money (impact.demo_money, 70): the returns and benefits that report on it.
DEMO_STEPS = [DemoStep(80, lambda run: seed_returns_and_benefits(log=run.log))]
