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
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from wagtail import hooks
from wagtail.models import Page

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
