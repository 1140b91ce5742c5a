"""A shared cache for what anonymous visitors see on public pages, invalidated when published content changes.

`PublicPageCacheMiddleware` sits just inside WhiteNoise, before sessions and authentication, so a hit costs two
cache reads and nothing else: no session, no user, no database. It serves and stores only when it is safe to:

- the request is a GET without a session or messages cookie and without an Authorization header (so the
  visitor is anonymous, has no flash messages waiting, and is not an API client), to a path that is not in
  `EXCLUDED_PREFIXES`;
- the response is a 200, not streamed, sets no cookie, used no CSRF token (a form with a token is per visitor),
  says nothing against caching in `Cache-Control` (`never_cache`, `private`), and the user really was anonymous.

Keys are `<version>:<host>:<path and query>`. Anything that changes public content bumps the version (see
`bump_version` and the signal receivers below), so every cached page is superseded at once, within the time of a
cache write, in every process. `PUBLIC_CACHE_SECONDS` bounds the age of a page otherwise (statuses that turn on
the clock, such as a call closing, are derived at render time); 0 turns the cache off.

Invalidation is infrastructure, not business logic, so it listens to signals, and it is driven by an allow-list
(`PUBLIC_CONTENT`) of what public pages show, so nothing else wakes it: a private message, a payment that is planned
or due, a draft save, an audit entry or a new image rendition leave every cached page in place.

- Pages reach the public only by being published, unpublished, moved or deleted (Wagtail's signals and `post_delete`),
  so a page's own saves, which are drafts and revisions, are not listened to.
- Each allow-listed model names the fields public pages read (a save changing only others is ignored) and, where only
  some rows are public, which (`shown`: a paid payment, a published answer, a verified return). A row counts when it
  was or is public, so one leaving the public figures (a verification withdrawn) bumps too.
- The search index is written in bulk, which sends no signal: `discovery.services` bumps after each write.

A queryset `update()` or `bulk_create()` sends no signal: code that changes public content that way calls
`public_content_changed()` itself.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpResponse
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from civtech.transactions import on_commit_once

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
HEADER = "X-Public-Cache"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/api/", "/documents/", "/healthz", "/static/", "/media/")
# Cookies that mean the response may differ for this visitor.
PERSONAL_COOKIES = ("messages",)
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")


@dataclass(frozen=True)
class Public:
    """How one model's rows reach public pages.

    `fields`: the columns public pages read (attnames); empty means every column. `shown`: given those columns'
    values, whether the row is in any public output; None means every row is.
    """

    fields: tuple[str, ...] = ()
    shown: Callable[[Mapping[str, Any]], bool] | None = None
    # Many-to-many fields public pages read (their changes arrive as m2m_changed, not post_save).
    relations: tuple[str, ...] = ()


# What anonymous visitors' pages read, model by model (the public templates and selectors: challenges, their Q&A,
# /solutions/ and company profiles, /impact/, /lessons/, Demo Days, news, search). Values are the models' choice
# values as stored; tests/reliability/test_public_cache.py checks them against the models' choices.
PUBLIC_CONTENT: dict[str, Public] = {
    "challenges.round": Public(),  # every date decides the status and stage each challenge shows
    "challenges.roundstage": Public(),  # the round's pipeline: each challenge's timeline
    "challenges.sector": Public(),
    "challenges.clarification": Public(
        fields=("challenge_id", "question", "answer", "answered_at", "status"),
        shown=lambda row: row["status"] == "published",
    ),
    "cms.sitesettings": Public(),  # the footer of every page
    "cms.demodayregistration": Public(fields=("event_id",)),  # "N places left"; who registered is private
    "impact.assumptions": Public(),  # the net-impact figures
    "impact.benefit": Public(
        fields=("challenge_id", "sponsor_id", "kind", "recurrence", "amount", "years", "status"),
        shown=lambda row: row["status"] == "verified",
    ),
    "ledger.contract": Public(
        fields=(
            "kind", "challenge_id", "buyer_id", "buyer_name", "supplier_id", "title", "value", "current_value",
            "status", "verified_at",
        ),
        # Stage contracts count in the prototype funding; follow-ons only once verified.
        shown=lambda row: row["kind"] in ("exploration", "accelerator") or row["verified_at"] is not None,
    ),
    "ledger.payment": Public(
        fields=("contract_id", "amount", "status"), shown=lambda row: row["status"] == "paid"
    ),  # only paid money is a public figure
    "impact.impactreturn": Public(
        fields=(
            "engagement_id", "organisation_id", "kind", "submitted_at", "verified_at", "jobs_created",
            "jobs_safeguarded", "investment_equity", "investment_grant", "investment_debt",
        ),
        shown=lambda row: row["verified_at"] is not None,
    ),
    "organisations.organisation": Public(
        fields=("name", "slug", "kind", "website", "region", "description"), relations=("sectors",)
    ),  # company profiles; never numbers, turnover or address
    "sprints.engagement": Public(
        fields=("application_id", "stage", "status", "starts_on", "ends_on", "outcome", "contract_id")
    ),  # teams and solutions; the RAG rating and its note are private
    "sprints.lesson": Public(
        fields=("engagement_id", "side", "what_worked", "what_did_not", "differently", "status", "published_at"),
        shown=lambda row: row["status"] == "published",
    ),
    "wagtailcore.pageviewrestriction": Public(),  # takes a challenge out of every public output
    "wagtailcore.site": Public(),
    "wagtailimages.image": Public(fields=("title", "file", "focal_point_x", "focal_point_y")),
    "wagtaildocs.document": Public(fields=("title", "file")),
}  # fmt: skip

_BEFORE = "_public_cache_before"


def _seconds() -> int:
    return getattr(settings, "PUBLIC_CACHE_SECONDS", 0)


def current_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_version() -> None:
    """Supersede every cached public page, in every process. Never raises: a cache outage only means no cache."""
    try:
        cache.set(VERSION_KEY, time.time_ns(), None)
    except Exception:  # the cache is an optimisation: its outage must not fail a publish
        logger.warning("Could not bump the public page cache version", exc_info=True)


# The version supersedes a shared entry at once; this bounds how long one can outlive a bump that was lost (a cache
# write that failed while Redis was failing over), as PUBLIC_CACHE_SECONDS bounds a cached page. Routing and view
# restrictions are among these entries, so the bound is the page cache's default, not an hour.
SHARED_SECONDS = 60


def shared(key: str, compute: Callable[[], Any], seconds: int = SHARED_SECONDS) -> Any:
    """`compute()`, kept in the shared cache under the public content version, so it is asked of the database once
    per change of public content, not once per request: for what public pages read and only public content changes
    (the site, a page's children, view restrictions, a listing). `None` is not kept (asked again next time), and a
    cache outage only means computing it."""
    try:
        versioned = f"{key}:{current_version()}"
        value = cache.get(versioned)
    except Exception:
        logger.warning("Shared cache unavailable for %s", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        if value is not None:
            try:
                cache.set(versioned, value, seconds)
            except Exception:
                logger.warning("Could not store %s in the shared cache", key, exc_info=True)
    return value


def public_content_changed() -> None:
    """Bump now (so this transaction's own later reads are not served stale) and again after commit (so a page
    rendered by another request from the not-yet-committed state is not kept)."""
    bump_version()
    on_commit_once("civtech.cache.bump_version", bump_version, robust=True)


def _key(request, version: int) -> str:
    digest = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"public-page:{version}:{request.get_host()}:{digest}"


def _cacheable_request(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not any(name in request.COOKIES for name in PERSONAL_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(EXCLUDED_PREFIXES)
    )


def _cacheable_response(request, response) -> bool:
    user = getattr(request, "user", None)
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES)
        and (user is None or not user.is_authenticated)
    )


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = _seconds()
        if seconds <= 0 or not _cacheable_request(request):
            return self.get_response(request)
        try:
            key = _key(request, current_version())
            stored = cache.get(key)
        except Exception:  # serve uncached rather than fail while the cache is down
            logger.warning("Public page cache unavailable", exc_info=True)
            return self.get_response(request)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content, status=200)
            for name, value in headers:
                response.headers[name] = value
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if _cacheable_response(request, response):
            try:
                cache.set(key, (response.content, list(response.headers.items())), seconds)
            except Exception:
                logger.warning("Could not store a public page in the cache", exc_info=True)
            response[HEADER] = "miss"
        return response


def _spec(sender) -> Public | None:
    return PUBLIC_CONTENT.get(sender._meta.label_lower)


def _values(spec: Public, instance) -> dict[str, Any]:
    names = spec.fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: getattr(instance, name) for name in names}


def _remember(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    """Before an allow-listed row is updated, note what the public saw of it, to tell after the save whether that
    changed. One query, only for allow-listed models with `fields` or `shown`, only for updates."""
    spec = _spec(sender)
    if raw or spec is None or instance._state.adding or not (spec.fields or spec.shown):
        return
    if update_fields is not None and spec.fields and not set(update_fields) & set(spec.fields):
        return  # none of the public columns is written
    old = sender._base_manager.filter(pk=instance.pk).values(*_values(spec, instance)).first()
    setattr(instance, _BEFORE, old)


def _saved(sender, instance, created=False, raw=False, update_fields=None, **kwargs) -> None:
    spec = _spec(sender)
    if raw or spec is None:  # fixtures loading, or nothing public pages read
        return
    before = instance.__dict__.pop(_BEFORE, None)
    if not (spec.fields or spec.shown):
        public_content_changed()
        return
    if not created and before is None:
        if update_fields is not None and spec.fields and not set(update_fields) & set(spec.fields):
            return
        public_content_changed()  # the row vanished in between: cannot tell, so assume it mattered
        return
    after = _values(spec, instance)
    shown = spec.shown or (lambda row: True)
    # A new row matters if it is public; a changed one if it was or is public and what the public reads differs.
    changed = shown(after) if created else (shown(before) or shown(after)) and before != after
    if changed:
        public_content_changed()


def _deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        if instance.live:
            public_content_changed()
        return
    spec = _spec(sender)
    if spec is not None and (spec.shown is None or spec.shown(_values(spec, instance))):
        public_content_changed()


def _relation_changed(sender, instance, action, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    spec = _spec(type(instance))
    if spec is None:
        return
    for field in instance._meta.many_to_many:
        if field.name in spec.relations and field.remote_field.through is sender:
            public_content_changed()
            return


def _page_changed(sender=None, **kwargs) -> None:
    public_content_changed()


def connect_signals() -> None:
    """Called once from `civtech.apps.CivtechConfig.ready`, so web, worker and beat processes all invalidate."""
    pre_save.connect(_remember, dispatch_uid="civtech.cache.pre_save")
    post_save.connect(_saved, dispatch_uid="civtech.cache.post_save")
    post_delete.connect(_deleted, dispatch_uid="civtech.cache.post_delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="civtech.cache.m2m_changed")
    page_published.connect(_page_changed, dispatch_uid="civtech.cache.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="civtech.cache.page_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="civtech.cache.post_page_move")
