"""Each role lands on its work: the dashboard starts with it."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.services import sponsor_space_ensure
from tests.factories import (
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_challenge,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/"


def section(html: str, heading: str):
    """The elements after the <h2> `heading` up to the next <h2>."""
    soup = BeautifulSoup(html, "html.parser")
    h2 = next(h for h in soup.select("main h2") if h.get_text(strip=True) == heading)
    parts = []
    for element in h2.find_next_siblings():
        if element.name == "h2":
            break
        parts.append(element)
    return parts


def by_state(html: str) -> dict[str, list[str]]:
    states, current = {}, None
    for element in section(html, "Your challenges"):
        if element.name == "h3":
            current = element.get_text(strip=True)
            states[current] = []
        elif element.name == "ul" and current:
            states[current] = [li.a.get_text(strip=True) for li in element.select("li")]
    return states


def test_a_sponsor_sees_their_challenges_by_state_and_drafts_one_in_the_editor(client):
    body = PublicBodyFactory(name="Transport Scotland")
    sponsor = make_sponsor_member(body, mfa=True)
    make_challenge(sponsor=body, title="Being written", live=False)
    submitted = make_challenge(sponsor=body, title="Awaiting sign-off", live=False)
    submitted.get_workflow().start(submitted, sponsor)
    make_challenge(sponsor=body, title="Open now")
    make_challenge(title="Another body's challenge")

    client.force_login(sponsor)
    html = client.get(DASHBOARD).content.decode()
    assert by_state(html) == {
        "Draft (1)": ["Being written"],
        "With sponsor sign-off (1)": ["Awaiting sign-off"],
        "With programme approval (0)": [],
        "Live (1)": ["Open now"],
        "Closed (0)": [],
    }
    soup = BeautifulSoup(html, "html.parser")
    draft = soup.find("a", string="Draft a challenge")
    space = sponsor_space_ensure(organisation=body)
    assert draft["href"] == reverse("wagtailadmin_pages:add", args=["challenges", "challengepage", space.pk])
    assert client.get(draft["href"]).status_code == 200  # the editor opens, in their own space
    # The section comes first, and the header's "Your challenges" leads to it.
    assert soup.select("main h2")[0]["id"] == "your-challenges"
    assert soup.select_one(".ds_site-header__navigation a[href='/dashboard/#your-challenges']")


def test_the_sponsor_dashboard_runs_the_same_queries_however_many_challenges(client, django_assert_max_num_queries):
    body = PublicBodyFactory()
    sponsor = make_sponsor_member(body, mfa=True)
    make_challenge(sponsor=body, title="One", live=False)
    client.force_login(sponsor)
    with CaptureQueriesContext(connection) as few:
        assert client.get(DASHBOARD).status_code == 200
    few = len(few)  # counted now: the next request clears the connection's query log
    for n in range(5):
        make_challenge(sponsor=body, title=f"Draft {n}", live=False)
        make_challenge(sponsor=body, title=f"Live {n}")
    # New public content supersedes the page's shared parts (site, footer): they are made again once, then kept.
    client.get(DASHBOARD)
    with django_assert_max_num_queries(few):
        html = client.get(DASHBOARD).content.decode()
    assert sum(len(titles) for titles in by_state(html).values()) == 11


def test_a_body_without_a_space_is_told_who_sets_one_up(client):
    sponsor = make_sponsor_member(PublicBodyFactory(name="Scottish Water"), mfa=True)
    client.force_login(sponsor)
    html = client.get(DASHBOARD).content.decode()
    assert "Scottish Water has no space for challenges yet. Ask the CivTech team to set one up." in html
    assert "Draft a challenge" not in html


def test_staff_land_on_the_programmes_work(client):
    client.force_login(staff_user())
    html = client.get(DASHBOARD).content.decode()
    links = {a.get_text(strip=True): a["href"] for element in section(html, "Programme") for a in element.select("a")}
    for label in ["Evaluation", "Portfolio", "Impact report", "Admin"]:
        assert client.get(links[label]).status_code == 200, label
    assert BeautifulSoup(html, "html.parser").select("main h2")[0].get_text(strip=True) == "Programme"


def test_an_applicant_sees_no_sponsor_or_staff_sections(client):
    client.force_login(make_applicant())
    html = client.get(DASHBOARD).content.decode()
    assert "Your challenges" not in html and "Programme" not in html
    assert BeautifulSoup(html, "html.parser").select("main h2")[0].get_text(strip=True) == "Applications"


def _form_data(html: str) -> dict[str, str]:
    """What a browser would post from the page's main form, untouched."""
    form = BeautifulSoup(html, "html.parser").select_one("form[method='post']")
    data = {}
    for field in form.select("input[name], textarea[name], select[name]"):
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[field["name"]] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[field["name"]] = field.get("value", "on")
        elif field.get("type") != "submit":
            data[field["name"]] = field.get("value", "") if field.name == "input" else field.get_text()
    return data


def _drafts_in_own_space(client, sponsor, body_name: str) -> None:
    """The sponsor's dashboard offers "Draft a challenge" and the editor opens it in their body's space."""
    from challenges.models import SponsorIndexPage

    client.force_login(sponsor)
    html = client.get(DASHBOARD).content.decode()
    assert "has no space for challenges yet" not in html
    draft = BeautifulSoup(html, "html.parser").find("a", string="Draft a challenge")
    space = SponsorIndexPage.objects.get(organisation__name=body_name)
    assert draft["href"] == reverse("wagtailadmin_pages:add", args=["challenges", "challengepage", space.pk])
    assert client.get(draft["href"]).status_code == 200


def test_a_public_body_registered_in_the_admin_has_a_space_its_sponsors_draft_in(client):
    """Staff register public bodies in the admin (the site's form is for companies): the body gets its space for
    challenges there and then, and the member named in the same form can draft a challenge in it."""
    from organisations.models import Organisation

    sponsor = UserFactory(mfa=True)
    client.force_login(staff_user())
    add = reverse("wagtailsnippets_organisations_organisation:add")
    data = _form_data(client.get(add).content.decode())
    data |= {"name": "Scottish Water", "slug": "scottish-water", "kind": "public_body"}
    data |= {"memberships-TOTAL_FORMS": "1", "memberships-0-user": str(sponsor.pk), "memberships-0-role": "member"}
    data |= {"memberships-0-id": "", "memberships-0-ORDER": "1", "memberships-0-DELETE": ""}
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get(name="Scottish Water").memberships.get().user == sponsor

    _drafts_in_own_space(client, sponsor, "Scottish Water")


def test_a_public_body_registered_by_the_service_has_a_space(client):
    from organisations.services import organisation_create

    body = organisation_create(by=staff_user(), name="Forestry and Land Scotland", kind="public_body",
                               add_creator=False)  # fmt: skip
    _drafts_in_own_space(client, make_sponsor_member(body, mfa=True), "Forestry and Land Scotland")
