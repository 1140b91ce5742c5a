"""Search on Elasticsearch 8. The request bodies are built by pure functions (tested without a server)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import bulk
from elasticsearch_dsl import A, Q, Search

from challenges.status import BOUNDARIES, Status
from organisations.models import Region

from ..documents import alias_name, all_aliases, es_id, es_source, index_for, new_index_name
from ..models import FundingBand, Kind
from ..query import CHOICE_FACETS, FACETS, FacetValue, Hit, Query, Results
from ..sources import Doc
from ..text import MARK_END, MARK_START, Group, highlight_html

TEXT_FIELDS = ["title^4", "summary^2", "keywords^2", "body"]
FACET_FIELDS = {
    "type": "kind",
    "sector": "sector_facet",
    "sponsor": "sponsor_facet",
    "round": "round_facet",
    "region": "region",
    "funding": "funding_band",
}
ID_FILTER_FIELDS = {"sector": "sector_id", "sponsor": "sponsor_id", "round": "round_id"}
LABELS = {"type": dict(Kind.choices), "region": dict(Region.choices), "funding": dict(FundingBand.choices)}
HIT_SOURCE = ["kind", "object_id", "title", "url", "summary", "sponsor_facet", "round_facet", "sector_facet", "data"]

_clients: dict[str, Elasticsearch] = {}


def client() -> Elasticsearch:
    """No retries and a short timeout: a dead server must fail fast so the database can answer."""
    url = settings.ELASTICSEARCH_URL
    if url not in _clients:
        _clients[url] = Elasticsearch(url, request_timeout=3, max_retries=0, retry_on_timeout=False)
    return _clients[url]


# --- query construction ---------------------------------------------------------------------------
def text_query(groups: list[Group], match: str) -> Q:
    def alternative(term: str) -> Q:
        kind = "phrase" if " " in term else "best_fields"
        return Q("multi_match", query=term, fields=TEXT_FIELDS, type=kind)

    clauses = [Q("bool", should=[alternative(a) for a in g.alternatives], minimum_should_match=1) for g in groups]
    if match == "all":
        return Q("bool", must=clauses)
    return Q("bool", should=clauses, minimum_should_match=1)


def status_query(status: str, now: datetime) -> Q:
    """The same rule as challenges.status.status_filter, on the indexed round dates."""
    iso = now.isoformat()
    stopped = Q("range", stopped_at={"lte": iso})
    if status == Status.COMPLETED:
        return Q("bool", should=[stopped, Q("range", accelerator_end={"lte": iso})], minimum_should_match=1)
    fields = [f for _, f in BOUNDARIES]
    index = [s for s, _ in BOUNDARIES].index(Status(status))
    start, end = fields[index], fields[index + 1]
    must = [Q("range", **{end: {"gt": iso}})]
    if start:
        must.append(Q("range", **{start: {"lte": iso}}))
    return Q("bool", must=must, must_not=[stopped])


def filter_clause(name: str, values: tuple[str, ...], now: datetime) -> Q | None:
    if not values:
        return None
    if name in ID_FILTER_FIELDS:
        ids = [int(v) for v in values if str(v).isdigit()]
        return Q("terms", **{ID_FILTER_FIELDS[name]: ids})
    if name == "status":
        valid = [v for v in values if v in Status.values]
        return Q("bool", should=[status_query(v, now) for v in valid], minimum_should_match=1)
    if name in FACET_FIELDS:
        return Q("terms", **{FACET_FIELDS[name]: list(values)})
    return None


def _filters(filters: dict[str, tuple[str, ...]], now: datetime, skip: str | None = None) -> list[Q]:
    return [c for name, values in filters.items() if name != skip and (c := filter_clause(name, values, now))]


def build_search(query: Query, groups: list[Group], now: datetime, indices: list[str] | None = None) -> Search:
    """The whole request: text, filters as a post filter, facets (each ignoring its own filter), highlight, page."""
    s = Search(index=indices or all_aliases()).extra(track_total_hits=True).source(HIT_SOURCE)
    if groups:
        s = s.query(text_query(groups, query.match))
    else:
        s = s.sort({"published_at": {"order": "desc", "missing": "_last"}}, {"title.raw": "asc"})
    if filters := _filters(query.filters, now):
        s = s.post_filter(Q("bool", filter=filters))
    for facet in FACETS:
        scope = A("filter", Q("bool", filter=_filters(query.filters, now, skip=facet)))
        if facet == "status":
            scope.bucket(
                "values",
                "filters",
                filters={
                    st.value: Q("bool", filter=[Q("term", kind=Kind.CHALLENGE), status_query(st, now)]) for st in Status
                },
            )
        else:
            scope.bucket("values", "terms", field=FACET_FIELDS[facet], size=50)
        s.aggs.bucket(facet, scope)
    s = s.highlight("summary", "body", fragment_size=160, number_of_fragments=2)
    s = s.highlight_options(pre_tags=[MARK_START], post_tags=[MARK_END], encoder="default")
    return s[query.offset : query.offset + query.per_page]


def build_suggest(text: str, indices: list[str] | None = None) -> Search:
    return Search(index=indices or all_aliases()).suggest(
        "spelling", text, term={"field": "spell", "suggest_mode": "missing", "min_word_length": 4, "max_edits": 2}
    )[0:0]


def build_autocomplete(prefix: str, limit: int, indices: list[str] | None = None) -> Search:
    return (
        Search(index=indices or all_aliases())
        .source(["title"])
        .suggest("titles", prefix.lower(), completion={"field": "suggest", "size": limit, "skip_duplicates": True})[0:0]
    )


def build_similar(*, text, kinds, filters, sector_ids, exclude, limit, now) -> Search:
    like = Q(
        "more_like_this",
        fields=["title", "summary", "body", "keywords"],
        like=text,
        min_term_freq=1,
        min_doc_freq=1,
        max_query_terms=25,
    )
    should = [like]
    if sector_ids:
        should.append(Q("terms", sector_id=sector_ids, boost=0.5))
    query = Q(
        "bool",
        should=should,
        minimum_should_match=1,
        filter=_filters(filters, now),
        must_not=[Q("ids", values=[es_id(k, pk) for k, pk in exclude])] if exclude else [],
    )
    return Search(index=[alias_name(k) for k in kinds]).query(query).source(HIT_SOURCE)[:limit]


# --- reading responses ----------------------------------------------------------------------------
def _split(value: str | None) -> tuple[str, str]:
    key, _, label = (value or "").partition("|")
    return key, label


def _hit(hit) -> Hit:
    source = hit.to_dict()
    highlight = getattr(hit.meta, "highlight", None)
    fragments = [*getattr(highlight, "summary", []), *getattr(highlight, "body", [])] if highlight else []
    return Hit(
        kind=source["kind"],
        object_id=source["object_id"],
        title=source["title"],
        url=source["url"],
        snippet=highlight_html(" … ".join(fragments[:2]) if fragments else (source.get("summary") or "")[:300]),
        sponsor_name=_split(source.get("sponsor_facet"))[1],
        round_name=_split(source.get("round_facet"))[1],
        sectors=sorted(_split(v)[1] for v in source.get("sector_facet") or []),
        data=source.get("data") or {},
        score=hit.meta.score or 0.0,
    )


def _facets(aggs, query: Query) -> dict[str, list[FacetValue]]:
    facets = {}
    for facet in FACETS:
        selected = set(query.filters.get(facet, ()))
        buckets = aggs[facet]["values"]["buckets"]
        values = []
        if facet == "status":
            for st in Status:
                count = buckets[st.value]["doc_count"]
                values.append(FacetValue(st.value, st.label, count, st.value in selected))
        else:
            for bucket in buckets:
                key = str(bucket["key"])
                if facet in LABELS:
                    value, label = key, LABELS[facet].get(key, key)
                else:
                    value, label = _split(key)
                values.append(FacetValue(value, label, bucket["doc_count"], value in selected))
            if facet in CHOICE_FACETS:
                order = list(LABELS[facet])
                values.sort(key=lambda v: order.index(v.value) if v.value in order else len(order))
        facets[facet] = [v for v in values if v.count or v.selected]
    return facets


class ElasticsearchBackend:
    name = "elasticsearch"

    def search(self, query: Query, groups: list[Group]) -> Results:
        response = build_search(query, groups, timezone.now()).using(client()).execute()
        return Results(
            query=query,
            hits=[_hit(h) for h in response.hits],
            total=response.hits.total.value,
            facets=_facets(response.aggs.to_dict(), query),
            backend=self.name,
        )

    def suggest(self, groups: list[Group]) -> str:
        typed = [g.typed for g in groups]
        response = build_suggest(" ".join(typed)).using(client()).execute()
        replacements = {
            entry.text: entry.options[0].text for entry in response.suggest.spelling if len(entry.options) > 0
        }
        if not replacements:
            return ""
        return " ".join(" ".join(replacements.get(w, w) for w in term.split()) for term in typed)

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        response = build_autocomplete(prefix, limit).using(client()).execute()
        titles = [option._source.title for option in response.suggest.titles[0].options]
        return list(dict.fromkeys(titles))[:limit]

    def similar(self, *, text, kinds, filters, sector_ids, exclude, limit) -> list[Hit]:
        search = build_similar(
            text=text,
            kinds=kinds,
            filters=filters,
            sector_ids=sector_ids,
            exclude=exclude,
            limit=limit,
            now=timezone.now(),
        )
        return [_hit(h) for h in search.using(client()).execute().hits]

    # --- writing -----------------------------------------------------------------------------------
    def ensure_indices(self) -> None:
        """Create a first versioned index behind each missing alias (writes before any rebuild)."""
        es = client()
        for kind in Kind.values:
            alias = alias_name(kind)
            if not es.indices.exists_alias(name=alias):
                index_for(new_index_name(kind)).create(using=es)
                es.indices.put_alias(index=f"{alias}-*", name=alias)

    def write(self, docs: list[Doc]) -> None:
        self.ensure_indices()
        actions = [
            {"_index": alias_name(d.kind), "_id": es_id(d.kind, d.object_id), "_source": es_source(d)} for d in docs
        ]
        bulk(client(), actions, refresh="wait_for")

    def delete(self, kind: str, object_ids: list[int]) -> None:
        es = client()
        for pk in object_ids:
            try:
                es.delete(index=alias_name(kind), id=es_id(kind, pk), refresh="wait_for")
            except NotFoundError:
                continue

    def rebuild(self, docs: Iterable[Doc], progress=None) -> int:
        """Zero downtime: fill new versioned indices, swap every alias in one atomic call, drop the old ones."""
        es = client()
        new = {kind: new_index_name(kind) for kind in Kind.values}
        for name in new.values():
            index_for(name).create(using=es)
        written = 0

        def actions():
            nonlocal written
            for d in docs:
                written += 1
                if progress and written % 500 == 0:
                    progress(written)
                yield {"_index": new[d.kind], "_id": es_id(d.kind, d.object_id), "_source": es_source(d)}

        bulk(es, actions(), chunk_size=500)
        es.indices.refresh(index=",".join(new.values()))
        old = []
        swap = []
        for kind, name in new.items():
            alias = alias_name(kind)
            current = list(es.indices.get_alias(name=alias).keys()) if es.indices.exists_alias(name=alias) else []
            old.extend(current)
            swap.extend({"remove": {"index": index, "alias": alias}} for index in current)
            swap.append({"add": {"index": name, "alias": alias}})
        es.indices.update_aliases(actions=swap)
        for index in old:
            es.indices.delete(index=index, ignore_unavailable=True)
        if progress:
            progress(written)
        return written
