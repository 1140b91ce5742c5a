"""The dashboard is composed from each app's sections, found through the app registry (issue #19, item 6)."""

import pytest
from bs4 import BeautifulSoup
from django.template.loader import get_template
from django.urls import reverse

from accounts.roles import Role
from civtech.app_parts import app_parts
from civtech.dashboard_parts import DashboardSection
from impact import dashboard as impact_dashboard
from tests.factories import UserFactory, make_applicant, staff_user

DASHBOARD = "/dashboard/"


def headings(client) -> list[str]:
    html = client.get(DASHBOARD).content.decode()
    return [h2.get_text(strip=True) for h2 in BeautifulSoup(html, "html.parser").select("main h2")]


def test_a_section_is_shown_to_its_roles_to_staff_if_it_says_so_and_to_everyone_if_it_names_no_one():
    sponsors = DashboardSection(order=1, template="t", roles=frozenset({Role.SPONSOR}))
    assert sponsors.shown_to(frozenset({Role.SPONSOR, Role.APPLICANT}), is_staff=False)
    assert not sponsors.shown_to(frozenset({Role.APPLICANT}), is_staff=False)
    assert not sponsors.shown_to(frozenset(), is_staff=True)  # staff see it only where it says so
    staff_and_sponsors = DashboardSection(order=1, template="t", roles=frozenset({Role.SPONSOR}), staff=True)
    assert staff_and_sponsors.shown_to(frozenset(), is_staff=True)
    assert not staff_and_sponsors.shown_to(frozenset({Role.ASSESSOR}), is_staff=False)
    staff_only = DashboardSection(order=1, template="t", staff=True)
    assert staff_only.shown_to(frozenset(), is_staff=True) and not staff_only.shown_to(frozenset(), is_staff=False)
    everyone = DashboardSection(order=1, template="t")
    assert everyone.shown_to(frozenset(), is_staff=False)


def test_every_section_template_exists_and_every_programme_link_opens():
    sections = app_parts("dashboard", "DASHBOARD_SECTIONS")
    assert {section.template.split("/")[0] for section in sections} == {
        "accounts", "organisations", "challenges", "applications", "impact", "sprints",
    }  # fmt: skip
    for section in sections:
        get_template(section.template)
    links = app_parts("dashboard", "PROGRAMME_LINKS")
    assert len(links) == 5 and len({link.order for link in links}) == 5
    for link in links:
        reverse(link.url_name)


@pytest.mark.django_db
def test_someone_with_no_role_sees_only_their_account_and_organisations(client):
    client.force_login(UserFactory())
    assert headings(client) == ["Your details", "Your organisations"]


@pytest.mark.django_db
def test_an_applicant_sees_their_sections_in_the_order_of_the_journey(client):
    client.force_login(make_applicant())
    assert headings(client) == ["Applications", "Impact", "Workspaces", "Your details", "Your organisations"]


@pytest.mark.django_db
def test_staff_get_the_programme_list_from_every_app_in_order(client):
    client.force_login(staff_user(), backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(DASHBOARD).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    programme = soup.find("h2", string="Programme").find_next("ul")
    assert [a.get_text(strip=True) for a in programme.select("a")] == [
        "Evaluation", "Portfolio", "Impact report", "Impact returns and benefits to verify", "Challenge pipeline",
        "Admin",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_section_added_by_one_app_appears_for_its_role_without_touching_the_dashboard(client, monkeypatch):
    added = DashboardSection(order=85, template="impact/dashboard/_benefits.html", roles=frozenset({Role.APPLICANT}))
    monkeypatch.setattr(impact_dashboard, "DASHBOARD_SECTIONS", [*impact_dashboard.DASHBOARD_SECTIONS, added])
    client.force_login(make_applicant())
    expected = ["Applications", "Impact", "Workspaces", "Your details", "Benefits", "Your organisations"]
    assert headings(client) == expected
