"""What a public government site answers besides its pages (issue #18, item 8): `/sitemap.xml` with public pages only,
`/robots.txt`, and a cookies page that lists every cookie the site sets and says there are no analytics."""

import json
import re
from urllib.robotparser import RobotFileParser

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from wagtail.models import PageViewRestriction

from civtech.public_site import PRIVATE_PREFIXES, cookie_list
from cms.models import HomePage, StandardPage
from tests.factories import PASSWORD, PublicBodyFactory, make_applicant, make_challenge, make_round

pytestmark = pytest.mark.django_db


def locations(client) -> list[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return re.findall(r"<loc>([^<]+)</loc>", response.content.decode())


def paths(client) -> set[str]:
    site = settings.SITE_URL.rstrip("/")
    found = locations(client)
    assert all(loc.startswith(site + "/") for loc in found), found  # the canonical site, as the API names it
    return {loc.removeprefix(site) for loc in found}


@pytest.fixture
def challenges():
    """One public challenge, and one each: restricted on the page, restricted on its sponsor space, draft,
    unpublished."""
    round_ = make_round(opened_days_ago=7)
    public = make_challenge(round=round_, title="Harbour tide gauges")
    restricted = make_challenge(round=round_, title="Lighthouse tide gauges")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    behind_password = make_challenge(sponsor=PublicBodyFactory(), round=round_, title="Beaconry tide gauges")
    PageViewRestriction.objects.create(
        page=behind_password.get_parent(), restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    draft = make_challenge(round=round_, title="Marshland tide gauges", live=False)
    unpublished = make_challenge(round=round_, title="Quarryman tide gauges")
    unpublished.unpublish()
    return public, [restricted, behind_password, draft, unpublished]


def test_the_sitemap_lists_public_pages_and_never_a_restricted_or_draft_challenge(client, challenges):
    public, hidden = challenges
    listed = paths(client)
    assert "/" in listed
    assert "/challenges/" in listed
    assert public.url in listed
    assert public.get_parent().url in listed  # the sponsor's space
    for challenge in hidden:
        assert challenge.url not in listed, challenge.title
    assert hidden[1].get_parent().url not in listed  # a password-protected sponsor space is not public either
    assert "/cookies/" in listed


def test_the_sitemap_leaves_out_restricted_and_draft_editorial_pages(client):
    home = HomePage.objects.get()
    about = home.add_child(instance=StandardPage(title="About", slug="about", body="[]"))
    about.save_revision().publish()
    members = home.add_child(instance=StandardPage(title="Members", slug="members", body="[]"))
    members.save_revision().publish()
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)
    below = members.add_child(instance=StandardPage(title="Below", slug="below", body="[]"))
    below.save_revision().publish()
    draft = home.add_child(instance=StandardPage(title="Draft", slug="draft", body="[]", live=False))
    draft.save_revision()
    listed = paths(client)
    assert "/about/" in listed
    assert not {"/members/", "/members/below/", "/draft/"} & listed


def test_the_sitemap_is_the_same_for_everyone(client, challenges):
    anonymous = paths(Client())
    client.force_login(make_applicant())
    assert paths(client) == anonymous


def test_the_sitemap_lists_round_pages_with_public_challenges_only(client, challenges):
    public, _ = challenges
    hidden_round = make_round(name="Secret round", opened_days_ago=7)
    restricted = make_challenge(round=hidden_round, title="Only challenge of the secret round")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    listed = paths(client)
    assert f"/challenges/rounds/{public.round.slug}/" in listed
    assert f"/challenges/rounds/{hidden_round.slug}/" not in listed


# --- robots.txt ---------------------------------------------------------------------------------------------------
def robots(client) -> RobotFileParser:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


def test_robots_allows_the_public_site_and_points_at_the_sitemap(client, challenges):
    public, _ = challenges
    parser = robots(client)
    for path in ["/", "/challenges/", public.url, "/impact/", "/news/", "/solutions/", "/events/", "/search/?q=x",
                 "/lessons/", "/open-data/", "/cookies/", "/api/v1/challenges/"]:  # fmt: skip
        assert parser.can_fetch("*", path), path
    assert parser.site_maps() == [settings.SITE_URL.rstrip("/") + "/sitemap.xml"]


def test_robots_keeps_crawlers_out_of_sign_in_the_admin_and_everyones_own_work(client):
    parser = robots(client)
    for path in ["/admin/", "/admin/pages/3/", "/accounts/login/", "/dashboard/", "/applications/", "/applications/7/",
                 "/sponsor/applications/", "/assess/", "/assess/3/score/", "/workspaces/4/", "/returns/", "/benefits/",
                 "/organisations/acme/", "/invitations/token/", "/questions/answer/", "/search/recommended/",
                 "/alerts/confirm/token/"]:  # fmt: skip
        assert not parser.can_fetch("*", path), path
    assert "/admin/" in PRIVATE_PREFIXES and "/accounts/" in PRIVATE_PREFIXES


# --- Cookies ------------------------------------------------------------------------------------------------------
def test_the_cookies_page_lists_what_the_site_stores_and_says_there_are_no_analytics(client):
    response = client.get("/cookies/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, CookieStorage.cookie_name):
        assert f"<code>{name}</code>" in html
    assert "analytics" in html and "We do not use Google Analytics" in html
    assert "local storage" in html  # the copy of application answers kept in the browser


def test_every_page_links_to_the_cookies_page_from_the_footer(client):
    home = client.get("/").content.decode()
    footer = home[home.index('<footer class="ds_site-footer">') :]
    assert 'href="/cookies/"' in footer


def test_the_site_sets_no_cookie_the_cookies_page_does_not_list(client, challenges):
    """Walk the kinds of request that set cookies: public pages with forms (CSRF), signing in (session), a form
    that confirms with a message, and sign-out. Every cookie set must be on the cookies page."""
    public, _ = challenges
    documented = {cookie["name"] for cookie in cookie_list()}
    set_cookies: set[str] = set()

    def visit(response):
        set_cookies.update(response.cookies.keys())
        return response

    for path in ["/", "/challenges/", public.url, "/alerts/", "/cookies/", "/sitemap.xml", "/robots.txt"]:
        visit(client.get(path))
    applicant = make_applicant()
    visit(client.post("/accounts/login/", {"login": applicant.email, "password": PASSWORD}))
    client.force_login(applicant)
    visit(client.get("/dashboard/"))
    visit(client.post(f"/follow/{public.pk}/", follow=True))
    visit(client.post("/accounts/logout/"))
    assert set_cookies, "nothing was set: the walk did not exercise the site"
    assert set_cookies <= documented, set_cookies - documented


def test_cookie_lifetimes_come_from_the_settings(settings):
    settings.SESSION_COOKIE_AGE = 3 * 86400
    settings.CSRF_COOKIE_AGE = 30 * 86400
    by_name = {cookie["name"]: cookie for cookie in cookie_list()}
    assert "3 days" in by_name[settings.SESSION_COOKIE_NAME]["expires"]
    assert "30 days" in by_name[settings.CSRF_COOKIE_NAME]["expires"]
    assert json.dumps(cookie_list())  # plain data, safe to render anywhere
