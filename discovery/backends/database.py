"""Search on the database: the embedded default, and the fallback whenever Elasticsearch is unavailable."""

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import reduce
from operator import and_, or_

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Count, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest
from django.utils import timezone

from challenges.status import Status, status_filter
from organisations.models import Region

from ..models import FundingBand, Kind, SearchDocument, SearchDocumentSector, SearchTerm
from ..query import CHOICE_FACETS, FACETS, FacetValue, Hit, Query, Results
from ..sources import Doc
from ..text import Group, edit_distance, highlight_html, parse, vocabulary, words
from .fulltext import full_text

WRITE_BATCH = 500
DOC_FIELDS = [
    "title",
    "summary",
    "body",
    "keywords",
    "url",
    "sponsor_id",
    "sponsor_name",
    "round_id",
    "round_name",
    "region",
    "funding",
    "funding_band",
    "call_opens",
    "call_closes",
    "exploration_start",
    "accelerator_start",
    "accelerator_end",
    "stopped_at",
    "published_at",
    "data",
    "words",
]


def _row_values(doc: Doc) -> dict:
    return {
        "title": doc.title[:400],
        "summary": doc.summary,
        "body": doc.body,
        "keywords": doc.keywords,
        "url": doc.url,
        "sponsor_id": doc.sponsor[0] if doc.sponsor else None,
        "sponsor_name": doc.sponsor[1] if doc.sponsor else "",
        "round_id": doc.round[0] if doc.round else None,
        "round_name": doc.round[1] if doc.round else "",
        "region": doc.region,
        "funding": doc.funding,
        "funding_band": doc.funding_band,
        "call_opens": doc.dates.get("call_opens"),
        "call_closes": doc.dates.get("call_closes"),
        "exploration_start": doc.dates.get("exploration_start"),
        "accelerator_start": doc.dates.get("accelerator_start"),
        "accelerator_end": doc.dates.get("accelerator_end"),
        "stopped_at": doc.dates.get("stopped_at"),
        "published_at": doc.published_at,
        "data": doc.data,
        "words": " ".join(sorted(vocabulary(doc.title, doc.summary, doc.keywords, doc.body))),
    }


def _ids(values, cast=int) -> list:
    out = []
    for value in values:
        try:
            out.append(cast(value))
        except (TypeError, ValueError):
            continue
    return out


def filter_q(name: str, values: tuple[str, ...], now) -> Q | None:
    """One facet's filter as a condition on a search row, or None when it does not filter anything."""
    if not values:
        return None
    if name == "type":
        return Q(kind__in=values)
    if name == "sector":
        return Q(pk__in=SearchDocumentSector.objects.filter(sector_id__in=_ids(values)).values("document_id"))
    if name == "sponsor":
        return Q(sponsor_id__in=_ids(values))
    if name == "round":
        return Q(round_id__in=_ids(values))
    if name == "status":
        valid = [v for v in values if v in Status.values]
        return reduce(or_, [status_filter(v, now, prefix="") for v in valid], Q(pk__in=[]))
    if name == "region":
        return Q(region__in=values)
    if name == "funding":
        return Q(funding_band__in=values)
    return None


def apply_filter(qs: QuerySet, name: str, values: tuple[str, ...], now) -> QuerySet:
    """One facet's filter; values within a facet are alternatives (OR), facets combine with AND."""
    q = filter_q(name, values, now)
    return qs if q is None else qs.filter(q)


def _flag(q: Q) -> Case:
    """A condition as a true/false column (never NULL, so it reads as it would in a WHERE)."""
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


# Facet → (value column, label column, fixed labels): the plain columns the facet groups by.
FACET_COLUMNS = {
    "type": ("kind", None, dict(Kind.choices)),
    "sponsor": ("sponsor_id", "sponsor_name", None),
    "round": ("round_id", "round_name", None),
    "region": ("region", None, dict(Region.choices)),
    "funding": ("funding_band", None, dict(FundingBand.choices)),
}


