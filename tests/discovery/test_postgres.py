"""PostgreSQL-only parts of the database backend: the GIN index, pg_trgm "did you mean", stored vectors."""

import pytest
from django.db import connection

from discovery import services
from discovery.backends.database import _has_trigram
from discovery.models import SearchDocument
from discovery.query import Query
from tests.factories import make_challenge

from .conftest import needs_postgres, rebuild

pytestmark = [pytest.mark.django_db, needs_postgres]


def test_indexes_and_extension_exist():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('discovery_searchdocument', 'discovery_searchterm')"
        )
        names = {row[0] for row in cursor.fetchall()}
    assert "discovery_search_vector_gin" in names
    assert "discovery_term_trgm" in names
    assert _has_trigram()


def test_vector_is_stored_and_weighted():
    page = make_challenge(title="Wave energy", summary="Buoys at sea.")
    rebuild()
    vector = SearchDocument.objects.get(kind="challenge", object_id=page.pk).search_vector
    assert "'wave':1A" in vector and "'buoy'" in vector


def test_trigram_did_you_mean():
    make_challenge(title="Monitor historic stonework")
    rebuild()
    results = services.search(Query(text="histroic stonework"))
    assert results.suggestion == "historic stonework"
    assert results.total == 1  # "stonework" alone matched: any-words results, with the suggestion offered
