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

Invalidation is infrastructure, not business logic, so it listens to signals: Wagtail's `page_published` and
`page_unpublished`, and any model saved or deleted in the apps whose data public pages show (`CONTENT_APPS`,
minus the high-churn private models in `IGNORED_MODELS`). A queryset `update()` or `bulk_create()` sends no
signal: code that changes public content that way calls `bump_version()` itself.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from wagtail.signals import page_published, page_unpublished, post_page_move

from civtech.transactions import on_commit_once

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
HEADER = "X-Public-Cache"
EXCLUDED_PREFIXES = ("/admin/", "/accounts/", "/api/", "/documents/", "/healthz", "/static/", "/media/")
# Cookies that mean the response may differ for this visitor.
PERSONAL_COOKIES = ("messages",)
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store", "max-age=0")

# Public pages show rounds, challenges and their Q&A, sponsors and companies, CMS pages and settings, Demo Days
# and published lessons (sprints), impact figures, images and documents.
CONTENT_APPS = frozenset(
    {"challenges", "cms", "impact", "organisations", "sprints", "wagtailcore", "wagtailimages", "wagtaildocs"}
)
# Written on every audited action, draft save or alert run; none of them changes what the public sees. (A page view
# restriction does: it takes a challenge out of every public listing, so it bumps the version.)
IGNORED_MODELS = frozenset(
    {
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
        "wagtailcore.revision",
        "wagtailcore.referenceindex",
        "wagtailcore.taskstate",
        "wagtailcore.workflowstate",
        "wagtailcore.pagesubscription",
        "wagtailcore.grouppagepermission",
        "challenges.alertdelivery",
        "challenges.alertsubscription",
        "challenges.challengefollow",
        "challenges.clarificationnotice",
        "impact.export",
        "impact.returnreminder",
        "sprints.messagenotice",
        "sprints.reminderdelivery",
    }
)


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


def _model_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures loading
        return
    meta = sender._meta
    if meta.app_label in CONTENT_APPS and meta.label_lower not in IGNORED_MODELS:
        public_content_changed()


def _page_changed(sender=None, **kwargs) -> None:
    public_content_changed()


def connect_signals() -> None:
    """Called once from `civtech.apps.CivtechConfig.ready`, so web, worker and beat processes all invalidate."""
    post_save.connect(_model_changed, dispatch_uid="civtech.cache.post_save")
    post_delete.connect(_model_changed, dispatch_uid="civtech.cache.post_delete")
    page_published.connect(_page_changed, dispatch_uid="civtech.cache.page_published")
    page_unpublished.connect(_page_changed, dispatch_uid="civtech.cache.page_unpublished")
    post_page_move.connect(_page_changed, dispatch_uid="civtech.cache.post_page_move")
