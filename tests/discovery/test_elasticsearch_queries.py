"""Mappings and request bodies, as dicts: no Elasticsearch server needed."""

from datetime import UTC, datetime

from discovery.backends.elastic import build_autocomplete, build_search, build_similar, build_suggest, status_query
from discovery.documents import alias_name, completion_inputs, index_for
from discovery.query import Query
from discovery.text import MARK_START, parse

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)


def test_mapping_has_english_analysis_synonyms_and_completion(settings):
    settings.DISCOVERY_INDEX_PREFIX = "t"
    body = index_for("t-challenges-1").to_dict()
    analysis = body["settings"]["analysis"]
    assert analysis["filter"]["civtech_stemmer"] == {"type": "stemmer", "language": "english"}
    synonyms = analysis["filter"]["civtech_synonyms"]
    assert synonyms["type"] == "synonym_graph"
    assert "nhs, health, healthcare, health board" in synonyms["synonyms"]
    assert "council, local authority, local government" in synonyms["synonyms"]
    # Synonyms expand queries only (synonym_graph cannot be used at index time).
    assert "civtech_synonyms" in analysis["analyzer"]["civtech_english_search"]["filter"]
    assert "civtech_synonyms" not in analysis["analyzer"]["civtech_english"]["filter"]
    props = body["mappings"]["properties"]
    assert props["title"]["analyzer"] == "civtech_english"
    assert props["title"]["search_analyzer"] == "civtech_english_search"
    assert props["suggest"]["type"] == "completion"
    assert props["sector_facet"]["type"] == "keyword"
    assert props["data"] == {"type": "object", "enabled": False}
    assert alias_name("challenge") == "t-challenges"
    assert alias_name("company") == "t-companies" and alias_name("news") == "t-news"


def test_search_body_all_words_with_facets_highlight_and_page():
    query = Query(text="NHS appointments", filters={"sector": ("3",), "status": ("open",)}, page=2)
    body = build_search(query, parse(query.text), NOW, indices=["x"]).to_dict()
    must = body["query"]["bool"]["must"]
    assert len(must) == 2
    nhs = [c["multi_match"]["query"] for c in must[0]["bool"]["should"]]
    assert nhs == ["nhs", "health", "healthcare", "health board"]
    assert must[0]["bool"]["should"][3]["multi_match"]["type"] == "phrase"
    assert body["from"] == 10 and body["size"] == 10
    assert body["highlight"]["pre_tags"] == [MARK_START]
    # Filters apply to hits as a post filter; each facet counts with the *other* facets' filters.
    post = body["post_filter"]["bool"]["filter"]
    assert {"terms": {"sector_id": [3]}} in post
    sector_scope = body["aggs"]["sector"]["filter"]["bool"]["filter"]
    assert {"terms": {"sector_id": [3]}} not in sector_scope
    assert len(sector_scope) == 1  # only the status filter
    assert body["aggs"]["sector"]["aggs"]["values"]["terms"]["field"] == "sector_facet"
    assert set(body["aggs"]["status"]["aggs"]["values"]["filters"]["filters"]) == {
        "upcoming",
        "open",
        "closed",
        "exploration",
        "accelerator",
        "completed",
    }
    assert body["track_total_hits"] is True


def test_any_words_is_a_should_query():
    query = Query(text="stonework drones", match="any")
    body = build_search(query, parse(query.text), NOW, indices=["x"]).to_dict()
    assert body["query"]["bool"]["minimum_should_match"] == 1
    assert len(body["query"]["bool"]["should"]) == 2


def test_browsing_without_words_sorts_newest_first():
    body = build_search(Query(filters={"type": ("news",)}), [], NOW, indices=["x"]).to_dict()
    assert "query" not in body
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}


def test_status_query_mirrors_the_database_rule():
    assert status_query("open", NOW).to_dict() == {
        "bool": {
            "must": [
                {"range": {"call_closes": {"gt": NOW.isoformat()}}},
                {"range": {"call_opens": {"lte": NOW.isoformat()}}},
            ],
            "must_not": [{"range": {"stopped_at": {"lte": NOW.isoformat()}}}],
        }
    }
    completed = status_query("completed", NOW).to_dict()["bool"]["should"]
    assert {"range": {"accelerator_end": {"lte": NOW.isoformat()}}} in completed


def test_suggest_autocomplete_and_more_like_this_bodies():
    assert build_suggest("stonwork", ["x"]).to_dict()["suggest"]["spelling"]["term"]["field"] == "spell"
    completion = build_autocomplete("Hosp", 5, ["x"]).to_dict()["suggest"]["titles"]
    assert completion == {"prefix": "hosp", "completion": {"field": "suggest", "size": 5, "skip_duplicates": True}}
    similar = build_similar(
        text="stone decay",
        kinds=["challenge"],
        filters={"status": ("open",)},
        sector_ids=[4],
        exclude=[("challenge", 9)],
        limit=3,
        now=NOW,
    ).to_dict()
    assert similar["query"]["bool"]["should"][0]["more_like_this"]["like"] == "stone decay"
    assert similar["query"]["bool"]["must_not"] == [{"ids": {"values": ["challenge-9"]}}]
    assert similar["size"] == 3


def test_completion_inputs_start_at_every_word():
    assert completion_inputs("Reduce missed hospital appointments")[:3] == [
        "reduce missed hospital appointments",
        "missed hospital appointments",
        "hospital appointments",
    ]
