"""Serving a public page from the shared cache (civtech.pages: `SiteFromCacheMiddleware`, `SharedRoutingMixin`; issue
#22): the site, the pages down the tree and the view restrictions above a page are asked of the database once per
change of public content. What is served must be exactly what Wagtail's own lookups give, and must follow every change
that alters it on the very next request: a publish, an unpublish, a move, a restriction added or removed, an alias,
a site's root or host."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site

from civtech.pages import SharedRoutingMixin
from cms.models import HomePage, SiteSettings, StandardPage
from tests.factories import PublicBodyFactory, make_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PUBLIC_CACHE_SECONDS = 0  # the anonymous page cache would answer before routing runs
    SiteSettings.for_site(Site.objects.get(is_default_site=True))  # made on the first view otherwise (a bump)


def home() -> HomePage:
    return Site.objects.get(is_default_site=True).root_page.specific


def standard(parent, title: str, slug: str, live: bool = True) -> StandardPage:
    page = parent.add_child(instance=StandardPage(title=title, slug=slug, live=live))
    if live:
        page.save_revision().publish()
    return page


def route(path: str, host: str = "testserver"):
    """What the site answers for `path`: (page class, page id, sub-route args), or None for a 404."""
    request = RequestFactory().get(path, HTTP_HOST=host)
    try:
        result = Page.route_for_request(request, path)
    except Http404:
        result = None
    if result is None:
        return None
    view, args, kwargs = result.args or (None, (), {})
    return type(result.page), result.page.pk, getattr(view, "__name__", None), args, kwargs


def wagtails(monkeypatch, paths: list[str]) -> dict:
    """The same paths routed by Wagtail's own walk, without the shared cache."""
    with monkeypatch.context() as patched:
        patched.setattr(
            SharedRoutingMixin, "route", lambda self, request, components: Page.route(self, request, components)
        )
        patched.setattr("civtech.pages.shared", lambda key, compute, seconds=0: compute())
        return {path: route(path) for path in paths}


@pytest.fixture
def tree():
    body = PublicBodyFactory(slug="transport-scotland")
    live = make_challenge(sponsor=body, title="Ferries on time", slug="ferries")
    draft = make_challenge(sponsor=body, title="A draft", slug="draft", live=False)
    about = standard(home(), "About", "about")
    team = standard(about, "Team", "team")
    hidden = standard(about, "Hidden", "hidden", live=False)
    return {"live": live, "draft": draft, "about": about, "team": team, "hidden": hidden, "space": live.get_parent()}


def test_every_path_routes_as_wagtails_walk_does_cold_and_warm(tree, monkeypatch):
    space = tree["space"].slug
    paths = [
        "/", "/challenges/", f"/challenges/{space}/", f"/challenges/{space}/ferries/",
        f"/challenges/{space}/ferries/calendar/", f"/challenges/{space}/draft/", f"/challenges/{space}/missing/",
        "/about/", "/about/team/", "/about/hidden/", "/about/team/nothing/", "/nothing/", "/about/%E2%80%8B/",
    ]  # fmt: skip
    expected = wagtails(monkeypatch, paths)
    assert expected["/about/team/"][:2] == (StandardPage, tree["team"].pk)
    assert expected["/about/hidden/"] is None and expected["/nothing/"] is None

    cache.clear()
    assert {path: route(path) for path in paths} == expected  # cold: each asked and kept
    assert {path: route(path) for path in paths} == expected  # warm: each from the cache


def test_a_publish_an_unpublish_and_a_move_show_on_the_next_request(tree, client):
    about, team = tree["about"], tree["team"]
    assert client.get("/about/team/").status_code == 200
    assert client.get("/about/hidden/").status_code == 404

    tree["hidden"].save_revision().publish()
    assert client.get("/about/hidden/").status_code == 200

    team.unpublish()
    assert client.get("/about/team/").status_code == 404

    team.save_revision().publish()
    elsewhere = standard(home(), "Elsewhere", "elsewhere")
    team.move(elsewhere, pos="last-child")
    moved = client.get("/about/team/")  # no longer routed there: Wagtail's redirect from the old URL answers
    assert moved.status_code == 301 and moved["Location"] == "/elsewhere/team/"
    assert client.get("/elsewhere/team/").status_code == 200
    assert about.get_children().count() == 1  # only "hidden" stays under About


