"""Searching and indexing, whichever backend answers.

Reads: `search`, `autocomplete`, `similar` try Elasticsearch when it is configured and fall back to the
database (with a notice) when it fails; nothing here raises to the page. Writes: `index_documents`
always writes the database table (so the fallback is complete) and then Elasticsearch, whose errors
propagate so the Celery task retries.
"""

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from elastic_transport import TransportError
from elasticsearch import ApiError

from civtech.cache import public_content_changed

from .backends.base import Backend
from .backends.database import DatabaseBackend
from .models import Kind
from .query import MAX_PAGE, Hit, Query, Results
from .sources import Doc, count_documents, document_for, iter_documents
from .text import parse

logger = logging.getLogger(__name__)

ES_ERRORS = (TransportError, ApiError)
ES_DOWN_KEY = "discovery:elasticsearch-down"
FALLBACK_NOTICE = (
    "Search is running in a simpler mode at the moment, so results may be ordered differently. "
    "Everything published can still be found."
)


def elasticsearch_configured() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def _elasticsearch():
    # Imported only where Elasticsearch is configured: the embedded default (database search) never loads the client.
    from .backends.elastic import ElasticsearchBackend

    return ElasticsearchBackend()


T = TypeVar("T")


def _answer(call: Callable[[Backend], T]) -> tuple[T, str, str]:
    """(answer, backend name, notice): Elasticsearch when configured and up, otherwise the database."""
    if elasticsearch_configured() and not cache.get(ES_DOWN_KEY):
        try:
            return call(_elasticsearch()), "elasticsearch", ""
        except ES_ERRORS as error:
            logger.warning("Elasticsearch failed, answering from the database: %s", error)
            cache.set(ES_DOWN_KEY, True, settings.DISCOVERY_ES_RETRY_AFTER)
    notice = FALLBACK_NOTICE if elasticsearch_configured() else ""
    return call(DatabaseBackend()), "database", notice


def search(query: Query) -> Results:
    """Every word first; if nothing has them all, any of them; if still nothing, the spelling suggestion."""
    query = Query(
        text=query.text,
        filters=query.filters,
        page=min(max(query.page, 1), MAX_PAGE),
        per_page=query.per_page,
    )
    groups = parse(query.text)
    if not groups and not query.filters:
        return Results(query=query)

    def run(backend: Backend) -> Results:
        results = backend.search(query, groups)
        if groups:
            results.suggestion = backend.suggest(groups)
        if results.total == 0 and len(groups) > 1:
            any_query = Query(query.text, query.filters, query.page, query.per_page, match="any")
            found = backend.search(any_query, groups)
            if found.total:
                found.any_words, found.suggestion = True, results.suggestion
                results = found
        if results.total == 0 and results.suggestion:
            corrected = Query(results.suggestion, query.filters, 1, query.per_page)
            found = backend.search(corrected, parse(results.suggestion))
            if found.total:
                found.suggestion, found.corrected_from = results.suggestion, query.text
                results = found
        return results

    results, backend, notice = _answer(run)
    results.backend, results.notice = backend, notice
    return results


def autocomplete(prefix: str, limit: int = 8) -> list[str]:
    prefix = prefix.strip()[:100]
    if len(prefix) < 2:
        return []
    titles, _, _ = _answer(lambda backend: backend.autocomplete(prefix, limit))
    return titles


def similar(
    *,
    text: str,
    kinds: list[str],
    filters: dict | None = None,
    sector_ids: list[int] | None = None,
    exclude: list[tuple[str, int]] | None = None,
    limit: int = 5,
) -> tuple[list[Hit], str]:
    hits, _, notice = _answer(
        lambda backend: backend.similar(
            text=text,
            kinds=kinds,
            filters=filters or {},
            sector_ids=sector_ids or [],
            exclude=exclude or [],
            limit=limit,
        )
    )
    return hits, notice


# --- indexing ---------------------------------------------------------------------------------------
def index_object(*, kind: str, object_id: int) -> bool:
    """Write one object's document, or remove it when it is no longer public. True when it is indexed."""
    doc = document_for(kind, object_id)
    _apply(kind, [object_id], [doc] if doc else [])
    return doc is not None


def _apply(kind: str, object_ids: list[int], docs: list[Doc]) -> None:
    gone = sorted(set(object_ids) - {d.object_id for d in docs})
    database = DatabaseBackend()
    if docs:
        database.write(docs)
    if gone:
        database.delete(kind, gone)
    if elasticsearch_configured():
        es = _elasticsearch()
        if docs:
            es.write(docs)
        if gone:
            es.delete(kind, gone)
    public_content_changed()  # bulk writes send no signal, and /search/ pages may be cached


def rebuild(*, progress: Callable[[str, int, int], None] | None = None) -> int:
    """Rebuild the database table (one transaction) and, when configured, Elasticsearch (alias swap)."""

    kinds = list(Kind.values)
    total = sum(count_documents(kind) for kind in kinds)

    def docs() -> Iterable[Doc]:
        for kind in kinds:
            yield from iter_documents(kind)

    def report(target: str):
        return (lambda done: progress(target, done, total)) if progress else None

    written = DatabaseBackend().rebuild(docs(), report("database"))
    if elasticsearch_configured():
        _elasticsearch().rebuild(docs(), report("elasticsearch"))
        cache.delete(ES_DOWN_KEY)
    public_content_changed()
    return written
