"""`{% challenge_rows challenges %}`: the result rows of the listing, round and sponsor pages, each rendered once and
then served from the shared cache until public content changes.

A row renders `challenges/_challenge_row.html` (about 90 template nodes) and was a third of `/challenges/`'s time
(bench/pages.py, issue #22). What a row shows is the challenge's published page, its round's dates, its sponsor's
name, its sectors and its status now, so its key is the public content version (`civtech.cache`: bumped by every
publish and by any change to those models, through the allow-list), the page, the host (rows link to pages) and
the status. The version makes invalidation the public page cache's, proven in its tests; the status in the key
lets a row move from "Open" to "Closed" at the deadline without waiting for a publish. All rows of a page are read
in one `get_many`; a cache outage only means rendering every row.

`challenges` is either pages loaded by `selectors.challenges_for_listing` or `RowRef`s (a page's id and status, which
is all a cached row needs): the listing passes refs, so on a warm cache it loads no page at all, and the pages of the
rows not in the cache are loaded in one query (and their sectors in one more) when they are rendered.
"""

import logging
from typing import NamedTuple

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from civtech.cache import current_version

from ..selectors import challenges_for_listing
from ..status import Status

register = template.Library()
logger = logging.getLogger(__name__)
ROW_TEMPLATE = "challenges/_challenge_row.html"
ROW_SECONDS = 60 * 60  # a bound on what an unused row costs the cache; the version supersedes rows long before


# A row shows none of the long texts.
ROW_DEFERRED = ("problem_statement", "users", "success", "sponsor_provides", "attachments", "search_description")


class RowRef(NamedTuple):
    """A result row by reference: the challenge's id and its status now (a `Status` value)."""

    pk: int
    status: str


def _pages(challenges: list, wanted: set[int]) -> dict:
    """The pages to render for the rows in `wanted`: those given, or, for refs, loaded in one query."""
    given = {c.pk: c for c in challenges if not isinstance(c, RowRef) and c.pk in wanted}
    refs = wanted - given.keys()
    if refs:
        pages = challenges_for_listing().filter(pk__in=refs).defer(*ROW_DEFERRED).order_by()
        given.update((page.pk, page) for page in pages)
    return given


@register.simple_tag(takes_context=True)
def challenge_rows(context, challenges, hide_round: bool = False, hide_sponsor: bool = False) -> str:
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    challenges = list(challenges)
    try:
        version = current_version()
        shape = f"{hide_round:d}{hide_sponsor:d}"
        keys = {c.pk: f"challenge-row:{version}:{host}:{c.pk}:{Status(c.status).value}:{shape}" for c in challenges}
        stored = cache.get_many(list(keys.values()))
    except Exception:  # the cache is an optimisation: render without it
        logger.warning("Challenge row cache unavailable", exc_info=True)
        keys, stored = {}, {}
    to_render = {c.pk for c in challenges if keys.get(c.pk) not in stored}
    pages = _pages(challenges, to_render) if to_render else {}
    row = get_template(ROW_TEMPLATE)
    rendered, missing = [], {}
    for challenge in challenges:
        key = keys.get(challenge.pk)
        html = stored.get(key) if key else None
        if html is None:
            page = pages.get(challenge.pk)
            if page is None:  # unpublished since the list was made: it is no longer shown
                continue
            html = row.render({"challenge": page, "hide_round": hide_round, "hide_sponsor": hide_sponsor}, request)
            if key:
                missing[key] = html
        rendered.append(html)
    if missing:
        try:
            cache.set_many(missing, ROW_SECONDS)
        except Exception:
            logger.warning("Could not store challenge rows", exc_info=True)
    return mark_safe("".join(rendered))  # noqa: S308 - each row is our template's escaped output
