"""The CSV downloads on /open-data/ and their data dictionary.

Every row is made by the public API's serializer from the public selector, then flattened: a CSV can only hold
what the API already publishes, and the dictionary below is the list of columns (nothing else is written).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from challenges.status import Status
from impact.reporting import FIGURES

from . import selectors, serializers
from .impact import ImpactQuerySerializer, public_impact


@dataclass(frozen=True)
class Column:
    field: str
    meaning: str
    type: str
    get: Callable[[dict], object]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: list[Column]
    rows: Callable[[], Iterable[dict]]

    @property
    def filename(self) -> str:
        return f"{self.slug}.csv"


def _key(name: str) -> Callable[[dict], object]:
    return lambda row: row[name]


def _path(*names: str) -> Callable[[dict], object]:
    def get(row):
        for name in names:
            row = row[name] if row is not None else None
        return row

    return get


def col(field: str, meaning: str, type_: str, get=None) -> Column:
    return Column(field, meaning, type_, get or _key(field))


def _serialized(serializer, queryset) -> Callable[[], list[dict]]:
    return lambda: serializer(queryset(), many=True).data


def _impact_rows() -> list[dict]:
    query = ImpactQuerySerializer(data={"by": "round"})
    query.is_valid(raise_exception=True)
    return _flat(public_impact(query))


def _flat(impact: dict) -> list[dict]:
    return [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in impact["breakdown"]]


DATE = "date (YYYY-MM-DD)"
DATETIME = "date and time (ISO 8601, UK time)"
MONEY = "money (£, excluding VAT)"

DATASETS = [
    Dataset("rounds", "Rounds", "Each round of the programme: its timetable, default funding and team numbers.", [
        col("id", "Round id (use it to filter the API)", "integer"),
        col("name", "Round name", "text"),
        col("code", "Short code used in references", "text"),
        col("call_opens", "When the call for applications opened", DATETIME),
        col("call_closes", "When the call closed", DATETIME),
        col("exploration_start", "Exploration stage starts", DATETIME),
        col("accelerator_start", "Accelerator starts", DATETIME),
        col("demo_day", "Demo Day", DATETIME),
        col("exploration_payment", "Default exploration payment per team", MONEY),
        col("accelerator_max", "Default accelerator maximum", MONEY),
        col("exploration_teams", "Teams in exploration per challenge", "integer"),
        col("accelerator_teams", "Teams in the accelerator per challenge", "integer"),
        col("challenge_count", "Published challenges in the round", "integer"),
    ], _serialized(serializers.RoundSerializer, selectors.public_rounds)),
    Dataset("challenges", "Challenges", "Every published challenge: sponsor, round, status and funding.", [
        col("id", "Challenge id", "integer"),
        col("title", "Challenge title", "text"),
        col("url", "The challenge's page", "URL"),
        col("ocid", "Open Contracting ID (OCDS)", "text"),
        col("summary", "One-line summary", "text"),
        col("status", "Status now: " + ", ".join(Status.values), "text"),
        col("round", "Round name", "text", _path("round", "name")),
        col("sponsor", "Sponsoring public body", "text", _path("sponsor", "name")),
        col("sectors", "Sectors, separated by semicolons", "text", lambda r: "; ".join(r["sectors"])),
        col("exploration_payment", "Exploration payment per team", MONEY),
        col("accelerator_max", "Accelerator maximum contract value", MONEY),
        col("follow_on_value", "Potential follow-on value, if stated", MONEY),
    ], _serialized(serializers.ChallengeSerializer, selectors.public_challenges)),
    Dataset("questions", "Questions and answers", "Clarification questions answered during open calls. Who asked "
            "is never published.", [
        col("id", "Question id", "integer"),
        col("challenge_id", "Challenge id", "integer", _path("challenge", "id")),
        col("challenge", "Challenge title", "text", _path("challenge", "title")),
        col("question", "The question", "text"),
        col("answer", "The sponsor's answer", "text"),
        col("answered_at", "When the answer was published", DATETIME),
    ], _serialized(serializers.QuestionSerializer, selectors.public_questions)),
    Dataset("companies", "Companies", "Companies and individuals who have worked on a published challenge.", [
        col("name", "Name", "text"),
        col("slug", "Short name used in links and the API", "text"),
        col("kind", "company, individual or other", "text"),
        col("website", "Website", "URL"),
        col("region", "Economic region (code)", "text"),
        col("is_sme", "Small or medium-sized enterprise (blank when not known)", "true / false"),
        col("challenges", "Challenge ids worked on, separated by semicolons", "text",
            lambda r: "; ".join(str(e["challenge"]["id"]) for e in r["engagements"])),
    ], _serialized(serializers.CompanySerializer, selectors.public_companies)),
    Dataset("solutions", "Solutions", "Products from completed accelerators, and where they have been used since.", [
        col("id", "Solution id", "integer"),
        col("challenge", "Challenge title", "text", _path("challenge", "title")),
        col("sponsor", "Sponsoring public body", "text", _path("sponsor", "name")),
        col("team", "The team (company) that built it", "text", _path("team", "name")),
        col("ends_on", "When the accelerator ended", DATE),
        col("outcome", "follow_on, further or not_progressed", "text"),
        col("follow_on_contracts", "Verified follow-on contracts with public bodies", "integer",
            lambda r: len(r["follow_on_contracts"])),
        col("follow_on_value", "Their total value", MONEY,
            lambda r: str(sum((Decimal(c["value"]) for c in r["follow_on_contracts"]), Decimal(0)))),
    ], _serialized(serializers.SolutionSerializer, selectors.public_solutions)),
    Dataset("contracts", "Contracts", "Exploration and accelerator contracts, and verified follow-on contracts with "
            "public bodies. Private contracts are counted only in the impact figures.", [
        col("id", "Contract id", "integer"),
        col("kind", "exploration, accelerator, follow_on or reuse", "text"),
        col("title", "Title", "text"),
        col("challenge_id", "Challenge id", "integer", _path("challenge", "id")),
        col("buyer", "Buyer (public body)", "text", _path("buyer", "name")),
        col("supplier", "Supplier", "text", _path("supplier", "name")),
        col("value", "Value when awarded", MONEY),
        col("current_value", "Value with approved variations", MONEY),
        col("amount_paid", "Paid so far", MONEY),
        col("awarded_on", "Date awarded", DATE),
        col("starts_on", "Start", DATE),
        col("ends_on", "End", DATE),
        col("status", "active, completed or terminated", "text"),
    ], _serialized(serializers.ContractSerializer, selectors.public_contracts)),
    Dataset("impact-by-round", "Impact by round", "The verified impact figures of each round, as on the impact page.",
            [col("round_id", "Round id", "integer", _key("key")), col("round", "Round name", "text", _key("label"))]
            + [col(f.key, f.label + (f" — {f.help}" if f.help else ""), MONEY if f.kind == "money" else "integer")
               for f in FIGURES],
            _impact_rows),
]  # fmt: skip
BY_SLUG = {d.slug: d for d in DATASETS}


def csv_rows(dataset: Dataset) -> Iterable[list]:
    yield [c.field for c in dataset.columns]
    for row in dataset.rows():
        yield ["" if (value := c.get(row)) is None else value for c in dataset.columns]
