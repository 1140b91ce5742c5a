"""Public impact figures for the API and the CSV downloads: the same verified-only functions as the public impact
page (impact.reporting with public=True), with the same filters (round, year, sponsor, region)."""

from decimal import ROUND_HALF_UP

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from impact.display import KINDS, PLACES
from impact.models import Assumptions
from impact.reporting import DIMENSIONS, FIGURES, Filters, breakdown, headline, net_impact
from organisations.models import Region

from .filters import MAX_ID

DIMENSION_CHOICES = list(DIMENSIONS.items())


class ImpactQuerySerializer(serializers.Serializer):
    """The query string. Unknown ids simply match nothing, as on the web page; a wrong type is a 400."""

    round = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text="A round's id.")
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100, help_text="The year a call opened.")
    sponsor = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text="A sponsoring public body's id."
    )
    region = serializers.ChoiceField(required=False, choices=Region.choices)
    by = serializers.ChoiceField(required=False, choices=DIMENSION_CHOICES, default="round",
                                 help_text="Break the figures down by this.")  # fmt: skip

    def to_internal_value(self, data):
        # A parameter sent empty is a mistake to report, not "no filter" (DRF's default for query strings).
        blank = {name: ["This may not be blank."] for name in self.fields if name in data and data.get(name) == ""}
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)

    def filters(self) -> Filters:
        data = self.validated_data
        return Filters(round=data.get("round"), year=data.get("year"), sponsor=data.get("sponsor"),
                       region=data.get("region") or None)  # fmt: skip


def _value_field(kind: str):
    if kind == "money":
        return serializers.DecimalField(max_digits=18, decimal_places=2)
    return serializers.IntegerField()


FigureValues = type(
    "FigureValues", (serializers.Serializer,), {f.key: _value_field(f.kind) for f in FIGURES}
)  # one field per figure, so the OpenAPI schema names every figure
BreakdownRow = type(
    "BreakdownRow",
    (FigureValues,),
    {
        "key": serializers.CharField(help_text="Round id, year, sponsor id or region code."),
        "label": serializers.CharField(),
    },
)


class FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=[("count", "count"), ("money", "money (£)")])
    help = serializers.CharField()


def _exact(help_text: str, **kwargs):
    """An input shown as it is (no rounding, no trailing zeros)."""
    return serializers.DecimalField(
        max_digits=None, decimal_places=None, normalize_output=True, help_text=help_text, **kwargs
    )


UNITS = {"jobs": "Jobs", "money": "Pounds", "ratio": "A ratio"}


def _rounded(key: str, help_text: str, **kwargs):
    """A figure computed from unrounded values and rounded here, once, half up, to its kind's places."""
    kind = KINDS[key]
    places = PLACES[kind]
    precision = {0: "a whole number", 1: "1 decimal place"}.get(places, f"{places} decimal places")
    help_text = f"{help_text} {UNITS[kind]}, rounded half up to {precision}, once, from unrounded values."
    return serializers.DecimalField(
        max_digits=None, decimal_places=places, rounding=ROUND_HALF_UP, help_text=help_text, **kwargs
    )


class AssumptionsSerializer(serializers.Serializer):
    leakage = _exact("Share of benefit going to people outside Scotland (0 to 1).")
    displacement = _exact("Share taken from other Scottish firms (0 to 1).")
    substitution = _exact("Share where firms swapped in a funded activity (0 to 1).")
    multiplier = _exact("Supply-chain and spending effects (1 = none).")
    deadweight = _exact("Share that would have happened anyway (0 to 1).")


Precision = type(
    "NetImpactPrecision",
    (serializers.Serializer,),
    {key: serializers.IntegerField(help_text=f"Decimal places {key} is rounded to.") for key in KINDS},
)


@extend_schema_field(Precision)
class PrecisionField(serializers.Field):
    """The decimal places each rounded figure is given to: the same for every response."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return {key: PLACES[kind] for key, kind in KINDS.items()}


class NetImpactSerializer(serializers.Serializer):
    """Every figure is computed from unrounded values (impact.reporting.NetImpact) and rounded only here."""

    assumptions = AssumptionsSerializer(help_text="The Green Book assumptions applied, exactly as set.")
    net_factor = _exact(
        "(1 − leakage) × (1 − displacement) × (1 − substitution) × multiplier × (1 − deadweight), exactly.",
        source="factor",
    )
    gross_jobs = serializers.IntegerField(help_text="Jobs created and safeguarded, as verified.")
    net_jobs = _rounded("net_jobs", "Gross jobs × net factor.")
    net_investment = _rounded("net_investment", "Investment raised × net factor.")
    net_follow_on = _rounded("net_follow_on", "Follow-on contract value × net factor.")
    cost_per_net_job = _rounded(
        "cost_per_net_job", "Prototype funding ÷ unrounded net jobs; null when there are none.", allow_null=True
    )
    benefit_cost_ratio = _rounded(
        "benefit_cost_ratio", "Verified savings ÷ prototype funding; null without funding.", allow_null=True
    )
    leverage = _rounded("leverage", "Follow-on contract value ÷ prototype funding; null without funding.",
                        allow_null=True)  # fmt: skip
    precision = PrecisionField(
        help_text="The decimal places each rounded figure above is given to (rounded half up, once, after every "
        "figure was computed from unrounded values). The assumptions and net factor are exact."
    )


class ImpactSerializer(serializers.Serializer):
    filters = ImpactQuerySerializer()
    definitions = FigureSerializer(many=True)
    figures = FigureValues()
    net = NetImpactSerializer(help_text="Net additional impact (HM Treasury Green Book additionality).")
    dimension = serializers.ChoiceField(choices=DIMENSION_CHOICES)
    breakdown = BreakdownRow(many=True)


def public_impact(query: ImpactQuerySerializer) -> dict:
    filters = query.filters()
    figures = headline(filters, public=True)
    dimension = query.validated_data.get("by") or "round"
    rows = breakdown(dimension, filters, public=True)
    return {
        "filters": query.validated_data,
        "definitions": [{"key": f.key, "label": f.label, "kind": f.kind, "help": f.help} for f in FIGURES],
        "figures": figures,
        "net": net_impact(figures, Assumptions.current()),
        "dimension": dimension,
        "breakdown": [{**row, "key": str(row["key"])} for row in rows],
    }
