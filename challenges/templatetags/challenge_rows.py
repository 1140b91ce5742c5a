"""`{% challenge_rows challenges %}`: the result rows of the listing, round and sponsor pages, each rendered once and
then served from the shared cache until public content changes.

A row renders `challenges/_challenge_row.html` (about 90 template nodes) and was a third of `/challenges/`'s time
(bench/pages.py, issue #22). What a row shows is the challenge's published page, its round's dates, its sponsor's
name, its sectors and its status now, so its key is the public content version (`civtech.cache`: bumped by every
publish and by any change to those models, through the allow-list), the page, the host (rows link to pages) and
the status. The version makes invalidation the public page cache's, proven in its tests; the status in the key
lets a row move from "Open" to "Closed" at the deadline without waiting for a publish. All rows of a page are read
in one `get_many`; a cache outage only means rendering every row.
"""

import logging

from django import template
from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from civtech.cache import current_version

register = template.Library()
logger = logging.getLogger(__name__)
ROW_TEMPLATE = "challenges/_challenge_row.html"
ROW_SECONDS = 60 * 60  # a bound on what an unused row costs the cache; the version supersedes rows long before


@register.simple_tag(takes_context=True)
def challenge_rows(context, challenges, hide_round: bool = False, hide_sponsor: bool = False) -> str:
    request = context.get("request")
    host = request.get_host() if request is not None else ""
    challenges = list(challenges)
    try:
        version = current_version()
        shape = f"{hide_round:d}{hide_sponsor:d}"
        keys = {c.pk: f"challenge-row:{version}:{host}:{c.pk}:{c.status}:{shape}" for c in challenges}
        stored = cache.get_many(list(keys.values()))
    except Exception:  # the cache is an optimisation: render without it
        logger.warning("Challenge row cache unavailable", exc_info=True)
        keys, stored = {}, {}
    row = get_template(ROW_TEMPLATE)
    rendered, missing = [], {}
    for challenge in challenges:
        key = keys.get(challenge.pk)
        html = stored.get(key) if key else None
        if html is None:
            html = row.render({"challenge": challenge, "hide_round": hide_round, "hide_sponsor": hide_sponsor}, request)
            if key:
                missing[key] = html
        rendered.append(html)
    if missing:
        try:
            cache.set_many(missing, ROW_SECONDS)
        except Exception:
            logger.warning("Could not store challenge rows", exc_info=True)
    return mark_safe("".join(rendered))  # noqa: S308 - each row is our template's escaped output
