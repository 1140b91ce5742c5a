import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_every_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker", "search"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["status"] in {"ok", "degraded"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_an_unreachable_broker_is_reported_as_degraded_not_hidden(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200  # the site still serves
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["broker"]["error"]


def test_an_unreachable_search_server_is_reported(client, settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:1"
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.elasticsearch8"}}
    body = client.get("/healthz").json()
    assert body["checks"]["search"]["status"] == "down"
    assert body["status"] == "degraded"


def test_healthz_answers_get_only(client):
    assert client.post("/healthz").status_code == 405
