"""What the public impact page and the staff dashboard show, from the reporting selectors and a filter form."""

from typing import cast

from django import forms

from challenges.models import Round
from challenges.selectors import on_public_challenge
from organisations.models import Organisation, Region

from .models import Assumptions, Export
from .reporting import DIMENSIONS, FIGURES, Filters, breakdown, headline, net_impact, quality_flags


class ReportFilterForm(forms.Form):
    """Narrow every figure. Unknown values are reported on the form, never a server error."""

    round = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    year = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sponsor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(required=False, choices=[("", "All regions"), *Region.choices])
    by = forms.ChoiceField(label="Break down by", required=False, choices=list(DIMENSIONS.items()))

    def __init__(self, *args, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = list(Round.objects.order_by("-call_opens").values_list("pk", "name", "call_opens"))
        cast(forms.ChoiceField, self.fields["round"]).choices = [("", "All rounds")] + [
            (pk, name) for pk, name, _ in rounds
        ]
        years = sorted({opens.year for *_, opens in rounds}, reverse=True)
        cast(forms.ChoiceField, self.fields["year"]).choices = [("", "All years")] + [(y, str(y)) for y in years]
        sponsors = Organisation.objects.public_bodies().filter(challenges__isnull=False)
        if public:  # a sponsor whose challenges are all drafts or restricted is not named on the public page
            sponsors = sponsors.filter(on_public_challenge("challenges"))
        sponsors = sponsors.distinct()
        cast(forms.ChoiceField, self.fields["sponsor"]).choices = [("", "All sponsors")] + list(
            sponsors.values_list("pk", "name")
        )

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(round=data["round"], year=data["year"], sponsor=data["sponsor"], region=data["region"] or None)

    def dimension(self) -> str:
        return (self.is_valid() and self.cleaned_data["by"]) or "round"


def report_context(params, *, public: bool) -> dict:
    form = ReportFilterForm(params or None, public=public)
    filters = form.filters() if params else Filters()
    dimension = form.dimension() if params else "round"
    figures = headline(filters, public=public)
    rows = breakdown(dimension, filters, public=public)
    for row in rows:
        row["cells"] = [(row[f.key], f.kind) for f in FIGURES]
    context = {
        "filter_form": form,
        "filters": filters,
        "figures": [(f, figures[f.key]) for f in FIGURES],
        "figure_values": figures,
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension],
        "rows": rows,
        "columns": FIGURES,
        "net": net_impact(figures, Assumptions.current()),
        "chart": {
            "labels": [r["label"] for r in rows],
            "series": [
                {"label": "Prototype funding (£)", "data": [float(r["prototype_funding"]) for r in rows]},
                {"label": "Follow-on contract value (£)", "data": [float(r["follow_on_value"]) for r in rows]},
            ],
        },
        "jobs_chart": {
            "labels": [r["label"] for r in rows],
            "series": [
                {"label": "Jobs created", "data": [r["jobs_created"] for r in rows]},
                {"label": "Jobs safeguarded", "data": [r["jobs_safeguarded"] for r in rows]},
            ],
        },
    }
    if not public:
        context["flags"] = quality_flags(filters)
        context["filters_items"] = [(k, v) for k, v in vars(filters).items() if v]
        context["export_kinds"] = [
            (k, label) for k, label in Export.Kind.choices if k.startswith("figures") or k == Export.Kind.ANNUAL_PDF
        ]
        context["record_export_kinds"] = [(k, label) for k, label in Export.Kind.choices if k.startswith("records")]
    return context
