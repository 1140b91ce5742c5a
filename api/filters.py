"""Query-string filters for the public lists. Ids are plain numbers (an unknown id matches nothing rather than
being a 400), choices are validated, so every value the OpenAPI schema allows gives a 200."""

import django_filters as filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from challenges.models import ChallengePage, Clarification
from challenges.status import Status, status_filter
from ledger.models import Contract
from organisations.models import Organisation, Region
from sprints.models import Engagement

from .serializers import PUBLIC_CONTRACT_KINDS


class StrictBooleanField(forms.NullBooleanField):
    """Only "true" or "false": django-filter's boolean widget turns anything else into "no filter", which would
    answer a typo with every row."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("Enter true or false.")

    def validate(self, value):
        return None


class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


# Ids are whole numbers within the database's integer range: anything else is a 400, never a query that overflows.
MAX_ID = 2**31 - 1


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_ID})
class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


SLUG = r"^[-a-zA-Z0-9_]*$"


@extend_schema_field({"type": "string", "pattern": SLUG})
class SlugFilter(filters.CharFilter):
    """A slug: letters, digits, hyphens and underscores (anything else is a 400, said in the schema)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [RegexValidator(SLUG, "Enter a slug: letters, digits, - and _.")])
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """A number, date, choice or true/false sent empty is a 400 (django-filter would ignore it, answering a
    mistake with every row). Text filters may be empty: an empty slug is still text."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        blank = [name for name, f in self.filters.items()
                 if not isinstance(f, filters.CharFilter) and self.data.get(name) == ""]  # fmt: skip
        for name in blank:
            self.form.add_error(name, "This may not be blank.")
        return valid and not blank


class ChallengeFilter(FilterSet):
    round = IdFilter(field_name="round_id", help_text="A round's id.")
    sponsor = SlugFilter(field_name="sponsor__slug", help_text="The sponsoring public body's slug.")
    sector = SlugFilter(field_name="sectors__slug", distinct=True, help_text="A sector's slug.")
    status = filters.ChoiceFilter(choices=Status.choices, method="filter_status")

    class Meta:
        model = ChallengePage
        fields = ["round", "sponsor", "sector", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status_filter(value, timezone.now()))


class QuestionFilter(FilterSet):
    challenge = IdFilter(field_name="challenge_id", help_text="A challenge's id.")
    round = IdFilter(field_name="challenge__round_id", help_text="A round's id.")

    class Meta:
        model = Clarification
        fields = ["challenge", "round"]


class CompanyFilter(FilterSet):
    region = filters.ChoiceFilter(choices=Region.choices)
    sector = SlugFilter(field_name="sectors__slug", distinct=True, help_text="A sector's slug.")
    is_sme = BooleanFilter(method="filter_sme", help_text="Small or medium-sized (where known).")

    class Meta:
        model = Organisation
        fields = ["region", "sector", "is_sme"]

    def filter_sme(self, queryset, name, value):
        smes = Q(pk__in=Organisation.objects.smes())
        known = Q(employees__isnull=False, turnover__isnull=False)
        return queryset.filter(smes) if value else queryset.filter(known).exclude(smes)


class SolutionFilter(FilterSet):
    round = IdFilter(field_name="application__challenge__round_id", help_text="A round's id.")
    sponsor = SlugFilter(field_name="application__challenge__sponsor__slug", help_text="Sponsor's slug.")
    outcome = filters.ChoiceFilter(choices=Engagement.Outcome.choices)

    class Meta:
        model = Engagement
        fields = ["round", "sponsor", "outcome"]


class ContractFilter(FilterSet):
    kind = filters.ChoiceFilter(choices=PUBLIC_CONTRACT_KINDS)
    challenge = IdFilter(field_name="challenge_id", help_text="A challenge's id.")
    round = IdFilter(field_name="challenge__round_id", help_text="A round's id.")
    buyer = SlugFilter(field_name="buyer__slug", help_text="The buyer's slug.")
    supplier = SlugFilter(field_name="supplier__slug", help_text="The supplier's slug.")
    awarded_after = filters.DateFilter(field_name="awarded_on", lookup_expr="gte")
    awarded_before = filters.DateFilter(field_name="awarded_on", lookup_expr="lte")

    class Meta:
        model = Contract
        fields = ["kind", "challenge", "round", "buyer", "supplier", "awarded_after", "awarded_before"]
