"""`/healthz`: the state of every dependency, for load balancers and people on call.

200 whenever the database answers (the site can serve); any other dependency that is down is reported
as "degraded" in the body rather than hidden or allowed to fail the whole check.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "vendor": connection.vendor}


def check_cache() -> dict:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just written")
    return {"status": "ok", "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_broker() -> dict:
    if not settings.CELERY_BROKER_URL:
        return {"status": "ok", "mode": "eager"}
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"status": "ok", "mode": "broker"}


def check_search() -> dict:
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    if not backend.endswith("elasticsearch8"):
        return {"status": "ok", "backend": "database"}
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=2, max_retries=0, retry_on_timeout=False)
    if not client.ping():
        raise RuntimeError("Elasticsearch did not answer a ping")
    return {"status": "ok", "backend": "elasticsearch"}


CHECKS: dict[str, Callable[[], dict]] = {
    "database": check_database,
    "cache": check_cache,
    "broker": check_broker,
    "search": check_search,
}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:  # noqa: BLE001 - a failing dependency is reported, never raised
            results[name] = {"status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    return results


@never_cache
@require_GET
def healthz(request):
    results = run_checks()
    database_up = results["database"]["status"] == "ok"
    all_up = all(r["status"] == "ok" for r in results.values())
    overall = "ok" if all_up else ("degraded" if database_up else "down")
    return JsonResponse({"status": overall, "checks": results}, status=200 if database_up else 503)