class DatabaseBackend:
    name = "database"

    def __init__(self):
        self.fts = full_text()

    # --- searching -------------------------------------------------------------------------------
    def _matching(self, query: Query, groups: list[Group]) -> QuerySet:
        qs = SearchDocument.objects.all()
        if groups:
            qs = self.fts.match(qs, groups, query.match)
        return qs

    def search(self, query: Query, groups: list[Group]) -> Results:
        now = timezone.now()
        if connection.vendor == "postgresql":
            total, page_ids, counts = self._one_pass(query, groups, now)
            rows = {
                row["pk"]: row
                for row in SearchDocument.objects.filter(pk__in=page_ids).values(
                    "pk", "kind", "object_id", "title", "url", "summary", "sponsor_name", "round_name", "data"
                )
            }
            page = [rows[pk] for pk in page_ids if pk in rows]
        else:
            base = self._matching(query, groups)
            filtered = base
            for name, values in query.filters.items():
                filtered = apply_filter(filtered, name, values, now)
            total = filtered.count()
            page = list(
                filtered.order_by(*self._ordering(groups)).values(
                    "pk", "kind", "object_id", "title", "url", "summary", "sponsor_name", "round_name", "data"
                )[query.offset : query.offset + query.per_page]
            )
            counts = {
                facet: self._facet_counts(facet, self._facet_base(base, facet, query, now), now) for facet in FACETS
            }
        snippets = self.fts.snippets([row["pk"] for row in page], groups, query.match)
        sectors = defaultdict(list)
        for document_id, name in SearchDocumentSector.objects.filter(
            document_id__in=[row["pk"] for row in page]
        ).values_list("document_id", "name"):
            sectors[document_id].append(name)
        hits = [
            Hit(
                kind=row["kind"],
                object_id=row["object_id"],
                title=row["title"],
                url=row["url"],
                snippet=highlight_html(snippets.get(row["pk"]) or row["summary"][:300]),
                sponsor_name=row["sponsor_name"],
                round_name=row["round_name"],
                sectors=sorted(sectors[row["pk"]]),
                data=row["data"],
            )
            for row in page
        ]
        return Results(query=query, hits=hits, total=total, facets=self._facets(counts, query), backend=self.name)

    @staticmethod
    def _ordering(groups: list[Group]) -> list[str]:
        return ["-rank", "-published_at", "pk"] if groups else ["-published_at", "title", "pk"]

    @staticmethod
    def _facets(counts: dict[str, list[tuple]], query: Query) -> dict[str, list[FacetValue]]:
        """Counts for each facet with every *other* facet's filter applied, so choosing one value in a facet
        still shows how many the others in it would add."""
        facets = {}
        for facet in FACETS:
            selected = set(query.filters.get(facet, ()))
            facets[facet] = [
                FacetValue(value=str(value), label=label, count=count, selected=str(value) in selected)
                for value, label, count in counts[facet]
                if count or str(value) in selected
            ]
        return facets

    @staticmethod
    def _facet_base(base: QuerySet, facet: str, query: Query, now) -> QuerySet:
        qs = base
        for name, values in query.filters.items():
            if name != facet:
                qs = apply_filter(qs, name, values, now)
        return qs

    def _one_pass(self, query: Query, groups: list[Group], now) -> tuple[int, list[int], dict[str, list[tuple]]]:
        """PostgreSQL: the total, the page's ids and every facet's counts in ONE statement.

        The full-text match (and ts_rank) runs once, into a materialized CTE of the matching rows' plain facet
        columns plus one true/false column per active filter; the total, the ranked page (top-N sort, LIMIT) and
        each facet's GROUP BY (with every other facet's filter) then read that CTE. The separate queries it
        replaces re-ran the match nine times a page: for the count, the page and each of the seven facets.
        """
        flags, conditions = {}, []
        for name, values in query.filters.items():
            q = filter_q(name, values, now)
            if q is not None:
                flags[f"f_{name}"] = _flag(q)
                conditions.append(q)
        statuses = {f"s_{s.value}": _flag(status_filter(s.value, now, prefix="")) for s in Status}
        columns = ["id", "kind", "sponsor_id", "sponsor_name", "round_id", "round_name", "region", "funding_band"]
        columns += ["published_at", *([] if groups else ["title"])]
        matching = self._matching(query, groups)
        if groups:
            # Only rows that pass every filter can be on the page, so only they are ranked (ts_rank is most
            # of the cost: it reads each row's vector).
            rank = matching.query.annotations["rank"]
            if conditions:
                rank = Case(When(reduce(and_, conditions), then=rank), default=None, output_field=FloatField())
            matching = matching.annotate(page_rank=rank)
        matching = matching.annotate(**flags, **statuses)
        matched_sql, matched_params = matching.values(
            *columns, *(["page_rank"] if groups else []), *flags, *statuses
        ).query.sql_with_params()

        def where(*extra: str, but: str = "") -> str:
            """Every active filter's flag but facet `but`'s, and `extra`."""
            terms = [f"m.{flag}" for flag in flags if flag != f"f_{but}"] + list(extra)
            return " AND ".join(terms) or "TRUE"

        order = (
            "{0}.page_rank DESC, {0}.published_at DESC, {0}.id"
            if groups
            else "{0}.published_at DESC, {0}.title, {0}.id"
        )
        # Only fixed column, facet and flag names are put into the SQL; every value is a parameter.
        parts = [
            f"SELECT '_total', NULL, NULL, count(*), 0 FROM m WHERE {where()}",  # noqa: S608
            # The page: one top-N sort of the matches (LIMIT), then its few rows numbered in the same order.
            f"SELECT '_page', p.id::text, NULL, 0, row_number() OVER (ORDER BY {order.format('p')}) FROM "  # noqa: S608
            f"(SELECT m.* FROM m WHERE {where()} ORDER BY {order.format('m')} LIMIT %s OFFSET %s) p",
        ]
        params = [query.per_page, query.offset]
        for facet, (column, label_column, labels) in FACET_COLUMNS.items():
            label = f"m.{label_column}" if label_column else "NULL"
            present = f"m.{column} <> ''" if labels else f"m.{column} IS NOT NULL"
            grouped = f"m.{column}, m.{label_column}" if label_column else f"m.{column}"
            parts.append(
                f"SELECT '{facet}', m.{column}::text, {label}, count(*), row_number() OVER (ORDER BY count(*) DESC, "  # noqa: S608
                f"{grouped}) FROM m WHERE {where(present, but=facet)} GROUP BY {grouped}"
            )
        parts.append(
            "SELECT 'sector', s.sector_id::text, s.name, count(*), row_number() OVER (ORDER BY count(*) DESC, s.name) "  # noqa: S608
            f"FROM m JOIN {SearchDocumentSector._meta.db_table} s ON s.document_id = m.id "
            f"WHERE {where(but='sector')} GROUP BY s.sector_id, s.name"
        )
        # Every status counted in one pass over the challenges, then one row per status.
        challenges = f"m.kind = '{Kind.CHALLENGE.value}'"
        status_aggregates = ", ".join(f"count(*) FILTER (WHERE m.s_{s.value}) AS s_{s.value}" for s in Status)
        status_values = ", ".join(f"('{s.value}', c.s_{s.value})" for s in Status)
        parts.append(
            "SELECT 'status', v.value, NULL, v.n, 0 "  # noqa: S608
            f"FROM (SELECT {status_aggregates} FROM m WHERE {where(challenges, but='status')}) c "
            f"CROSS JOIN LATERAL (VALUES {status_values}) v(value, n)"
        )
        sql = f"WITH m AS MATERIALIZED ({matched_sql}) " + " UNION ALL ".join(parts)
        with transaction.atomic(), connection.cursor() as cursor:
            # For this statement only (SET LOCAL): the planner costs the match by the GIN index against a
            # sequential scan, but not the reading of each row's TOASTed vector that the scan's `@@` needs. On
            # a broad word the scan reads every vector in the table (and ts_rank reads the matches' again);
            # the bitmap scan of the GIN index reads only the matches' once, for ts_rank: 2-3x less work. And
            # the statement's estimated cost can pass the JIT threshold, where compiling takes longer than
            # running (1.4 s measured).
            cursor.execute("SET LOCAL jit = off")
            if groups:
                cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, [*matched_params, *params])
            rows = cursor.fetchall()
            # The statement only reads: rolling its (save)point back also ends the SET LOCALs here, even inside
            # a request's transaction.
            transaction.set_rollback(True)
        total, page, found = 0, [], defaultdict(list)
        for facet, value, label, count, _ in sorted(rows, key=lambda row: (row[0], row[4])):
            if facet == "_total":
                total = count
            elif facet == "_page":
                page.append(int(value))
            else:
                found[facet].append((value, label, count))
        counts = {}
        for facet, (_, _, labels) in FACET_COLUMNS.items():
            out = [(value, labels.get(value, value) if labels else label, n) for value, label, n in found[facet]]
            if facet in CHOICE_FACETS:  # fixed choices read best in their own order
                order_ = list(labels)
                out.sort(key=lambda item: order_.index(item[0]) if item[0] in order_ else len(order_))
            counts[facet] = out
        counts["sector"] = found["sector"]
        status_counts = {value: n for value, _, n in found["status"]}
        counts["status"] = [(s.value, s.label, status_counts.get(s.value, 0)) for s in Status]
        return total, page, counts

    @staticmethod
    def _facet_counts(facet: str, qs: QuerySet, now) -> list[tuple]:
        if facet == "status":
            counts = qs.filter(kind=Kind.CHALLENGE).aggregate(
                **{s.value: Count("pk", filter=status_filter(s.value, now, prefix="")) for s in Status}
            )
            return [(s.value, s.label, counts[s.value]) for s in Status]
        if facet == "sector":
            rows = (
                SearchDocumentSector.objects.filter(document__in=qs.values("pk"))
                .values("sector_id", "name")
                .annotate(n=Count("pk"))
                .order_by("-n", "name")
            )
            return [(r["sector_id"], r["name"], r["n"]) for r in rows]
        column, label_column, labels = {
            "type": ("kind", None, dict(Kind.choices)),
            "sponsor": ("sponsor_id", "sponsor_name", None),
            "round": ("round_id", "round_name", None),
            "region": ("region", None, dict(Region.choices)),
            "funding": ("funding_band", None, dict(FundingBand.choices)),
        }[facet]
        fields = [column, label_column] if label_column else [column]
        rows = qs.exclude(**{column: ""} if labels else {f"{column}__isnull": True})
        rows = rows.values(*fields).annotate(n=Count("pk")).order_by("-n", *fields)
        out = [(r[column], labels.get(r[column], r[column]) if labels else r[label_column], r["n"]) for r in rows]
        if facet in CHOICE_FACETS:  # fixed choices read best in their own order
            order = list(labels)
            out.sort(key=lambda item: order.index(item[0]) if item[0] in order else len(order))
        return out

    # --- did you mean ------------------------------------------------------------------------------
    def suggest(self, groups: list[Group]) -> str:
        typed = [g.typed for g in groups]
        candidates = [t for t in typed if " " not in t and t.isalpha() and len(t) >= 4]
        known = set(SearchTerm.objects.filter(term__in=candidates, documents__gt=0).values_list("term", flat=True))
        out, changed = [], False
        for term in typed:
            best = self._closest(term) if term in candidates and term not in known else None
            out.append(best or term)
            changed = changed or bool(best)
        return " ".join(out) if changed else ""

    def _closest(self, term: str) -> str | None:
        limit = 1 if len(term) <= 5 else 2
        if _has_trigram():
            from django.contrib.postgres.search import TrigramSimilarity

            pool = (
                # `%` is pg_trgm's similarity operator, served by the trigram GIN index (migration 0002).
                SearchTerm.objects.filter(RawSQL("term %% %s", (term,), output_field=BooleanField()), documents__gt=0)
                .annotate(similarity=TrigramSimilarity("term", term))
                .order_by("-similarity", "-documents")
                .values_list("term", "documents")[:30]
            )
        else:
            # Without trigrams: words of a similar length sharing the first letter (most typos keep it).
            pool = (
                SearchTerm.objects.filter(
                    length__gte=len(term) - limit,
                    length__lte=len(term) + limit,
                    term__startswith=term[0],
                    documents__gt=0,
                )
                .order_by("-documents")
                .values_list("term", "documents")[:5000]
            )
        scored = []
        for candidate, documents in pool:
            # An inflection ("appointment" / "appointments") already matches through stemming.
            if candidate.startswith(term) or term.startswith(candidate):
                continue
            distance = edit_distance(term, candidate, limit)
            if distance <= limit:
                scored.append((distance, -documents, candidate))
        return min(scored)[2] if scored else None

    # --- autocomplete and "more like this" --------------------------------------------------------
    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        groups = parse(prefix)
        if not groups or len(groups[-1].typed) < 2:
            return []
        # The last word is unfinished: complete it from the vocabulary, then match whole words.
        last = groups[-1].typed
        completions = list(
            SearchTerm.objects.filter(term__startswith=last, documents__gt=0)
            .order_by("-documents")
            .values_list("term", flat=True)[:6]
        )
        last_group = Group(tuple(dict.fromkeys([*groups[-1].alternatives, *completions])))
        qs = self.fts.match(SearchDocument.objects.all(), [*groups[:-1], last_group], "all")
        titles = qs.order_by("-rank", "title").values_list("title", flat=True)[: limit * 2]
        return list(dict.fromkeys(titles))[:limit]

    def similar(self, *, text, kinds, filters, sector_ids, exclude, limit) -> list[Hit]:
        now = timezone.now()
        base = SearchDocument.objects.filter(kind__in=kinds)
        for name, values in filters.items():
            base = apply_filter(base, name, values, now)
        for kind, object_id in exclude:
            base = base.exclude(kind=kind, object_id=object_id)
        scores: dict[int, float] = defaultdict(float)
        terms = self._significant_terms(text)
        if terms:
            ranked = list(
                self.fts.match(base, [Group((t,)) for t in terms], "any")
                .order_by("-rank")
                .values_list("pk", "rank")[:50]
            )
            top = max((rank for _, rank in ranked), default=0) or 1
            for pk, rank in ranked:
                scores[pk] += rank / top
        if sector_ids:
            shared = (
                SearchDocumentSector.objects.filter(document__in=base.values("pk"), sector_id__in=sector_ids)
                .values("document_id")
                .annotate(n=Count("pk"))
                .order_by("-n")[:50]
            )
            for row in shared:
                scores[row["document_id"]] += 0.5 * row["n"] / len(sector_ids)
        best = sorted(scores, key=lambda pk: -scores[pk])[:limit]
        rows = {
            row["pk"]: row
            for row in SearchDocument.objects.filter(pk__in=best).values(
                "pk", "kind", "object_id", "title", "url", "summary", "sponsor_name", "round_name", "data"
            )
        }
        return [
            Hit(
                kind=rows[pk]["kind"],
                object_id=rows[pk]["object_id"],
                title=rows[pk]["title"],
                url=rows[pk]["url"],
                snippet=highlight_html(rows[pk]["summary"][:300]),
                sponsor_name=rows[pk]["sponsor_name"],
                round_name=rows[pk]["round_name"],
                data=rows[pk]["data"],
                score=scores[pk],
            )
            for pk in best
        ]

    @staticmethod
    def _significant_terms(text: str, count: int = 15) -> list[str]:
        """The profile's most telling words: frequent in it, rare in the index (tf × idf)."""
        tf = Counter(w for w in words(text) if w in vocabulary(w))
        if not tf:
            return []
        df = dict(SearchTerm.objects.filter(term__in=list(tf), documents__gt=0).values_list("term", "documents"))
        total = SearchDocument.objects.count() or 1
        weighted = {t: n * math.log(1 + total / df[t]) for t, n in tf.items() if t in df}
        return sorted(weighted, key=lambda t: -weighted[t])[:count]

    # --- writing ---------------------------------------------------------------------------------
    @transaction.atomic
    def write(self, docs: list[Doc], *, vocabulary_counts: Counter | None = None) -> None:
        for start in range(0, len(docs), WRITE_BATCH):
            self._write_batch(docs[start : start + WRITE_BATCH], vocabulary_counts)

    def _write_batch(self, docs: list[Doc], vocabulary_counts: Counter | None) -> None:
        by_kind = defaultdict(list)
        for doc in docs:
            by_kind[doc.kind].append(doc.object_id)
        existing = {
            (row.kind, row.object_id): row
            for kind, ids in by_kind.items()
            for row in SearchDocument.objects.filter(kind=kind, object_id__in=ids)
        }
        delta: Counter = Counter()
        to_create, to_update = [], []
        for doc in docs:
            values = _row_values(doc)
            row = existing.get((doc.kind, doc.object_id))
            if row is None:
                row = SearchDocument(kind=doc.kind, object_id=doc.object_id, **values)
                to_create.append(row)
            else:
                delta.subtract(row.words.split())
                for name, value in values.items():
                    setattr(row, name, value)
                to_update.append(row)
            delta.update(values["words"].split())
        SearchDocument.objects.bulk_create(to_create)
        if to_update:
            SearchDocument.objects.bulk_update(to_update, [*DOC_FIELDS, "indexed_at"])
        rows = to_create + to_update
        ids = [row.pk for row in rows]
        SearchDocumentSector.objects.filter(document_id__in=ids).delete()
        SearchDocumentSector.objects.bulk_create(
            SearchDocumentSector(document=row, sector_id=sector_id, name=name)
            for row, doc in zip(rows, [*_in_order(docs, to_create), *_in_order(docs, to_update)], strict=True)
            for sector_id, name in doc.sectors
        )
        self.fts.store(ids)
        if vocabulary_counts is not None:
            vocabulary_counts.update(delta)  # a rebuild writes the vocabulary once, at the end
        else:
            _apply_vocabulary(delta)

    @transaction.atomic
    def delete(self, kind: str, object_ids: list[int]) -> None:
        rows = list(SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list("pk", "words"))
        if not rows:
            return
        delta: Counter = Counter()
        for _, words_ in rows:
            delta.subtract(words_.split())
        ids = [pk for pk, _ in rows]
        self.fts.remove(ids)
        SearchDocument.objects.filter(pk__in=ids).delete()
        _apply_vocabulary(delta)

    def rebuild(self, docs: Iterable[Doc], progress=None) -> int:
        """In one transaction: readers see the old table until it commits, then the new one."""
        counts: Counter = Counter()
        written = 0
        with transaction.atomic():
            self.fts.clear()
            SearchDocument.objects.all().delete()
            SearchTerm.objects.all().delete()
            batch: list[Doc] = []
            for doc in docs:
                batch.append(doc)
                if len(batch) >= WRITE_BATCH:
                    self.write(batch, vocabulary_counts=counts)
                    written += len(batch)
                    batch = []
                    if progress:
                        progress(written)
            if batch:
                self.write(batch, vocabulary_counts=counts)
                written += len(batch)
                if progress:
                    progress(written)
            SearchTerm.objects.bulk_create(
                (SearchTerm(term=t, length=len(t), documents=n) for t, n in counts.items() if n > 0),
                batch_size=2000,
            )
        return written


