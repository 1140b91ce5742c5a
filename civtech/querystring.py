"""Query strings are typed, pasted, shared and crawled: any text at all can arrive in one. The shared defences:

- `QueryStringMiddleware` refuses a query string with a NUL character in it: a 400 with a page that says what is
  wrong. Nobody means one, and PostgreSQL refuses NUL in any text, so without this every search box, slug and tag
  filter (ours and the libraries': Wagtail's admin searches, its admin API) would each need its own guard.
  It also repairs, before the view reads them, the few parameters that Wagtail's own views use unchecked
  (LIBRARY_PARAMETERS): a value they cannot use is dropped, so the page answers as if the link had not had it.
- `query_id` reads an id from a query string: a whole number written in ASCII digits within a database id's range,
  or None. (`"²".isdigit()` is true and `int("²")` fails; 29 digits overflow the column.)

Found by tests/hostile/test_query_sweep.py, which sends hostile values under every name every view reads.
"""

from dataclasses import dataclass
from fnmatch import fnmatchcase

from django.http import QueryDict
from django.shortcuts import render
from django.urls import Resolver404, resolve
from wagtail import hooks
from wagtail.models import Page

MAX_ID = 2**31 - 1  # PostgreSQL's integer; Django's AutoField


def is_count(value: str, *, minimum: int = 0) -> bool:
    """A whole number in ASCII digits from `minimum` to MAX_ID."""
    digits = 0 < len(value) <= len(str(MAX_ID)) and value.isascii() and value.isdigit()
    return digits and minimum <= int(value) <= MAX_ID


def query_id(params: QueryDict, name: str) -> int | None:
    """The id in `params[name]`, or None when it is missing or is not one."""
    value = params.get(name, "")
    return int(value) if isinstance(value, str) and is_count(value, minimum=1) else None


def has_nul(query_string: str) -> bool:
    """Whether the decoded query string has a NUL character ("%2500" is the text "%00": not one).

    Percent-decoding yields a NUL only from "%00" (every other escape is a non-zero byte), so looking for that text is
    the same test as decoding, without decoding: on every request, and decoding a long query string took
    milliseconds (tests/test_query_strings.py compares the two)."""
    return "\x00" in query_string or "%00" in query_string


@dataclass(frozen=True)
class Repair:
    """For the views whose URL names match `views` (fnmatch patterns): `ids` are dropped unless they are ids,
    `pages` unless they are ids of pages the page chooser offers this person (below the root, narrowed by the
    construct_page_chooser_queryset hooks), `counts` unless they are whole numbers from 0 to MAX_ID, and
    `not_with_search` whenever `q` is given."""

    views: tuple[str, ...]
    ids: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    not_with_search: tuple[str, ...] = ()

    def apply(self, request) -> QueryDict | None:
        """The request's repaired parameters, or None when nothing needed repair."""
        params = request.GET
        repaired = params.copy()
        for name in self.ids + self.pages:
            repaired.setlist(name, [v for v in repaired.getlist(name) if is_count(v, minimum=1)])
        for name in self.pages:
            offered = Page.objects.filter(pk__in=repaired.getlist(name), depth__gt=1)
            for narrow in hooks.get_hooks("construct_page_chooser_queryset"):
                offered = narrow(offered, request)
            kept = {str(pk) for pk in offered.values_list("pk", flat=True)}
            repaired.setlist(name, [v for v in repaired.getlist(name) if v in kept])
        for name in self.counts:
            repaired.setlist(name, [v for v in repaired.getlist(name) if is_count(v)])
        if repaired.get("q", "").strip():
            for name in self.not_with_search:
                repaired.pop(name, None)
        for name in [name for name, values in repaired.lists() if not values]:
            del repaired[name]
        return None if repaired == params else repaired


# Wagtail 8's admin views that answer these with a 500 (one, with more than the person may see). Drop a line when
# Wagtail fixes its cause.
LIBRARY_PARAMETERS = [
    # The link choosers put parent_page_id into {% url 'wagtailadmin_choose_page_child' %} (NoReverseMatch).
    Repair(("wagtailadmin_choose_page_*_link",), ids=("parent_page_id",)),
    # The page chooser int()s each target page; "chosen" views and bulk actions look each id up in the database.
    Repair(("wagtailadmin_choose_page", "wagtailadmin_choose_page_child"), ids=("target_pages[]",)),
    Repair(("*chosen_multiple", "wagtail_bulk_action"), ids=("id",)),
    # The page chooser's "chosen" view describes each page asked for (title, edit link, its parent's id): any page,
    # a draft of another sponsor's included, and the root (which has no parent) was a 500. Held to what the
    # chooser itself offers the person.
    Repair(("wagtailadmin_choose_page_chosen_multiple",), pages=("id",)),
    # The admin API checks that offset and limit are numbers, not that the database can hold them; its find views
    # look up ?id= as it comes ("1.5", "abc": a ValueError, a 500). Without an id they answer 404.
    Repair(("wagtailadmin_api:*",), counts=("offset", "limit")),
    Repair(("wagtailadmin_api:*:find",), ids=("id",)),
    # Search results cannot be filtered by an annotation (usage count) or by tag name (FilterFieldError).
    Repair(("wagtaildocs:index*", "wagtailimages:index*"), not_with_search=("usage_count_min", "usage_count_max")),
    Repair(("wagtailimages_chooser:choose*",), not_with_search=("tag",)),
]
LIBRARY_PREFIXES = ("/admin/",)


def repair_library_parameters(request) -> None:
    if not request.path_info.startswith(LIBRARY_PREFIXES) or not request.META.get("QUERY_STRING"):
        return
    try:
        name = resolve(request.path_info).view_name
    except Resolver404:
        return
    for repair in LIBRARY_PARAMETERS:
        if any(fnmatchcase(name, pattern) for pattern in repair.views):
            repaired = repair.apply(request)
            if repaired is not None:
                request.GET = QueryDict(repaired.urlencode())


class QueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_nul(request.META.get("QUERY_STRING", "")):
            return render(request, "civtech/bad_query.html", {"path": request.path}, status=400)
        repair_library_parameters(request)
        return self.get_response(request)
