"""The interface every search backend implements, so the views and services never ask which one answers."""

from collections.abc import Iterable
from typing import Protocol

from ..query import Hit, Query, Results
from ..sources import Doc
from ..text import Group


class Backend(Protocol):
    name: str

    def search(self, query: Query, groups: list[Group]) -> Results:
        """Hits (with highlighted snippets), total and facet counts for one page of one query."""

    def suggest(self, groups: list[Group]) -> str:
        """A corrected query ("did you mean"), or "" when every word is known."""

    def autocomplete(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles that complete what has been typed so far."""

    def similar(
        self,
        *,
        text: str,
        kinds: list[str],
        filters: dict[str, tuple[str, ...]],
        sector_ids: list[int],
        exclude: list[tuple[str, int]],
        limit: int,
    ) -> list[Hit]:
        """Documents most like `text` and sharing `sector_ids` ("more like this", recommendations)."""

    def write(self, docs: list[Doc]) -> None:
        """Add or replace these documents."""

    def delete(self, kind: str, object_ids: list[int]) -> None:
        """Remove documents; removing one that is not there is not an error."""

    def rebuild(self, docs: Iterable[Doc], progress) -> int:
        """Replace everything with `docs` without a moment where searches find nothing; returns the count."""
