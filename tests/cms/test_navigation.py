"""The header: the public sections for everyone, each person's own places by role, and the breadcrumb trails."""

import pytest
from bs4 import BeautifulSoup
from django.test import RequestFactory
from django.urls import get_resolver, reverse

from accounts.roles import Role
from civtech import navigation
from tests.factories import (
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

SECTIONS = {"Challenges": "/challenges/", "Impact": "/impact/", "Solutions": "/solutions/", "Events": "/events/"}
SECTIONS |= {"News": "/news/", "Search": "/search/"}


def bar(html: str, label: str) -> dict[str, str]:
    """The links of the medium-screen bar's <nav aria-label=label>, label → href."""
    soup = BeautifulSoup(html, "html.parser")
    nav = soup.select_one(f".ds_site-header__navigation nav[aria-label='{label}']")
    return {a.get_text(strip=True): a["href"] for a in nav.select("a")}


def menu(html: str) -> list[str]:
    """The small-screen menu's link texts, in order."""
    soup = BeautifulSoup(html, "html.parser")
    return [a.get_text(strip=True) for a in soup.select("#mobile-navigation a")]


def test_everyone_can_reach_the_sections_from_the_home_page(client):
    html = client.get("/").content.decode()
    assert bar(html, "Main") == SECTIONS
    assert bar(html, "Account") == {"Sign in": "/accounts/login/", "Create an account": "/accounts/signup/"}
    assert menu(html) == [*SECTIONS, "Sign in", "Create an account"]


def test_signing_in_from_the_header_comes_back_to_the_page(client):
    html = client.get("/search/?q=ferry").content.decode()
    links = bar(html, "Account")
    assert links["Sign in"] == "/accounts/login/?next=%2Fsearch%2F%3Fq%3Dferry"
    assert links["Create an account"] == "/accounts/signup/?next=%2Fsearch%2F%3Fq%3Dferry"
    # On the sign-in page itself, the link to create an account keeps where they were going.
    html = client.get("/accounts/login/?next=/search/").content.decode()
    assert bar(html, "Account")["Create an account"] == "/accounts/signup/?next=%2Fsearch%2F"


def test_the_current_section_is_marked(client):
    challenge = make_challenge(title="Fewer missed ferries")
    soup = BeautifulSoup(client.get("/search/").content.decode(), "html.parser")
    assert soup.select_one(".ds_site-header__navigation a[aria-current='page']").get_text(strip=True) == "Search"
    soup = BeautifulSoup(client.get(challenge.url).content.decode(), "html.parser")
    current = soup.select_one(".ds_site-header__navigation a[aria-current]")
    assert (current.get_text(strip=True), current["aria-current"]) == ("Challenges", "true")
    assert "ds_current" in current["class"]


def _assessor():
    return UserFactory(role=Role.ASSESSOR, mfa=True)


def _sponsor():
    return make_sponsor_member(PublicBodyFactory(), mfa=True)


PLACES = {
    "applicant": (make_applicant, ["Your account", "Your applications", "Sign out"]),
    "sponsor": (_sponsor, ["Your account", "Your challenges", "Applications received", "Assessments", "Sign out"]),
    "assessor": (_assessor, ["Your account", "Assessments", "Sign out"]),
    "staff": (staff_user, ["Your account", "Evaluation", "Portfolio", "Impact report", "Admin", "Sign out"]),
    "no role yet": (UserFactory, ["Your account", "Sign out"]),
}


@pytest.mark.parametrize("role", PLACES)
def test_each_person_sees_their_own_places_and_each_one_opens(client, role):
    make_user, expected = PLACES[role]
    client.force_login(make_user())
    html = client.get("/").content.decode()
    links = bar(html, "Account")
    assert list(links) == expected
    assert menu(html) == [*SECTIONS, *expected]
    for label, href in links.items():
        response = client.get(href)
        assert response.status_code == 200, f"{role}: {label} → {href} answered {response.status_code}"


def test_the_header_costs_no_query(django_assert_num_queries):
    user = staff_user()
    request = RequestFactory().get("/")
    request.user = user
    navigation.personal_links(request)  # reads the roles once, as RequireMFAMiddleware does on every request
    with django_assert_num_queries(0):
        navigation.personal_links(request)
        navigation.section_links("/")


def test_the_small_screen_menu_opens_without_javascript(client):
    """The DS pattern: a checkbox before the menu, toggled by the Menu label; CSS shows the menu when checked."""
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    toggle = soup.select_one("input.ds_site-navigation__toggle[type=checkbox]")
    label = soup.select_one(f"label.js-toggle-menu[for='{toggle['id']}']")
    assert label is not None and label["aria-controls"] == "mobile-navigation"
    assert toggle.find_next_sibling("nav")["id"] == "mobile-navigation"


# --- Breadcrumbs -----------------------------------------------------------------------------------
def test_every_trail_names_real_pages_and_the_arguments_they_take():
    for name, crumb in navigation.TRAILS.items():
        params = _route_params(name)
        assert set(crumb.args) <= params, f"{name} passes {crumb.args} up but takes {params}"
        if crumb.up is not None:
            assert crumb.up in navigation.TRAILS, f"{name}: {crumb.up} has no trail"
            assert _route_params(crumb.up) == set(crumb.args), f"{name}: {crumb.up} needs other arguments"


def _route_params(name: str) -> set[str]:
    """The arguments URL `name` takes (fails for a name that is not a URL)."""
    namespace, _, short = name.rpartition(":")
    resolver = get_resolver()
    if namespace:
        resolver = resolver.namespace_dict[namespace][1]
    entries = resolver.reverse_dict.getlist(short)
    assert entries, f"{name} is not a URL"
    possibilities = entries[0][0]
    return set(possibilities[0][1])


def trail(html: str) -> list[tuple[str, str | None]]:
    soup = BeautifulSoup(html, "html.parser")
    items = soup.select("nav[aria-label='Breadcrumb'] li")
    return [(li.get_text(strip=True), li.a["href"] if li.a else None) for li in items]


def test_application_pages_show_the_way_back_to_the_account(client):
    application = make_application()
    client.force_login(application.created_by)
    html = client.get(reverse("applications:attachments", args=[application.pk])).content.decode()
    assert trail(html) == [
        ("Home", "/"),
        ("Your account", "/dashboard/"),
        ("Your applications", "/applications/"),
        ("Your application", f"/applications/{application.pk}/"),
        ("Attachments", None),
    ]
    # A page named by its data (the application itself) ends the trail at the page above.
    html = client.get(reverse("applications:overview", args=[application.pk])).content.decode()
    assert trail(html)[-1] == ("Your applications", "/applications/")


def test_a_page_with_its_own_trail_keeps_it(client):
    challenge = make_challenge(title="Fewer missed ferries")
    html = client.get(challenge.url).content.decode()
    assert trail(html)[-1] == ("Fewer missed ferries", None)
    assert html.count('aria-label="Breadcrumb"') == 1


def test_the_question_page_leads_back_to_its_challenge(client):
    """The question form's own page (after a question that could not be sent) sits under its challenge."""
    sponsor = PublicBodyFactory(name="Ferry Board")
    challenge = make_challenge(sponsor=sponsor, title="Fewer missed ferries")
    client.force_login(make_applicant())
    response = client.post(challenge.url + "questions/", {"question": ""})  # empty: the form says what to fix
    assert response.status_code == 200
    space = challenge.get_parent()
    assert trail(response.content.decode()) == [
        ("Home", "/"),
        ("Challenges", "/challenges/"),
        (space.title, space.url),
        ("Fewer missed ferries", challenge.url),
        ("Ask a question", None),
    ]


def test_the_home_page_has_no_trail(client):
    assert 'aria-label="Breadcrumb"' not in client.get("/").content.decode()


# --- The home page -----------------------------------------------------------------------------------
def test_the_home_page_leads_to_open_challenges_impact_and_how_it_works(client):
    import json

    from cms.models import HomePage
    from tests.factories import make_round

    make_challenge(title="Open now")
    make_challenge(title="Opens next month", round=make_round(opened_days_ago=-30))
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    start = soup.select_one("main nav[aria-label='Start here']")
    links = {a.get_text(strip=True): a["href"] for a in start.select("a")}
    assert links == {"Open challenges": "/challenges/?status=open", "Impact": "/impact/"}
    assert "1 challenge open for applications now" in start.get_text()

    home = HomePage.objects.get()
    home.body = json.dumps([{"type": "heading", "value": "How CivTech works"}])
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    how = soup.select_one("main nav[aria-label='Start here'] a[href='#how-it-works']")
    assert how.get_text(strip=True) == "How CivTech works"
    assert "How CivTech works" in soup.select_one("#how-it-works").get_text()


def test_workspace_pages_lead_back_through_the_account(client):
    from tests.factories import make_engagement

    engagement = make_engagement()
    client.force_login(engagement.application.created_by)
    html = client.get(reverse("sprints:overview", args=[engagement.pk])).content.decode()
    assert trail(html) == [
        ("Home", "/"),
        ("Your account", "/dashboard/"),
        ("Your workspaces", "/workspaces/"),
        (engagement.application.organisation.name, None),
    ]


def test_impact_return_pages_lead_back_to_the_returns(client):
    from tests.factories import make_impact_return

    impact_return = make_impact_return()
    client.force_login(impact_return.engagement.application.created_by)
    html = client.get(reverse("impact:return_correct", args=[impact_return.pk])).content.decode()
    assert trail(html)[1:] == [
        ("Your account", "/dashboard/"),
        ("Your impact returns", "/returns/"),
        ("Impact return", f"/returns/{impact_return.pk}/"),
        ("Correct a return", None),
    ]
