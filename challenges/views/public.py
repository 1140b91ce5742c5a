"""The public listing, challenge page, round page, feed and calendar.

These are Wagtail page routes (see ChallengeIndexPage and ChallengePage), so Wagtail has already
found a live page before any of them runs: drafts never get here. Every date is shown in UK time
(TIME_ZONE is Europe/London) and says so.
"""

import hashlib
import logging
import time
from bisect import bisect_right
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html
from elastic_transport import TransportError
from elasticsearch import ApiError

from civtech.cache import current_version, shared
from civtech.formats import money, time_html, uk_date, uk_datetime, uk_day_and_time
from civtech.pages import page_view
from pipelines.spec import Basis, Kind

from ..forms_listing import SORT_LATEST, ChallengeFilterForm
from ..models import ChallengeIndexPage, ChallengePage, Round
from ..selectors import challenges_for_listing, filter_challenges, listing_counts, public_challenges, status_changes
from ..status import BOUNDARIES, Status, derive_status, status_filter
from ..templatetags.challenge_rows import RowRef
from .questions import questions_context

logger = logging.getLogger(__name__)

PER_PAGE = 20
BOUNDARY_FIELDS = [field for _, field in BOUNDARIES if field]


# --- Formatting (the formats themselves are civtech.formats) ----------------------------------
def per_team(amount: Decimal, teams: int) -> str:
    """'£5,000 for each of up to 3 teams', or '£350,000 for 1 team'."""
    if teams == 1:
        return f"{money(amount)} for 1 team"
    return f"{money(amount)} for each of up to {teams} teams"


def timeline_rows(round_: Round) -> list[tuple[str, str]]:
    """The round's stages as summary-list rows. The call's own moments carry a time; the later
    stages are planned by the day, so they show dates only."""
    timed = {(round_.call_opens, round_.call_closes), (round_.questions_close, None)}
    rows = []
    for label, start, end in round_.timeline():
        fmt = uk_datetime if (start, end) in timed else uk_date
        value = time_html(start, fmt(start))
        if end is not None:
            value = format_html("{} to {}", value, time_html(end, fmt(end)))
        rows.append((label, value))
    return rows


def funding_rows(round_: Round) -> list[tuple[str, str]]:
    """What each stage that chooses or pays teams offers per challenge, in the pipeline's order."""
    rows = []
    for stage in round_.stages.all():
        if stage.kind == Kind.ASSESSMENT and stage.teams:
            rows.append((stage.name, f"Up to {stage.teams} teams shortlisted per challenge"))
        elif stage.kind == Kind.PAID and stage.payment is not None and stage.teams:
            offer = per_team(stage.payment, stage.teams)
            offer = f"Up to {offer}" if stage.payment_basis == Basis.MAXIMUM else offer
            rows.append((stage.name, f"{offer} per challenge"))
    return rows


def round_url(round_: Round) -> str:
    return reverse("challenges:round", args=[round_.slug])


# --- Listing --------------------------------------------------------------------------------------
def _search_ids(query: str):
    """Primary keys of live challenges matching `query`, through Wagtail search.

    The database backend gives a lazy queryset, used as a subquery (no extra query); a search
    server (Elasticsearch) gives a list of matches. Either only narrows `public_challenges()`, the
    listing's starting set, so a restricted page found here is never shown.
    """
    try:
        results = ChallengePage.objects.live().search(query, order_by_relevance=False)
        if hasattr(results, "get_queryset"):
            return results.get_queryset().values("pk")
        return [challenge.pk for challenge in results]
    except (TransportError, ApiError):
        # The search server is down or refusing: the database index (kept up to date beside it) answers.
        logger.warning("Search server unavailable; /challenges/ searched the database", exc_info=True)
        results = ChallengePage.objects.live().search(query, order_by_relevance=False, backend="database")
        return results.get_queryset().values("pk")


def _sorted(queryset, sort: str, now):
    if sort == SORT_LATEST:
        return queryset.order_by("-round__call_closes", "title", "pk")
    # Soonest first: challenges still to close by their deadline, then those already closed, the
    # most recent first (otherwise long-finished rounds would fill the first page).
    closed = Case(When(round__call_closes__lte=now, then=Value(1)), default=Value(0), output_field=IntegerField())
    still_to_close = Case(When(round__call_closes__gt=now, then=F("round__call_closes")))
    return queryset.alias(closed=closed, still_to_close=still_to_close).order_by(
        "closed", F("still_to_close").asc(nulls_last=True), "-round__call_closes", "title", "pk"
    )


