"""The one query object every backend answers, and the one result shape they return."""

from dataclasses import dataclass, field
from decimal import Decimal

from challenges.status import Status

from .models import FundingBand, Kind

PER_PAGE = 10
MAX_PAGE = 100  # deeper pages are not useful to people and expensive for engines
MAX_QUERY_LENGTH = 200

# Facet name → label, in the order the page shows them. Each is also a filter (?sector=3&sector=5).
FACETS = {
    "type": "Type",
    "sector": "Sector",
    "sponsor": "Sponsor",
    "round": "Round",
    "status": "Status",
    "region": "Region",
    "funding": "Funding",
}
# Facets whose values are fixed choices; the rest are ids of sectors, sponsors and rounds.
CHOICE_FACETS = {"type": Kind, "status": Status, "funding": FundingBand}

FUNDING_BANDS = [  # (band, lower bound inclusive, upper bound exclusive)
    (FundingBand.UNDER_100K, None, Decimal("100000")),
    (FundingBand.TO_350K, Decimal("100000"), Decimal("350000")),
    (FundingBand.TO_500K, Decimal("350000"), Decimal("500000")),
    (FundingBand.OVER_500K, Decimal("500000"), None),
]


def funding_band(amount: Decimal | None) -> str:
    if amount is None:
        return ""
    for band, low, high in FUNDING_BANDS:
        if (low is None or amount >= low) and (high is None or amount < high):
            return band
    return ""


@dataclass(frozen=True)
class Query:
    text: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    per_page: int = PER_PAGE
    # "all": every word (or a synonym) must match; "any": at least one. The service tries "all" first.
    match: str = "all"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> round matched words
    sponsor_name: str = ""
    round_name: str = ""
    sectors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    score: float = 0.0

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label.removesuffix("s") if self.kind != Kind.NEWS else "News or case study"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Results:
    query: Query
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str = ""  # "did you mean"
    corrected_from: str = ""  # set when the results shown are for `suggestion` because the typed query found none
    any_words: bool = False  # no document had every word, so these match some of them
    backend: str = "database"
    notice: str = ""  # e.g. Elasticsearch is down and the database answered

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, -(-self.total // self.query.per_page)))
