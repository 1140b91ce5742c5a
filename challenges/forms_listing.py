"""The filter form on the public challenge listing (`/challenges/`).

It is a GET form that works without JavaScript. Filter values come from links people share and
bookmark, so a value we no longer recognise (a round with no published challenges, a mistyped
status) is never an error page: the form drops it and says so (`ignored`), and the listing shows
what it would have shown without it.
"""

import logging

from django import forms
from django.core.cache import cache
from django.forms.utils import ErrorDict
from django.http import QueryDict

from civtech.cache import current_version
from organisations.models import Organisation

from .models import Round, Sector
from .status import Status

SORT_SOONEST = "closing"
SORT_LATEST = "latest"
SORT_CHOICES = [(SORT_SOONEST, "Closing date (soonest first)"), (SORT_LATEST, "Closing date (latest first)")]
FILTER_FIELDS = ["round", "sponsor", "sector", "status"]
Q_MAX_LENGTH = 200
logger = logging.getLogger(__name__)


def _filter_choices(live_challenges) -> dict[str, list[tuple[str, str]]]:
    """The rounds, sponsors and sectors that have a published challenge, as (slug, name) pairs.

    They change only with public content, so they are kept in the shared cache under the public content version
    (`civtech.cache`: every publish and every change to a round, sponsor or sector bumps it); a cache outage only
    means asking the database."""

    def ask() -> dict[str, list[tuple[str, str]]]:
        pks = live_challenges.values("pk")
        rounds = Round.objects.filter(challenges__in=pks).distinct().order_by("-call_opens")
        sponsors = Organisation.objects.filter(challenges__in=pks).distinct().order_by("name")
        sectors = Sector.objects.filter(challenges__in=pks).distinct().order_by("name")
        return {
            "round": list(rounds.values_list("slug", "name")),
            "sponsor": list(sponsors.values_list("slug", "name")),
            "sector": list(sectors.values_list("slug", "name")),
        }

    try:
        return cache.get_or_set(f"challenge-filter-choices:{current_version()}", ask, 60 * 60)
    except Exception:  # the cache is an optimisation
        logger.warning("Challenge filter choices cache unavailable", exc_info=True)
        return ask()


class ChallengeFilterForm(forms.Form):
    q = forms.CharField(label="Search challenges", required=False)
    round = forms.ChoiceField(label="Round", required=False)
    sponsor = forms.ChoiceField(label="Sponsor", required=False)
    sector = forms.ChoiceField(label="Sector", required=False)
    status = forms.ChoiceField(label="Status", required=False, widget=forms.RadioSelect)
    sort = forms.ChoiceField(label="Sort by", required=False, choices=SORT_CHOICES)

    # What a dropped value was, for the message: {field name: (label, what we show instead)}.
    IGNORED_TEXT = {
        "q": ("search", "every challenge"),
        "round": ("round", "every round"),
        "sponsor": ("sponsor", "every sponsor"),
        "sector": ("sector", "every sector"),
        "status": ("status", "every status"),
        "sort": ("sort order", "the soonest closing date first"),
    }

    def __init__(self, data: QueryDict, *, live_challenges):
        """`live_challenges`: the published challenges the filter choices are drawn from.

        Three queries (rounds, sponsors, sectors), whatever the number of challenges, and none while the public
        content is unchanged (`_filter_choices`).
        """
        super().__init__(data, auto_id="filter-%s")
        choices = _filter_choices(live_challenges)
        self.fields["round"].choices = [("", "All rounds"), *choices["round"]]
        self.fields["sponsor"].choices = [("", "All sponsors"), *choices["sponsor"]]
        self.fields["sector"].choices = [("", "All sectors"), *choices["sector"]]
        self.fields["q"].widget.input_type = "search"
        self.set_status_counts(None)
        self.ignored: list[str] = []
        self.is_valid()
        for name in list(self.errors):
            label, instead = self.IGNORED_TEXT.get(name, ("value", "everything"))
            value = "".join(c for c in self.data.get(name, "") if c.isprintable())
            if len(value) > 40:
                value = value[:40] + "…"
            self.ignored.append(f"We did not recognise the {label} “{value}”, so we are showing {instead}.")
            self.cleaned_data[name] = ""
        # Show the form as it is applied: unrecognised values gone, and no error styling.
        self._errors = ErrorDict()
        self.data = self.cleaned_params()
        self.data.setdefault("status", "")  # so "Any status" shows as chosen

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())[:Q_MAX_LENGTH]

    def set_status_counts(self, counts: dict[str, int] | None, total: int | None = None) -> None:
        """Put each status's count in its option's label, e.g. "Open for applications (12)"."""

        def label(text, n):
            return text if n is None else f"{text} ({n})"

        counts = counts or {}
        self.fields["status"].choices = [
            ("", label("Any status", total)),
            *((status.value, label(status.label, counts.get(status.value))) for status in Status),
        ]

    def value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "").strip() if hasattr(self, "cleaned_data") else ""

    @property
    def sort_order(self) -> str:
        return self.value("sort") or SORT_SOONEST

    @property
    def has_filters(self) -> bool:
        return any(self.value(name) for name in [*FILTER_FIELDS, "q"])

    def cleaned_params(self) -> QueryDict:
        """The recognised, non-empty values as a query string (for pagination links)."""
        params = QueryDict(mutable=True)
        for name in ["q", *FILTER_FIELDS, "sort"]:
            if self.value(name):
                params[name] = self.value(name)
        return params