def _page_number(raw: str | None, num_pages: int) -> tuple[int, str]:
    """The page to show and, when it is not the one asked for, why."""
    if raw in (None, ""):
        return 1, ""
    if not (raw.isascii() and raw.isdigit()):  # not "²" either, which isdigit() accepts and int() refuses
        shown = raw if len(raw) <= 20 else raw[:20] + "…"
        return 1, f"“{shown}” is not a page number, so we are showing the first page."
    number = int(raw) if len(raw) <= 9 else num_pages + 1  # int() refuses over 4,300 digits
    if number < 1:
        return 1, "Page numbers start at 1, so we are showing the first page."
    if number > num_pages:
        if num_pages == 1:
            return 1, "There is only one page of results, so we are showing it."
        return num_pages, f"There are only {num_pages} pages of results, so we are showing the last page."
    return number, ""


# What the listing shows is a function of the filters, the public content and how many status changes have passed
# (selectors.status_changes), so it is kept in the shared cache under all three: a page costs no listing query while
# nothing public changes.
LISTING_SECONDS = 60  # as civtech.cache.SHARED_SECONDS: the most a lost version bump can leave a listing stale
_CHANGES: dict = {}  # {"version", "read_at", "moments"}: this process's copy of status_changes() for a version


def _status_epoch(version, now) -> int:
    """How many public status changes have passed by `now`. The moments are read once per version per process, and
    again after LISTING_SECONDS (so a version bump that was lost cannot keep an old list longer than a listing)."""
    known = _CHANGES  # one dict read: another thread may replace the entry meanwhile
    if known.get("version") != version or time.monotonic() - known.get("read_at", 0) > LISTING_SECONDS:
        known = {"version": version, "read_at": time.monotonic(), "moments": status_changes()}
        _CHANGES.update(known)
    return bisect_right(known["moments"], now)


