"""Views that live under a page's URL (a challenge's calendar, the challenges feed) are served through here.

Such a view is an ordinary Django view in an app's `urls.py`, so the page model stays a leaf; it answers for its
page exactly as Wagtail's own `serve` does: the page is found through the request's site (only a live page is
found), then Wagtail's `before_serve_page` hooks and `on_serve_page` chain run around the view, so view restrictions
(login, password, groups) apply alike.
"""

from collections.abc import Callable

from django.http import Http404, HttpResponse
from wagtail import hooks
from wagtail.models import Page


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
