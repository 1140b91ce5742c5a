"""Public impact figures for the API and the CSV downloads: the same verified-only functions as the public impact
page (impact.reporting with public=True), with the same filters (round, year, sponsor, region)."""

from rest_framework import serializers

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


class NetImpactSerializer(serializers.Serializer):
    net_factor = serializers.DecimalField(max_digits=8, decimal_places=4, source="factor")
    net_jobs = serializers.DecimalField(max_digits=12, decimal_places=1)
    net_investment = serializers.DecimalField(max_digits=18, decimal_places=0)
    net_follow_on = serializers.DecimalField(max_digits=18, decimal_places=0)
    cost_per_net_job = serializers.DecimalField(max_digits=18, decimal_places=0, allow_null=True)
    benefit_cost_ratio = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    leverage = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)


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
