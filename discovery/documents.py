"""Elasticsearch mappings: one index per document type behind an alias ("<prefix>-challenges", …).

All types share one mapping so a single search spans them; each has its own index so it can be
rebuilt and swapped on its own. Text is analysed in English (possessives, stop words, stemming) and,
at search time only, expanded with the programme's synonyms (`synonym_graph` must be search-time).
`spell` keeps unstemmed words for "did you mean"; `suggest` feeds the completion suggester.
"""

from django.conf import settings
from django.utils import timezone
from elasticsearch_dsl import (
    Completion,
    Date,
    Document,
    Double,
    Index,
    Keyword,
    Long,
    Object,
    Text,
    analyzer,
    token_filter,
)

from .models import Kind
from .sources import Doc
from .text import SYNONYMS, words

synonym_filter = token_filter(
    "civtech_synonyms", "synonym_graph", synonyms=[", ".join(line) for line in SYNONYMS], lenient=True
)
possessive = token_filter("civtech_possessive", "stemmer", language="possessive_english")
english_stop = token_filter("civtech_stop", "stop", stopwords="_english_")
english_stemmer = token_filter("civtech_stemmer", "stemmer", language="english")

english = analyzer(
    "civtech_english", tokenizer="standard", filter=[possessive, "lowercase", english_stop, english_stemmer]
)
english_search = analyzer(
    "civtech_english_search",
    tokenizer="standard",
    filter=[possessive, "lowercase", synonym_filter, english_stop, english_stemmer],
)


def english_text(**kwargs) -> Text:
    return Text(analyzer=english, search_analyzer=english_search, copy_to="spell", **kwargs)


class SearchDoc(Document):
    kind = Keyword()
    object_id = Long()
    title = english_text(fields={"raw": Keyword()})
    summary = english_text()
    body = english_text()
    keywords = english_text()
    spell = Text(analyzer="standard")
    suggest = Completion(analyzer="simple", max_input_length=80)
    url = Keyword(index=False)
    sector_id = Long(multi=True)
    sector_facet = Keyword(multi=True)  # "id|name": one terms aggregation gives both
    sponsor_id = Long()
    sponsor_facet = Keyword()
    round_id = Long()
    round_facet = Keyword()
    region = Keyword()
    funding = Double()
    funding_band = Keyword()
    call_opens = Date()
    call_closes = Date()
    exploration_start = Date()
    accelerator_start = Date()
    accelerator_end = Date()
    stopped_at = Date()
    published_at = Date()
    data = Object(enabled=False)


ALIAS_SUFFIX = {Kind.CHALLENGE: "challenges", Kind.SOLUTION: "solutions", Kind.COMPANY: "companies", Kind.NEWS: "news"}


def alias_name(kind: str) -> str:
    return f"{settings.DISCOVERY_INDEX_PREFIX}-{ALIAS_SUFFIX[Kind(kind)]}"


def all_aliases() -> list[str]:
    return [alias_name(kind) for kind in Kind.values]


def index_for(name: str) -> Index:
    """An index with our settings and mapping; `name` is an alias or a concrete versioned index."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_ngram_diff=2)
    index.document(SearchDoc)
    return index


def new_index_name(kind: str) -> str:
    return f"{alias_name(kind)}-{timezone.now():%Y%m%d%H%M%S%f}"


def completion_inputs(title: str) -> list[str]:
    """The title from each word on, so "hosp" completes "How can we reduce missed hospital appointments?"."""
    tokens = words(title)
    return list(dict.fromkeys(" ".join(tokens[i:]) for i in range(min(len(tokens), 12))))


def es_source(doc: Doc) -> dict:
    return {
        "kind": doc.kind,
        "object_id": doc.object_id,
        "title": doc.title,
        "summary": doc.summary,
        "body": doc.body,
        "keywords": doc.keywords,
        "suggest": {"input": completion_inputs(doc.title)},
        "url": doc.url,
        "sector_id": [pk for pk, _ in doc.sectors],
        "sector_facet": [f"{pk}|{name}" for pk, name in doc.sectors],
        "sponsor_id": doc.sponsor[0] if doc.sponsor else None,
        "sponsor_facet": f"{doc.sponsor[0]}|{doc.sponsor[1]}" if doc.sponsor else None,
        "round_id": doc.round[0] if doc.round else None,
        "round_facet": f"{doc.round[0]}|{doc.round[1]}" if doc.round else None,
        "region": doc.region or None,
        "funding": float(doc.funding) if doc.funding is not None else None,
        "funding_band": doc.funding_band or None,
        **{name: value.isoformat() if value else None for name, value in doc.dates.items()},
        "published_at": doc.published_at.isoformat() if doc.published_at else None,
        "data": doc.data,
    }


def es_id(kind: str, object_id: int) -> str:
    return f"{kind}-{object_id}"
