"""The vendor-specific part of the database backend: matching, ranking, snippets and the full-text store.

PostgreSQL: a weighted `tsvector` column with a GIN index, `SearchQuery`/`SearchRank`/`SearchHeadline`.
SQLite: an FTS5 table (`discovery_fts`, porter stemming, bm25 ranking, `snippet()`), created by migration 0002.
Both take the parsed groups from `discovery.text`, so synonyms and stop words behave the same.
"""

from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.expressions import RawSQL

from ..models import SearchDocument
from ..text import MARK_END, MARK_START, Group

FTS_TABLE = "discovery_fts"


class PostgresFullText:
    config = "english"

    def _query(self, groups: list[Group], mode: str):
        parts = [
            reduce(or_, [SearchQuery(alt, config=self.config, search_type="phrase") for alt in group.alternatives])
            for group in groups
        ]
        return reduce(and_ if mode == "all" else or_, parts)

    def match(self, qs: QuerySet, groups: list[Group], mode: str) -> QuerySet:
        query = self._query(groups, mode)
        return qs.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))

    def snippets(self, ids: list[int], groups: list[Group], mode: str) -> dict[int, str]:
        if not ids or not groups:
            return {}
        query = self._query(groups, mode)

        def headline(field: str) -> SearchHeadline:
            return SearchHeadline(
                field,
                query,
                config=self.config,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            )

        rows = SearchDocument.objects.filter(pk__in=ids).annotate(s=headline("summary"), b=headline("body"))
        # Summary first, the body when only it has a match (as on SQLite).
        return {
            pk: summary if MARK_START in summary or MARK_START not in body else body
            for pk, summary, body in rows.values_list("pk", "s", "b")
        }

    def store(self, ids: list[int]) -> None:
        SearchDocument.objects.filter(pk__in=ids).update(
            search_vector=SearchVector("title", weight="A", config=self.config)
            + SearchVector("summary", "keywords", weight="B", config=self.config)
            + SearchVector("body", weight="C", config=self.config)
        )

    def remove(self, ids: list[int]) -> None:
        """The vector lives on the row, so deleting the row removes it."""

    def clear(self) -> None:
        """As for remove."""


class SqliteFullText:
    @staticmethod
    def _quote(term: str) -> str:
        return '"' + term.replace('"', '""') + '"'

    def expression(self, groups: list[Group], mode: str) -> str:
        parts = ["(" + " OR ".join(self._quote(alt) for alt in group.alternatives) + ")" for group in groups]
        return (" AND " if mode == "all" else " OR ").join(parts)

    def match(self, qs: QuerySet, groups: list[Group], mode: str) -> QuerySet:
        expr = self.expression(groups, mode)
        matching = RawSQL("SELECT rowid FROM discovery_fts WHERE discovery_fts MATCH %s", (expr,))
        # bm25 is lower for better matches; weights favour the title, then summary and keywords, then body.
        rank = RawSQL(
            "SELECT -bm25(discovery_fts, 10.0, 4.0, 4.0, 1.0) FROM discovery_fts "
            "WHERE discovery_fts MATCH %s AND rowid = discovery_searchdocument.id",
            (expr,),
        )
        return qs.filter(pk__in=matching).annotate(rank=rank)

    def snippets(self, ids: list[int], groups: list[Group], mode: str) -> dict[int, str]:
        if not ids or not groups:
            return {}
        placeholders = ",".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            # Snippets from the summary or body (the title is shown anyway): whichever has a match, summary first.
            cursor.execute(
                "SELECT rowid, snippet(discovery_fts, 1, %s, %s, ' … ', 30), "  # noqa: S608 - only "%s" markers added
                "snippet(discovery_fts, 3, %s, %s, ' … ', 30) FROM discovery_fts "
                "WHERE discovery_fts MATCH %s AND rowid IN (" + placeholders + ")",
                [MARK_START, MARK_END, MARK_START, MARK_END, self.expression(groups, mode), *ids],
            )
            return {
                pk: summary if MARK_START in summary or MARK_START not in body else body
                for pk, summary, body in cursor.fetchall()
            }

    def store(self, ids: list[int]) -> None:
        self.remove(ids)
        rows = SearchDocument.objects.filter(pk__in=ids).values_list("pk", "title", "summary", "keywords", "body")
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO discovery_fts(rowid, title, summary, keywords, body) VALUES (%s, %s, %s, %s, %s)",
                list(rows),
            )

    def remove(self, ids: list[int]) -> None:
        if ids:
            with connection.cursor() as cursor:
                placeholders = ",".join(["%s"] * len(ids))
                cursor.execute("DELETE FROM discovery_fts WHERE rowid IN (" + placeholders + ")", ids)  # noqa: S608

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM discovery_fts")


def full_text():
    if connection.vendor == "postgresql":
        return PostgresFullText()
    if connection.vendor == "sqlite":
        return SqliteFullText()
    raise NotImplementedError(f"Database search supports PostgreSQL and SQLite, not {connection.vendor}")
