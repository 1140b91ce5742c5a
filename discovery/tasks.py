"""Indexing tasks: take ids, call services, retry with backoff (Elasticsearch may be briefly down)."""

from celery import shared_task
from elastic_transport import TransportError
from elasticsearch import ApiError

from . import services
from .dependents import documents_for_change

# Waits of up to 5, 10 … 160 s, then 180 s (about 23 minutes in all). A worker holds a task through its countdown:
# countdown plus time limit must stay within the broker's visibility timeout (CELERY_VISIBILITY_TIMEOUT, 300 s), or the
# broker hands the waiting task to a second worker (tests/test_celery.py checks).
RETRY = {
    "autoretry_for": (TransportError, ApiError, ConnectionError),
    "retry_backoff": 5,
    "retry_backoff_max": 180,
    "retry_jitter": True,
    "max_retries": 11,
    "time_limit": 60,
    "soft_time_limit": 50,
}


@shared_task(**RETRY)
def reindex_for_change(label: str, pk: int) -> int:
    """Refresh every document a change to `label`/`pk` touches; returns how many are now indexed."""
    return sum(
        services.index_object(kind=kind, object_id=object_id) for kind, object_id in documents_for_change(label, pk)
    )


@shared_task(**RETRY)
def index_document(kind: str, object_id: int) -> bool:
    return services.index_object(kind=kind, object_id=object_id)