def _listing(form: ChallengeFilterForm, raw_page: str | None, now) -> dict:
    """The counts, the page to show (and why, if not the one asked for) and that page's rows as `RowRef`s.

    Three queries whatever the number of challenges: the status counts (with the whole count, which the
    paginator is given), the page of rows (ids and the dates their status comes from, no page is loaded) and,
    for a search, none more (the database search is a subquery)."""
    challenges = public_challenges()
    if form.value("q"):
        challenges = challenges.filter(pk__in=_search_ids(form.value("q")))
    challenges = filter_challenges(
        challenges,
        round_slug=form.value("round"),
        sponsor_slug=form.value("sponsor"),
        sector_slug=form.value("sector"),
        now=now,
    )
    counts, total = listing_counts(challenges, now)
    status = form.value("status")  # a Status value or "" (the form drops any other)
    if status:
        challenges = challenges.filter(status_filter(status, now))
    count = counts[status] if status else total
    number, notice = _page_number(raw_page, max(1, -(-count // PER_PAGE)))
    dates = [f"round__{field}" for field in BOUNDARY_FIELDS]
    start = (number - 1) * PER_PAGE
    page = _sorted(challenges, form.sort_order, now).values_list("pk", "stopped_at", *dates)[start : start + PER_PAGE]
    rows = []
    for pk, stopped, *moments in page:
        round_dates = SimpleNamespace(**dict(zip(BOUNDARY_FIELDS, moments, strict=True)))
        rows.append(RowRef(pk, derive_status(round_dates, now, stopped).value))
    return {"counts": counts, "total": total, "count": count, "number": number, "notice": notice, "rows": rows}


def _cached_listing(form: ChallengeFilterForm, raw_page: str | None, now) -> dict:
    """`_listing`, from the shared cache while the public content and the statuses are unchanged (a cache outage
    only means asking the database)."""
    try:
        version = current_version()
        asked = [form.value(name) for name in ("q", "round", "sponsor", "sector", "status")]
        shape = repr([*asked, form.sort_order, raw_page])
        key = f"challenge-listing:{version}:{_status_epoch(version, now)}:{hashlib.sha256(shape.encode()).hexdigest()}"
        listing = cache.get(key)
    except Exception:
        logger.warning("Challenge listing cache unavailable", exc_info=True)
        return _listing(form, raw_page, now)
    if listing is None:
        listing = _listing(form, raw_page, now)
        try:
            cache.set(key, listing, LISTING_SECONDS)
        except Exception:
            logger.warning("Could not store the challenge listing", exc_info=True)
    return listing


@page_view("challenges.challengeindexpage")
def challenge_listing(request, index_page):
    """`/challenges/`: filter, search, sort and page through published challenges.

    No query of its own while public content is unchanged (`_cached_listing`; the filter choices and the rows are
    cached too), and a constant number otherwise: three for the filter choices, one for the status counts, one for
    the page of rows, two for the moments statuses change, and the rows not yet cached (with their sectors).
    """
    now = timezone.now()
    form = ChallengeFilterForm(request.GET, live_challenges=challenges_for_listing())
    listing = _cached_listing(form, request.GET.get("page"), now)
    form.set_status_counts(listing["counts"], total=listing["total"])
    paginator = Paginator(range(listing["count"]), PER_PAGE)  # the rows are listing["rows"]; this numbers the pages
    page_obj = paginator.page(listing["number"])
    notices = [*form.ignored, *([listing["notice"]] if listing["notice"] else [])]

    return index_page.render(
        request,
        template="challenges/listing.html",
        context_overrides={
            "form": form,
            "params": form.cleaned_params(),
            "paginator": paginator,
            "page_obj": page_obj,
            "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
            "challenges": listing["rows"],
            "notices": notices,
            "breadcrumbs": [("Home", "/")],
            "feed_url": reverse("challenges:feed"),
        },
    )


# --- Challenge page -------------------------------------------------------------------------------
def _apply_context(request, page: ChallengePage, status: Status) -> dict:
    round_ = page.round
    closed_at = round_.call_closes
    if page.stopped_at is not None and page.stopped_at < closed_at:
        closed_at = page.stopped_at
    next_param = "?next=" + quote(page.url or "/")
    return {
        "apply_state": {Status.UPCOMING: "upcoming", Status.OPEN: "open"}.get(status, "closed"),
        "opens_on": uk_day_and_time(round_.call_opens),
        "closes_on": uk_day_and_time(round_.call_closes),
        "closed_on": uk_day_and_time(closed_at),
        "closed_text": uk_datetime(closed_at),
        "closed_at": closed_at,
        "stopped_early": closed_at != round_.call_closes,
        "sign_in_url": reverse("account_login") + next_param,
        "sign_up_url": reverse("account_signup") + next_param,
    }


def _key_facts(page: ChallengePage, status: Status, sponsor, sponsor_url: str, round_link: str) -> list:
    round_ = page.round
    tag = format_html('<strong class="ds_tag ds_tag--{}">{}</strong>', page.status_colour, status.label)
    rows = [
        ("Status", tag),
        (
            "Closing date",
            format_html("{} (UK time)", time_html(round_.call_closes, uk_datetime(round_.call_closes))),
        ),
        ("Sponsor", format_html('<a href="{}">{}</a>', sponsor_url, sponsor.name) if sponsor_url else sponsor.name),
        ("Round", round_link),
        (
            "Exploration stage funding",
            f"{per_team(page.exploration_amount, round_.exploration_teams)} "
            f"({money(page.exploration_amount * round_.exploration_teams)} in total, excluding VAT)",
        ),
        (
            "Accelerator contract",
            f"Up to {per_team(page.accelerator_amount, round_.accelerator_teams)} (excluding VAT)",
        ),
    ]
    if page.follow_on_value is not None:
        rows.append(("Potential follow-on value", f"Up to {money(page.follow_on_value)}"))
    sectors = [sector.name for sector in page.sectors.all()]
    if sectors:
        rows.append(("Sectors", ", ".join(sectors)))
    return rows


@page_view("challenges.challengepage")
def challenge_detail(request, page):
    """The challenge page: key facts first, then the problem in full, how to apply, and Q&A."""
    now = timezone.now()
    status = page.status_at(now)

    # The ancestors' titles and URLs are all the page needs of them, and a plain Page has both: asking for their
    # specific pages would cost a query per page type (three).
    def read_ancestors():
        return list(page.get_ancestors().filter(depth__gt=1))

    # Shared only for a saved page served as published: a preview (of a new page, with no id yet) reads its own.
    previewing = page.pk is None or getattr(request, "is_preview", False)
    ancestors = read_ancestors() if previewing else shared(f"page-ancestors:{page.pk}", read_ancestors)
    space = ancestors[-1] if ancestors else None
    # A page previewed before its first save has no sponsor yet: it is copied from the space on save.
    sponsor = page.sponsor if page.sponsor_id else getattr(space and space.specific, "organisation", None)
    index_type = ContentType.objects.get_for_model(ChallengeIndexPage).pk
    index = next((a for a in ancestors if a.content_type_id == index_type), None)
    round_href = round_url(page.round)
    round_link = format_html('<a href="{}">{}</a>', round_href, page.round.name)
    space_url = space.get_url(request) if space is not None else ""

    context = {
        "status": status,
        "sponsor": sponsor,
        "breadcrumbs": [("Home", "/"), *((a.title, a.get_url(request)) for a in ancestors[1:])],
        # Called by the template only when the cached body is missing (challenge_page.html).
        "key_facts": partial(_key_facts, page, status, sponsor, space_url, round_link),
        "timeline": partial(timeline_rows, page.round),
        "public_version": current_version(),
        "round_url": round_href,
        "challenges_url": index.get_url(request) if index else "/challenges/",
        "calendar_url": (page.url or "") + "calendar/",  # challenges:calendar, under the page's own URL
        "closes_text": uk_datetime(page.round.call_closes),
        **_apply_context(request, page, status),
    }
    context.update(questions_context(request, page))
    return page.render(request, template="challenges/challenge_page.html", context_overrides=context)


# --- Round page -----------------------------------------------------------------------------------
def round_detail(request, index_page, slug):
    round_ = get_object_or_404(Round.objects.prefetch_related("stages"), slug=slug)
    challenges = challenges_for_listing().filter(round=round_)
    return index_page.render(
        request,
        template="challenges/round.html",
        context_overrides={
            "round": round_,
            "timeline": timeline_rows(round_),
            "funding": funding_rows(round_),
            "challenges": challenges,
            "breadcrumbs": [("Home", "/"), (index_page.title, index_page.get_url(request))],
        },
    )


# --- Atom feed of open challenges -----------------------------------------------------------------
class OpenChallengesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, index_page):
        self.request = request
        return index_page

    def title(self, index_page):
        return f"Open challenges — {settings.SERVICE_NAME}"

    def subtitle(self, index_page):
        return "Challenges open for applications now, soonest closing first."

    def link(self, index_page):
        return self.request.build_absolute_uri(index_page.url)

    def feed_url(self, index_page):
        return self.request.build_absolute_uri()

    def author_name(self, index_page):
        return settings.SERVICE_NAME

    def items(self, index_page):
        now = timezone.now()
        return challenges_for_listing().filter(status_filter(Status.OPEN, now))

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.summary} Applications close at {uk_datetime(item.round.call_closes)} (UK time)."

    def item_link(self, item):
        return self.request.build_absolute_uri(item.url)

    def item_author_name(self, item):
        return item.sponsor.name

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [sector.name for sector in item.sectors.all()]


def open_challenges_feed(request, index_page):
    return OpenChallengesFeed()(request, index_page=index_page)


# --- iCalendar --------------------------------------------------------------------------------------
def ics_escape(text: str) -> str:
    """TEXT values per RFC 5545 §3.3.11: backslash, semicolon, comma and newlines escaped."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def ics_fold(line: str) -> str:
    """Lines longer than 75 octets are folded: CRLF then a space (RFC 5545 §3.1)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def ics_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# Each event's key is its UID in calendar apps, which update an event by it: the CivTech stages keep the keys they had
# before rounds had stages, so calendars subscribed then update rather than duplicate.
EVENT_KEYS = {
    (Kind.ASSESSMENT, 0): "shortlist",
    (Kind.INTERVIEW, 0): "interviews",
    (Kind.PAID, 0): "exploration",
    (Kind.SELECTION, 0): "pitches",
    (Kind.PAID, 1): "accelerator",
    (Kind.SHOWCASE, 0): "demo-day",
}


def challenge_events(page: ChallengePage) -> list[tuple[str, str, datetime, datetime | None]]:
    """(key, summary, starts, ends) for each of the challenge's key dates: its round's stages, in order."""
    events: list[tuple[str, str, datetime, datetime | None]] = []
    seen: dict[str, int] = {}
    for stage in page.round.stages.all():
        nth = seen[stage.kind] = seen.get(stage.kind, -1) + 1
        if stage.kind == Kind.CALL:
            events.append(("call-opens", "applications open", stage.starts, None))
            if stage.questions_close:
                events.append(("questions-close", "clarification questions close", stage.questions_close, None))
            events.append(("call-closes", "applications close", stage.ends, None))
            continue
        key = EVENT_KEYS.get((stage.kind, nth), f"{stage.kind}-{nth + 1}")
        if stage.kind == Kind.ASSESSMENT:  # what matters to applicants is when they hear
            events.append((key, f"{stage.name or 'shortlist'} decided", stage.ends or stage.starts, None))
        else:
            events.append((key, stage.name or stage.get_kind_display(), stage.starts, stage.ends))
    return events


def challenge_calendar(request, page):
    """`calendar.ics`: the challenge's key dates as an iCalendar file for any calendar app."""
    url = request.build_absolute_uri(page.url)
    host = urlsplit(settings.SITE_URL).hostname or request.get_host()
    stamp = ics_time(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{ics_escape(settings.SERVICE_NAME)}//Challenges//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(page.title)}",
    ]
    for key, what, starts, ends in challenge_events(page):
        lines += [
            "BEGIN:VEVENT",
            f"UID:challenge-{page.pk}-{key}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{ics_time(starts)}",
            *([f"DTEND:{ics_time(ends)}"] if ends is not None and ends > starts else []),
            f"SUMMARY:{ics_escape(f'{page.title}: {what}')}",
            f"DESCRIPTION:{ics_escape(f'{page.round.name}. Details and how to apply: {url}')}",
            f"URL:{url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    response = HttpResponse(
        "".join(ics_fold(line) + "\r\n" for line in lines), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{page.slug}.ics"'
    return response
