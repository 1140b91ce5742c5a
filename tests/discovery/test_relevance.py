"""A relevance set on the demo data: what a new user would type, and what must come first.

The demo is seeded once for this module inside a transaction that is rolled back afterwards, so other
test modules still start from an empty database (tests/conftest.py: seeded_for_module).
"""

from io import StringIO

import pytest
from django.core.management import call_command

from discovery import services
from discovery.query import Query
from tests.conftest import seeded_for_module


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with seeded_for_module(django_db_blocker, "--quiet-credentials"):
        call_command("search_index", "--rebuild", stdout=StringIO())
        yield


# One worker seeds for the whole module (see seeded_for_module).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo"), pytest.mark.xdist_group("relevance")]

# query → a phrase the top result's title must contain
RELEVANCE = [
    ("hospital appointments", "missed outpatient appointments"),  # "hospital" ⇄ "outpatient" synonym
    ("wildfire", "wildfire risk on moorland"),
    ("stonework", "historic stonework"),
    ("stonwork", "historic stonework"),  # misspelling, corrected
    ("apointments", "missed outpatient appointments"),  # misspelling, corrected
    ("NHS medical supplies", "shortages of medical supplies"),
    ("local authority potholes", "predict potholes"),  # "local authority" ⇄ "council"
    ("ferry disruption", "ferries are disrupted"),
    ("electric vehicle chargers", "electric vehicle chargers"),
    ("prison housing", "leaving prison"),
    ("apprenticeships", "apprenticeships"),
    ("climate grants", "climate grants"),
]


@pytest.mark.parametrize(("text", "expected"), RELEVANCE)
def test_top_result(text, expected):
    results = services.search(Query(text=text))
    assert results.hits, f"no results for {text!r}"
    assert expected in results.hits[0].title, [h.title for h in results.hits[:3]]


def test_misspelling_offers_did_you_mean():
    results = services.search(Query(text="stonwork"))
    assert results.suggestion == "stonework" and results.corrected_from == "stonwork"


def test_solutions_are_searchable_and_show_who_else_uses_them():
    results = services.search(Query(text="stonework", filters={"type": ("solution",)}))
    assert results.total >= 1
    assert all(hit.kind == "solution" for hit in results.hits)


def test_every_facet_has_counts_for_a_broad_query():
    results = services.search(Query(text="data"))
    for facet in ("type", "sector", "sponsor", "round", "status", "funding"):
        assert results.facets[facet], facet
    assert sum(v.count for v in results.facets["type"]) == results.total


def test_nothing_private_in_the_demo_index():
    from discovery.models import SearchDocument
    from organisations.models import Organisation

    text = " ".join(SearchDocument.objects.values_list("body", flat=True))
    text += " ".join(str(d) for d in SearchDocument.objects.values_list("data", flat=True))
    for org in Organisation.objects.exclude(address=""):
        assert org.address not in text
    assert not SearchDocument.objects.filter(
        kind="company", object_id__in=Organisation.objects.public_bodies()
    ).exists()


def test_autocomplete_on_demo_titles():
    assert any("stonework" in t for t in services.autocomplete("stonew"))


def test_search_page_with_results_facets_and_did_you_mean(client):
    body = client.get("/search/", {"q": "stonwork"}).content.decode()
    assert "Showing results for <strong>stonework</strong>" in body
    assert "<mark>" in body
    assert 'name="type"' in body
