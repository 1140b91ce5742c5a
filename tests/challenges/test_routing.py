"""A challenge's URL is routed in one query by its URL path (ChallengeIndexPage.route): the same page, route and
answer as Wagtail's walk down the tree, for every kind of path below /challenges/."""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from challenges.models import ChallengeIndexPage, ChallengePage, Clarification, Round
from tests.factories import PublicBodyFactory, make_challenge, make_sector

pytestmark = pytest.mark.django_db


def walked(index: ChallengeIndexPage, components: list[str]):
    """What Wagtail's own routing answers (the mixin's routes, then the tree), without the shortcut."""
    request = RequestFactory().get("/")
    try:
        return super(ChallengeIndexPage, index).route(request, components)
    except Http404:
        return None


def routed(index: ChallengeIndexPage, components: list[str]):
    request = RequestFactory().get("/")
    try:
        return index.route(request, components)
    except Http404:
        return None


def described(result) -> tuple | None:
    """A route result as comparable values: the page, and the sub-page view (a method bound to the page) by name."""
    if result is None:
        return None
    view, args, kwargs = result.args or (None, (), {})
    view_name = getattr(getattr(view, "__func__", view), "__qualname__", None)
    return type(result.page), result.page.pk, view_name, getattr(view, "__self__", result.page).pk, args, kwargs


def same(a, b) -> bool:
    return described(a) == described(b)


@pytest.fixture
def pages():
    body = PublicBodyFactory(slug="transport-scotland")
    live = make_challenge(sponsor=body, title="Ferries on time", slug="ferries")
    draft = make_challenge(sponsor=body, title="A draft", slug="draft", live=False)
    other = make_challenge(title="Another body's", slug="another")
    return ChallengeIndexPage.objects.get(), live, draft, other, Round.objects.first()


def test_every_kind_of_path_routes_as_wagtails_walk_does(pages):
    index, live, _draft, other, round_ = pages
    space, other_space = live.get_parent().slug, other.get_parent().slug
    paths = [
        [space, "ferries"],  # a live challenge
        [space, "ferries", ""],
        [space, "draft"],  # a draft: 404
        [space, "missing"],  # no such challenge: 404
        [other_space, "ferries"],  # another body's space: 404
        [other_space, "another"],
        ["no-such-space", "ferries"],
        ["rounds", round_.slug],
        [space],  # the sponsor's space itself
        [],  # the listing
        [space, "ferries", "not-a-route"],
    ]
    results = {"/".join(components): (routed(index, components), walked(index, components)) for components in paths}
    for path, (ours, wagtails) in results.items():
        assert same(ours, wagtails), path
    assert results[f"{space}/ferries"][0].page.pk == live.pk
    assert isinstance(results[f"{space}/ferries"][0].page, ChallengePage)
    assert results[f"{space}/draft"] == (None, None)
    assert results[f"{space}/missing"] == (None, None)
    assert results[""][0].page.pk == index.pk  # the listing, the index's own route
    assert results[f"rounds/{round_.slug}"] == (None, None)  # served by challenges/urls.py, not the page tree


def test_a_challenge_is_found_in_one_query_and_its_rounds_stages_in_one_more(pages):
    index, live, *_ = pages
    components = [live.get_parent().slug, live.slug]
    with CaptureQueriesContext(connection) as ours:
        assert routed(index, components).page.pk == live.pk
    with CaptureQueriesContext(connection) as wagtails:
        assert walked(index, components).page.pk == live.pk
    # The stages come with it (its timeline), so a page served from the shared cache asks for neither again.
    assert len(ours) == 2 < len(wagtails) == 4
    assert "challenges_roundstage" in ours.captured_queries[1]["sql"]


def test_a_challenge_below_an_unpublished_space_is_served_as_wagtail_serves_it(pages):
    index, live, *_ = pages
    Page.objects.filter(pk=live.get_parent().pk).update(live=False)
    index.refresh_from_db()
    components = [live.get_parent().slug, live.slug]
    assert same(routed(index, components), walked(index, components))


def test_the_pages_answer_through_the_site(client, pages):
    _, live, *_ = pages
    assert client.get(live.url).status_code == 200
    assert client.get(live.url + "calendar/").status_code == 200
    assert client.get(f"/challenges/{live.get_parent().slug}/draft/").status_code == 404
    assert client.get(f"/challenges/{live.get_parent().slug}/nothing/").status_code == 404


def test_a_route_of_the_index_of_its_own_comes_before_any_challenge(pages, monkeypatch):
    """Were the index given a route of two parts, a challenge at the same path would not hide it (as in Wagtail's
    routing, where a routable page's own routes come before its children)."""
    index, live, *_ = pages
    components = [live.get_parent().slug, live.slug]
    own = index.resolve_subpage("/")

    def resolve(self, path):
        if path == f"/{components[0]}/{components[1]}/":
            return own
        raise Http404

    monkeypatch.setattr(ChallengeIndexPage, "resolve_subpage", resolve)
    result = routed(index, components)
    assert result.page.pk == index.pk and same(result, walked(index, components))


def test_the_challenge_page_costs_the_same_queries_for_one_answered_question_and_for_twenty(client, pages, settings):
    """Routed, restricted and its ancestors read from the shared cache (civtech/pages.py): the count does not grow
    with the page's published questions and answers or its sectors either."""
    settings.PUBLIC_CACHE_SECONDS = 0  # the page's own queries, not the anonymous page cache's answer
    _, live, *_ = pages

    def answer(n: int) -> None:
        Clarification.objects.create(challenge=live, question=f"Question {n}?", answer=f"Answer {n}.",
                                     answered_at=timezone.now(), status=Clarification.Status.PUBLISHED)  # fmt: skip

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(live.url)
        assert response.status_code == 200
        return len(captured)

    answer(0)
    client.get(live.url)  # the first request fills the caches (site root paths, settings, the page's body)
    few = queries()
    for n in range(1, 20):
        answer(n)
    live.sectors.set([make_sector(f"Sector {n}") for n in range(5)])
    client.get(live.url)  # new public content: the shared parts are made again once, then kept
    many = queries()
    assert "Question 19?" in client.get(live.url).content.decode()
    # Only its published questions and answers: 21 when Wagtail walked the tree and the ancestors were read specific,
    # 15 when it was routed by its URL path, before the routing and restrictions were kept in the shared cache.
    assert few == many == 1, (few, many)