def test_the_restrictions_applied_are_wagtails_for_every_page(tree, monkeypatch):
    space, about = tree["space"], tree["about"]
    login = PageViewRestriction.objects.create(page=space, restriction_type=PageViewRestriction.LOGIN)
    password = PageViewRestriction.objects.create(page=about, restriction_type="password", password="swordfish")
    alias = tree["team"].create_alias(parent=home(), update_slug="team-alias")  # an alias follows its source
    PageViewRestriction.objects.create(page=tree["team"], restriction_type=PageViewRestriction.LOGIN)
    # A page made below the alias (not an alias itself) is under the alias's source's restrictions, not the alias's.
    below_alias = standard(alias, "Below the alias", "below")
    PageViewRestriction.objects.create(page=alias, restriction_type=PageViewRestriction.LOGIN)

    pages = [page.specific for page in Page.objects.filter(depth__gt=1)]
    assert alias.pk in {page.pk for page in pages}
    for page in pages:
        ours = set(page.get_view_restrictions().values_list("pk", flat=True))
        assert ours == set(Page.get_view_restrictions(page).values_list("pk", flat=True)), page.url_path
    assert set(tree["live"].get_view_restrictions()) == {login}
    assert set(tree["team"].specific.get_view_restrictions()) >= {password}
    assert not home().get_view_restrictions().exists()
    source_restrictions = set(PageViewRestriction.objects.filter(page=tree["team"]))
    assert source_restrictions and set(below_alias.get_view_restrictions()) == source_restrictions


def test_a_restriction_added_or_removed_applies_on_the_next_request(tree, client):
    url = tree["live"].url
    assert client.get(url).status_code == 200  # served, and its route and restrictions kept

    restriction = PageViewRestriction.objects.create(page=tree["space"], restriction_type=PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    restriction.delete()
    assert client.get(url).status_code == 200


def test_a_sites_new_root_and_a_second_host_are_served_at_once(tree, client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    assert client.get("/", HTTP_HOST="other.example").status_code == 200  # the default site answers any host
    other = Site.objects.create(hostname="other.example", port=80, root_page=tree["about"], site_name="Other")

    response = client.get("/team/", HTTP_HOST="other.example")
    assert response.status_code == 200 and "Team" in response.content.decode()
    assert client.get("/team/").status_code == 404  # not on the default site

    other.root_page = tree["space"]
    other.save()
    assert client.get("/team/", HTTP_HOST="other.example").status_code == 404
    assert client.get("/ferries/", HTTP_HOST="other.example").status_code == 200


def test_a_challenge_page_served_again_asks_only_for_its_questions_and_answers(tree, client):
    url = tree["live"].url
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and "Ferries on time" in response.content.decode()
    sql = [query["sql"] for query in queries.captured_queries]
    assert len(sql) == 1 and "challenges_clarification" in sql[0], sql


def test_the_footer_follows_the_site_settings_at_once(client):
    assert "feedback@civtech.example" not in client.get("/").content.decode()
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_email = "feedback@civtech.example"
    site_settings.save()

    html = client.get("/challenges/").content.decode()
    assert 'Contact us: <a href="mailto:feedback@civtech.example">' in html
    assert "feedback</a> will help us" in html  # the phase banner reads it too


def _new_challenge_preview(space, title: str, round_):
    """An unsaved challenge under `space`, as Wagtail's preview of a page being created builds it (no id yet)."""
    from challenges.models import ChallengePage

    page = ChallengePage(title=title, slug=title.lower().replace(" ", "-"), round=round_, summary="A new one.")
    page.depth = space.depth + 1
    page.path = space.get_last_child()._inc_path() if not space.is_leaf() else page._get_path(space.path, page.depth, 1)
    return page.make_preview_request()


def test_previews_of_new_challenges_each_show_their_own_space(tree):
    from tests.factories import make_round

    other_space = make_challenge(sponsor=PublicBodyFactory(name="Scottish Water"), title="Leaks").get_parent()
    round_ = make_round()  # made first: nothing public changes between the two previews

    first = _new_challenge_preview(tree["space"], "New under transport", round_).content.decode()
    second = _new_challenge_preview(other_space, "New under water", round_).content.decode()

    assert tree["space"].title in first and "Scottish Water" not in first
    assert "Scottish Water" in second and tree["space"].title not in second


def test_pages_render_when_the_cache_cannot_give_the_public_version(client, monkeypatch):
    def refuse():
        raise RuntimeError("the cache refused")

    monkeypatch.setattr("civtech.context_processors.current_version", refuse)
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.contact_email = "help@civtech.example"
    site_settings.save()

    response = client.get("/challenges/")
    assert response.status_code == 200
    assert 'Contact us: <a href="mailto:help@civtech.example">' in response.content.decode()  # rendered uncached
