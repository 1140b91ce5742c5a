"""The programme's figures, aggregated in the database.

Each `Figure` knows the records behind it (`records`), how to add them up (`expression`) and how its records
reach a challenge and a company's region, so the same definition answers the headline, every breakdown (by
round, year, sponsor, region) and the drill-down to the rows. The public sees only verified records of public
challenges (`challenges.selectors.public_challenges`: live, not view-restricted), so no figure counts a draft or a
restricted challenge; staff see everything recorded, with data-quality flags for what is unverified, missing or
stale.

Returns report flows for their period (jobs created, investment raised…), so figures sum periodic returns;
the baseline describes the company at selection and is not counted.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Max, Q, QuerySet, Sum, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from challenges.models import ChallengePage, Round
from challenges.selectors import on_public_challenge, public_challenges
from ledger.models import Contract, Payment
from organisations.models import Organisation, Region
from sprints.models import Engagement

from .models import Assumptions, Benefit, ImpactReturn

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal(0)
DIMENSIONS = {"round": "Round", "year": "Year", "sponsor": "Sponsor", "region": "Region"}


def _money(expression):
    return Coalesce(expression, ZERO, output_field=MONEY)


@dataclass(frozen=True)
class Filters:
    round: int | None = None
    year: int | None = None
    sponsor: int | None = None
    region: str | None = None

    def q(self, figure: "Figure") -> Q:
        p = figure.challenge
        q = Q()
        if self.round:
            q &= Q(**{f"{p}round_id": self.round})
        if self.year:
            q &= Q(**{f"{p}round__call_opens__year": self.year})
        if self.sponsor:
            q &= Q(**{f"{p}sponsor_id": self.sponsor})
        if self.region:
            q &= Q(**{figure.region: self.region})
        return q


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # "count" or "money"
    records: Callable[[bool], QuerySet]  # public → the records counted
    expression: object  # the aggregate over `records`
    challenge: str  # the path from a record to its challenge, ending in "__" ("" for challenges themselves)
    region: str  # the path to the region the figure is reported under
    help: str = ""


def _challenges(public: bool) -> QuerySet:
    return public_challenges() if public else ChallengePage.objects.live()


def _engagements(stage: str):
    return lambda public: Engagement.objects.filter(stage=stage)


def _stage_contracts(public: bool) -> QuerySet:
    return Contract.objects.filter(kind__in=Contract.STAGE_KINDS)


def _stage_payments(public: bool) -> QuerySet:
    return Payment.objects.filter(contract__kind__in=Contract.STAGE_KINDS, status=Payment.Status.PAID)


def _follow_ons(public: bool) -> QuerySet:
    contracts = Contract.objects.filter(kind__in=Contract.FOLLOW_ON_KINDS)
    return contracts.filter(verified_at__isnull=False) if public else contracts


def _returns(public: bool) -> QuerySet:
    returns = ImpactReturn.objects.filter(kind=ImpactReturn.Kind.PERIODIC, submitted_at__isnull=False)
    return returns.filter(verified_at__isnull=False) if public else returns


def _savings(public: bool) -> QuerySet:
    benefits = Benefit.objects.filter(kind__in=[Benefit.Kind.CASHABLE, Benefit.Kind.NON_CASHABLE])
    if public:
        return benefits.filter(status=Benefit.Status.VERIFIED)
    return benefits.exclude(status=Benefit.Status.REJECTED)


SAVING = Case(
    When(recurrence=Benefit.Recurrence.RECURRING, then=F("amount") * Coalesce(F("years"), 1)),
    default=F("amount"),
    output_field=MONEY,
)
ENGAGED_REGION = "applications__organisation__region"

FIGURES = [
    Figure("challenges", "Challenges published", "count", _challenges, Count("pk", distinct=True), "",
           ENGAGED_REGION, "Challenges published on the site (by region: those with a team from the region)."),
    Figure("exploration_teams", "Exploration teams", "count", _engagements(Engagement.Stage.EXPLORATION),
           Count("pk"), "application__challenge__", "application__organisation__region"),
    Figure("accelerator_teams", "Accelerator teams", "count", _engagements(Engagement.Stage.ACCELERATOR),
           Count("pk"), "application__challenge__", "application__organisation__region"),
    Figure("prototype_funding", "Prototype funding", "money", _stage_contracts, _money(Sum("current_value")),
           "challenge__", "supplier__region", "Exploration and accelerator contracts, with approved variations."),
    Figure("prototype_paid", "Prototype funding paid", "money", _stage_payments, _money(Sum("amount")),
           "contract__challenge__", "contract__supplier__region"),
    Figure("follow_on_value", "Follow-on contract value", "money", _follow_ons, _money(Sum("current_value")),
           "challenge__", "supplier__region", "Contracts that followed: with the sponsor, other public bodies and "
           "private buyers."),
    Figure("jobs_created", "Jobs created", "count", _returns, Coalesce(Sum("jobs_created"), 0),
           "engagement__application__challenge__", "organisation__region", "As companies attribute them to "
           "the programme in their returns."),
    Figure("jobs_safeguarded", "Jobs safeguarded", "count", _returns, Coalesce(Sum("jobs_safeguarded"), 0),
           "engagement__application__challenge__", "organisation__region"),
    Figure("investment", "Investment raised", "money", _returns,
           _money(Sum(_money(F("investment_equity")) + _money(F("investment_grant")) + _money(F("investment_debt")))),
           "engagement__application__challenge__", "organisation__region", "Equity, grants and debt; public "
           "contracts are not investment."),
    Figure("savings", "Verified savings", "money", _savings, _money(Sum(SAVING)), "challenge__", "sponsor__region",
           "Cashable and non-cashable savings the sponsor reported and we verified; recurring savings count for "
           "each year claimed. By region: the sponsor's."),
]  # fmt: skip
BY_KEY = {f.key: f for f in FIGURES}


def records(key: str, filters: Filters, *, public: bool) -> QuerySet:
    """The rows behind a figure: what a drill-down lists."""
    figure = BY_KEY[key]
    where = filters.q(figure)
    by_region = key == "challenges" and bool(filters.region)
    if by_region:
        # A challenge counts in a region where a team from it was engaged: the region and the engagement are asked
        # of the same application (one filter, one join), as the breakdown by region groups them.
        where &= Q(applications__engagements__isnull=False)
    queryset = figure.records(public).filter(where)
    if public and figure.challenge:  # every other figure counts only the records of public challenges
        queryset = queryset.filter(on_public_challenge(figure.challenge.removesuffix("__")))
    return queryset.distinct() if by_region else queryset


def headline(filters: Filters = Filters(), *, public: bool) -> dict[str, object]:
    """Every figure for the filters: one aggregate query each."""
    return {f.key: records(f.key, filters, public=public).aggregate(value=f.expression)["value"] for f in FIGURES}


def _group_key(figure: Figure, dimension: str):
    p = figure.challenge
    return {
        "round": F(f"{p}round_id"),
        "year": ExtractYear(f"{p}round__call_opens"),
        "sponsor": F(f"{p}sponsor_id"),
        "region": F(figure.region),
    }[dimension]


def breakdown(dimension: str, filters: Filters = Filters(), *, public: bool) -> list[dict]:
    """Every figure per round, year, sponsor or region: one GROUP BY query per figure, merged by key."""
    rows: dict[object, dict] = {}
    for figure in FIGURES:
        queryset = records(figure.key, filters, public=public)
        if figure.key == "challenges" and dimension == "region":
            queryset = queryset.filter(applications__engagements__isnull=False)
        grouped = queryset.order_by().annotate(group=_group_key(figure, dimension)).values("group")
        for row in grouped.annotate(value=figure.expression):
            if row["group"] in (None, ""):
                continue
            rows.setdefault(row["group"], {f.key: 0 for f in FIGURES})[figure.key] = row["value"]
    labels = _labels(dimension, rows.keys())
    result = [{"key": key, "label": labels.get(key, str(key)), **values} for key, values in rows.items()]
    return sorted(result, key=lambda r: r["key"] if dimension == "year" else r["label"])


def _labels(dimension: str, keys) -> dict:

    if dimension == "round":
        return dict(Round.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "sponsor":
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    if dimension == "region":
        return dict(Region.choices)
    return {key: str(key) for key in keys}


@dataclass
class NetImpact:
    """Green Book additionality applied to the gross figures, and the ratios that follow.

    Nothing here is rounded (Decimal throughout, quotients to Decimal's 28 significant digits): each ratio divides
    unrounded values, never a figure already rounded for show. Rounding happens once, where a figure is shown
    (`impact.display`: the template filters, the API's serializer, the exports and the PDF).
    """

    assumptions: Assumptions
    gross_jobs: int
    funding: Decimal
    follow_on: Decimal
    investment: Decimal
    savings: Decimal
    factor: Decimal = field(init=False)

    def __post_init__(self):
        self.factor = self.assumptions.net_factor()

    @property
    def net_jobs(self) -> Decimal:
        return self.gross_jobs * self.factor

    @property
    def net_investment(self) -> Decimal:
        return self.investment * self.factor

    @property
    def net_follow_on(self) -> Decimal:
        return self.follow_on * self.factor

    @property
    def cost_per_net_job(self) -> Decimal | None:
        """All public funding of the programme's contracts, per net additional job."""
        return self.funding / self.net_jobs if self.net_jobs else None

    @property
    def benefit_cost_ratio(self) -> Decimal | None:
        return self.savings / self.funding if self.funding else None

    @property
    def leverage(self) -> Decimal | None:
        """Follow-on contract value per pound of programme funding."""
        return self.follow_on / self.funding if self.funding else None


def net_impact(figures: dict, assumptions: Assumptions | None = None) -> NetImpact:
    return NetImpact(
        assumptions=assumptions or Assumptions.current(),
        gross_jobs=(figures["jobs_created"] or 0) + (figures["jobs_safeguarded"] or 0),
        funding=figures["prototype_funding"] or ZERO,
        follow_on=figures["follow_on_value"] or ZERO,
        investment=figures["investment"] or ZERO,
        savings=figures["savings"] or ZERO,
    )


def quality_flags(filters: Filters = Filters()) -> dict[str, int]:
    """What staff should chase: unverified records, overdue returns, and companies whose latest figures are over
    a year old while a return is overdue (stale)."""
    today = timezone.localdate()
    returns = ImpactReturn.objects.filter(filters.q(BY_KEY["jobs_created"]))
    stale = (
        returns.values("engagement")
        .annotate(
            last=Max("period_end", filter=Q(submitted_at__isnull=False)),
            missing=Count("pk", filter=Q(due_on__lt=today, submitted_at__isnull=True)),
        )
        .filter(Q(last__lt=today - timedelta(days=365)) | Q(last__isnull=True), missing__gt=0)
    )
    benefits = Benefit.objects.filter(filters.q(BY_KEY["savings"]))
    return {
        "unverified_contracts": records("follow_on_value", filters, public=False).filter(verified_at=None).count(),
        "unverified_returns": returns.filter(submitted_at__isnull=False, verified_at=None).count(),
        "unverified_benefits": benefits.filter(status=Benefit.Status.SUBMITTED).count(),
        "missing_returns": returns.filter(due_on__lt=today, submitted_at__isnull=True).count(),
        "stale_companies": stale.count(),
    }