def _in_order(docs: list[Doc], rows: list[SearchDocument]) -> list[Doc]:
    by_key = {(d.kind, d.object_id): d for d in docs}
    return [by_key[(row.kind, row.object_id)] for row in rows]


def _apply_vocabulary(delta: Counter) -> None:
    """Add and take back words' document counts. Counts are kept per amount so a batch is a few UPDATEs."""
    delta = Counter({t: n for t, n in delta.items() if n})
    if not delta:
        return
    present = set(SearchTerm.objects.filter(term__in=list(delta)).values_list("term", flat=True))
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t, length=len(t), documents=n) for t, n in delta.items() if t not in present and n > 0],
        ignore_conflicts=True,
    )
    by_amount = defaultdict(list)
    for term, n in delta.items():
        if term in present:
            by_amount[n].append(term)
    for amount, terms in by_amount.items():
        SearchTerm.objects.filter(term__in=terms).update(documents=Greatest(F("documents") + amount, Value(0)))
    SearchTerm.objects.filter(term__in=list(delta), documents__lte=0).delete()


_TRIGRAM: dict[str, bool] = {}


def _has_trigram() -> bool:
    """pg_trgm is enabled by migration 0002 where the database allows it; elsewhere, edit distance."""
    if connection.vendor != "postgresql":
        return False
    key = connection.settings_dict["NAME"]
    if key not in _TRIGRAM:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            _TRIGRAM[key] = cursor.fetchone() is not None
    return _TRIGRAM[key]
