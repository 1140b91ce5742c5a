import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_clients_are_throttled_per_the_settings(anon, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": None}}
    statuses = [anon.get("/api/v1/rounds/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(anon.get("/api/v1/rounds/")["Retry-After"]) > 0


def test_pages_are_limited_and_an_offset_past_the_end_is_empty(programme, anon):
    first = anon.get("/api/v1/challenges/?limit=2").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and "offset=2" in first["next"]
    assert anon.get("/api/v1/challenges/?limit=2&offset=50").json()["results"] == []
    assert len(anon.get("/api/v1/challenges/?limit=100000").json()["results"]) == 5  # capped at max_limit


def test_filters(programme, anon):
    def ids(url):
        return [row["id"] for row in anon.get(url).json()["results"]]

    assert ids(f"/api/v1/challenges/?round={programme.open_round.pk}") == [programme.open_call.pk]
    assert ids("/api/v1/challenges/?status=open") == [programme.open_call.pk]
    assert ids("/api/v1/challenges/?round=999999") == []
    assert ids(f"/api/v1/questions/?challenge={programme.evaluated.pk}") == []
    assert {r["kind"] for r in anon.get("/api/v1/contracts/?kind=follow_on").json()["results"]} == {"follow_on"}
    assert anon.get("/api/v1/contracts/?kind=private").status_code == 400
    assert anon.get("/api/v1/challenges/?status=nonsense").status_code == 400
    impact = anon.get(f"/api/v1/impact/?round={programme.exploration.round_id}&by=region").json()
    assert impact["dimension"] == "region" and impact["figures"]["exploration_teams"] == 2
    assert anon.get("/api/v1/impact/?region=mars").status_code == 400


def test_schema_and_docs_are_served(anon):
    schema = anon.get("/api/schema/?format=json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/ocds/releases.json" in schema["paths"]
    assert not [p for p in schema["paths"] if not p.startswith("/api/v1/")]
    docs = anon.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "<script>" not in html and "<style" not in html  # strict CSP: no inline code
    script = anon.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
