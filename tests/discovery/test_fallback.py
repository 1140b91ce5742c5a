"""Elasticsearch configured but down: a real refused connection (nothing listens on the port), not a mock."""

import socket

import pytest
from django.core.cache import cache

from discovery import services, tasks
from discovery.query import Query
from discovery.services import ES_DOWN_KEY, ES_ERRORS
from tests.factories import make_challenge

from .conftest import rebuild

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on exit: connecting is refused


@pytest.fixture
def elasticsearch_down(settings):
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{unused_port()}"
    return settings.ELASTICSEARCH_URL


@pytest.fixture
def indexed(settings):
    make_challenge(title="Detect wildfire risk on moorland")
    rebuild()  # while Elasticsearch is not configured: the database table only


def test_search_falls_back_to_the_database_with_a_notice(indexed, elasticsearch_down, client):
    results = services.search(Query(text="wildfire"))
    assert results.backend == "database"
    assert results.notice == services.FALLBACK_NOTICE
    assert [h.title for h in results.hits] == ["Detect wildfire risk on moorland"]
    assert cache.get(ES_DOWN_KEY)  # the next searches skip the dead server for a while

    response = client.get("/search/", {"q": "wildfire"})
    assert response.status_code == 200
    assert b"simpler mode" in response.content
    assert b"Detect wildfire risk on moorland" in response.content


def test_autocomplete_and_similar_fall_back(indexed, elasticsearch_down, client):
    assert services.autocomplete("wildf") == ["Detect wildfire risk on moorland"]
    hits, notice = services.similar(text="moorland wildfire", kinds=["challenge"])
    assert [h.title for h in hits] == ["Detect wildfire risk on moorland"] and notice
    assert client.get("/search/autocomplete/", {"q": "moor"}).status_code == 200


def test_indexing_writes_the_database_then_raises_so_the_task_retries(
    elasticsearch_down, django_capture_on_commit_callbacks
):
    page = make_challenge(title="Peatland restoration")
    with pytest.raises(ES_ERRORS):
        services.index_object(kind="challenge", object_id=page.pk)
    # The fallback already has it.
    assert services.search(Query(text="peatland")).total == 1
    assert tasks.index_document.autoretry_for == tasks.RETRY["autoretry_for"]
    assert any(issubclass(e, tasks.RETRY["autoretry_for"]) for e in ES_ERRORS)


def test_publishing_while_elasticsearch_is_down_never_fails_the_request(
    elasticsearch_down, django_capture_on_commit_callbacks
):
    """Eager Celery runs the task in the on-commit callback and it fails on Elasticsearch; the enqueue helper
    logs that (a worker would retry with backoff) and the publish stands, already searchable in the database."""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = make_challenge(title="Island ferries")
    assert callbacks and page.live
    assert services.search(Query(text="ferries")).total == 1


def test_rebuild_command_reports_elasticsearch_failure_after_database_rebuild(elasticsearch_down):
    from django.core.management import CommandError, call_command

    make_challenge(title="Coastal erosion")
    with pytest.raises(CommandError, match="database search table was rebuilt"):
        call_command("search_index", "--rebuild", stdout=__import__("io").StringIO())
    assert services.search(Query(text="erosion")).total == 1
