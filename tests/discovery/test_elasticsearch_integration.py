"""Against a real Elasticsearch 8 (docker compose's `elasticsearch` service): skipped without ELASTICSEARCH_URL."""

import os
import uuid

import pytest

from discovery import services
from discovery.query import Query
from tests.factories import make_challenge, make_sector

from .conftest import rebuild

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("ELASTICSEARCH_URL"),
        reason="needs a real Elasticsearch: set ELASTICSEARCH_URL (e.g. docker compose up elasticsearch)",
    ),
]


@pytest.fixture
def es(settings):
    settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
    settings.DISCOVERY_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:8]}"
    yield
    from discovery.backends.elastic import client

    client().indices.delete(index=f"{settings.DISCOVERY_INDEX_PREFIX}-*", ignore_unavailable=True)


def test_rebuild_swaps_aliases_and_searches_with_synonyms_facets_and_highlight(es, settings):
    from discovery.backends.elastic import client
    from discovery.documents import alias_name

    health = make_sector("Health and social care")
    make_challenge(title="Support for health boards", summary="Help health boards plan.", sectors=[health])
    make_challenge(title="Monitor historic stonework", summary="Decay in stonework.")
    rebuild()
    first = set(client().indices.get_alias(name=alias_name("challenge")))
    rebuild()
    second = set(client().indices.get_alias(name=alias_name("challenge")))
    assert len(second) == 1 and first != second  # swapped, and the old index deleted
    assert not client().indices.exists(index=",".join(first))

    results = services.search(Query(text="NHS"))
    assert results.backend == "elasticsearch"
    assert [h.title for h in results.hits] == ["Support for health boards"]
    assert "<mark>" in results.hits[0].snippet
    assert {f.label: f.count for f in results.facets["sector"]} == {"Health and social care": 1}
    assert services.search(Query(text="stonwork")).suggestion == "stonework"
    assert "Monitor historic stonework" in services.autocomplete("stone")


def test_publish_indexes_on_commit(es, django_capture_on_commit_callbacks):
    rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        page = make_challenge(title="Seaweed farming")
    assert [h.title for h in services.search(Query(text="seaweed")).hits] == ["Seaweed farming"]
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert services.search(Query(text="seaweed")).total == 0
