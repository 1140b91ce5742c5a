"""The non-editorial URLs under the challenge pages (`/challenges/feed/`, `/challenges/rounds/<slug>/`,
`<challenge>/calendar/`, `<challenge>/questions/`) are ordinary views in `challenges/urls.py`; these wrappers serve them
under their page as Wagtail's `serve` would (`civtech.pages.serve_under_page`: live, view restrictions applied),
which hands the page to the view, so the page models hold content only.
"""

from functools import wraps

from django.http import Http404

from civtech.pages import serve_under_page

from ..models import ChallengeIndexPage, ChallengePage

INDEX_SLUG = "challenges"  # the challenge index page's slug (made by migration), so its URL is /challenges/


def _serve(request, path: str, page_type, view, **kwargs):
    def respond(page):
        if not isinstance(page, page_type):
            raise Http404
        return view(request, page, **kwargs)

    return serve_under_page(request, path, respond)


def at_challenge_index(view):
    """`view(request, index_page, **kwargs)` served at a URL under `/challenges/`."""

    @wraps(view)
    def wrapper(request, **kwargs):
        return _serve(request, f"{INDEX_SLUG}/", ChallengeIndexPage, view, **kwargs)

    return wrapper


def at_challenge_page(view):
    """`view(request, challenge_page)` served at a URL under `/challenges/<body>/<slug>/`."""

    @wraps(view)
    def wrapper(request, body: str, slug: str):
        return _serve(request, f"{INDEX_SLUG}/{body}/{slug}/", ChallengePage, view)

    return wrapper
