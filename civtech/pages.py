"""How page models stay leaves (issue #19): they import no view, yet some pages render through one.

- A page whose own URL renders through a view (the challenge listing, a challenge, a Demo Day with its form)
  calls `render_page(request, self)`; the app's views module registers that view with `@page_view("app.model")`
  and the app's `AppConfig.ready` imports the views module. The page model holds content; the view, in the app's
  views, computes what the page shows. Previews go through the same path, so a draft previews as it will look.
- A view that lives under a page's URL (a challenge's calendar, the challenges feed) is an ordinary Django view in
  the app's `urls.py`, served through `serve_under_page`, which answers for its page exactly as Wagtail's own `serve`
  does: the page is found through the request's site (only a live page is found), then Wagtail's
  `before_serve_page` hooks and `on_serve_page` chain run around the view, so view restrictions (login, password,
  groups) apply alike.
- Serving asks the database the same things on every request (the site, each page down the tree, the restrictions
  above the page); `SiteFromCacheMiddleware` and `SharedRoutingMixin` (in every page model's bases) keep them in the
  shared cache under the public content version (below).
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction, Site

from civtech.cache import EXCLUDED_PREFIXES, shared

PageView = Callable[[HttpRequest, Page], HttpResponse]
_PAGE_VIEWS: dict[str, PageView] = {}


def page_view(model_label: str) -> Callable[[PageView], PageView]:
    """Register `view(request, page)` as the renderer of pages of `model_label` ("app_label.modelname")."""

    def register(view: PageView) -> PageView:
        _PAGE_VIEWS[model_label.lower()] = view
        return view

    return register


def render_page(request: HttpRequest, page: Page) -> HttpResponse:
    """The response of the view registered for this page's model (a KeyError names a model nobody registered)."""
    return _PAGE_VIEWS[page._meta.label_lower](request, page)


def serve_under_page(request, path: str, respond: Callable[[Page], HttpResponse]) -> HttpResponse:
    """`respond(page)` for the live page at `path` of the request's site, as Wagtail's `serve` would serve it."""
    route_result = Page.route_for_request(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result

    def chain(page, request, args, kwargs):
        return respond(page)

    for wrapper in reversed(hooks.get_hooks("on_serve_page")):
        chain = wrapper(chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return chain(page, request, args, kwargs)


# --- Serving without asking the database what it answered a moment ago ------------------------------------------
# Serving a public page asks the same things on every request (the site, each page on the way down the tree, the view
# restrictions above the page), and they change only when public content does (a publish, unpublish, move or deletion
# of a live page, a site or a view restriction changed: civtech.cache bumps its version for each). So they are kept in
# the shared cache under that version. The page found and the restrictions applied are exactly Wagtail's
# (tests/test_page_serving_cache.py); only how often the database is asked changes.
def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _site_for(request: HttpRequest) -> Site | None:
    site = Site._find_for_request(request)
    if site is not None:
        site.root_page = site.root_page.specific  # routing starts from the specific root page: one query fewer
    return site


class SiteFromCacheMiddleware:
    """Wagtail looks the request's site up (a query) for every page it serves; this gives it the site from the shared
    cache. Only where public pages are (not the admin, the API, files or health checks, which may need no site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(EXCLUDED_PREFIXES):
            return self.get_response(request)
        hostname = split_domain_port(request._get_raw_host())[0]
        site = shared(f"wagtail-site:{digest(hostname)}:{request.get_port()}", lambda: _site_for(request))
        if site is not None:
            request._wagtail_site = site  # where Site.find_for_request keeps the site it found for this request
        return self.get_response(request)


def _child(parent: Page, slug: str) -> Page | None:
    child = parent.get_children().filter(slug=slug).first()
    return child.specific if child is not None else None


def _restriction_owners() -> list[tuple[str, int]]:
    """(tree path, restriction id) for every view restriction, where a page at or below that path is under it.

    As `Page.get_view_restrictions` reads them: an alias page is under its source page's restrictions (it cannot have
    its own), and so are the pages below it."""
    restrictions = list(PageViewRestriction.objects.values_list("page_id", "page__path", "page__alias_of_id", "pk"))
    owners = [(path, pk) for _, path, alias_of, pk in restrictions if alias_of is None]
    by_page: dict[int, list[int]] = defaultdict(list)
    for page_id, _, _, pk in restrictions:
        by_page[page_id].append(pk)
    aliases = Page.objects.filter(alias_of__isnull=False).values_list("path", "alias_of_id")
    return owners + [(path, pk) for path, source in aliases for pk in by_page.get(source, [])]


class SharedRoutingMixin:
    """For every page model (before `Page` and after `RoutablePageMixin` in its bases): a child found by its slug, and
    the view restrictions that apply to a page, come from the shared cache while public content is unchanged."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)  # type: ignore[misc]
        slug = path_components[0]
        child = shared(f"page-child:{self.pk}:{digest(slug)}", lambda: _child(self, slug))  # type: ignore[attr-defined]
        if child is None:
            raise Http404
        child._cached_parent_obj = self  # as Wagtail's walk does: its parent is known
        return child.route(request, path_components[1:])

    def get_view_restrictions(self):
        if self.alias_of_id is not None:  # type: ignore[attr-defined]
            return super().get_view_restrictions()  # type: ignore[misc]
        path = self.path  # type: ignore[attr-defined]
        ids = [pk for owner, pk in shared("page-view-restrictions", _restriction_owners) if path.startswith(owner)]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()
