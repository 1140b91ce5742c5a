"""Programme staff read, filter and export applications in the Wagtail admin; nobody edits them there."""

import csv
import html
import io

import pytest
from django.urls import NoReverseMatch, reverse

from applications.models import Application
from applications.services import application_submit
from tests.conftest import response_text
from tests.factories import ALL_DECLARED, OrganisationFactory, UserFactory, make_applicant, make_application, staff_user

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_applications_application:list"


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    return client


@pytest.fixture
def applications():
    submitted = make_application(applicant=make_applicant(OrganisationFactory(name="Submitted Robotics Ltd")))
    application_submit(application_id=submitted.pk, by=submitted.created_by, declarations=ALL_DECLARED)
    submitted.refresh_from_db()
    draft = make_application(applicant=make_applicant(OrganisationFactory(name="Drafting Data Ltd")))
    return submitted, draft


def test_a_superuser_sees_every_application_in_the_listing(superuser_client, applications):
    submitted, _draft = applications
    response = superuser_client.get(reverse(LIST))
    assert response.status_code == 200
    html = response.content.decode()
    assert submitted.reference in html
    assert "Submitted Robotics Ltd" in html and "Drafting Data Ltd" in html


def test_the_listing_filters_by_status_and_searches_by_reference(superuser_client, applications):
    submitted, _draft = applications
    html = superuser_client.get(reverse(LIST), {"status": Application.Status.DRAFT}).content.decode()
    assert "Drafting Data Ltd" in html
    assert "Submitted Robotics Ltd" not in html
    html = superuser_client.get(reverse(LIST), {"q": submitted.reference}).content.decode()
    assert "Submitted Robotics Ltd" in html
    assert "Drafting Data Ltd" not in html


def test_staff_search_finds_an_application_by_any_answers_words(superuser_client, applications):
    from applications.services import application_save

    _submitted, draft = applications

    application_save(application=draft, by=draft.created_by, answers={"team": "Two marine biologists from Oban"})
    html = superuser_client.get(reverse(LIST), {"q": "marine biologists"}).content.decode()
    assert "Drafting Data Ltd" in html and "Submitted Robotics Ltd" not in html


def test_the_export_lists_references_with_sponsor_sme_and_region(superuser_client, applications):
    submitted, _draft = applications
    response = superuser_client.get(reverse(LIST), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response_text(response))))
    assert {"Reference", "Sponsor", "SME", "Region", "Status"} <= set(rows[0])
    row = next(r for r in rows if r["Reference"] == submitted.reference)
    assert row["Sponsor"] == str(submitted.challenge.sponsor)
    assert row["SME"] == "True"
    assert row["Region"] == submitted.organisation.get_region_display()
    assert row["Status"] == "Submitted"


def test_the_inspect_view_shows_an_application(superuser_client, applications):
    submitted, _draft = applications
    url = reverse("wagtailsnippets_applications_application:inspect", args=[submitted.pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert submitted.reference in page
    # Each answer under its question's label, never the raw stored data.
    assert "<dt>Your idea and how it solves the challenge</dt><dd>A booking assistant" in page
    assert "{'idea'" not in page and '{"idea"' not in page


def test_nobody_adds_copies_or_edits_applications_in_the_admin(superuser_client, applications):
    submitted, _draft = applications
    assert superuser_client.get(reverse("wagtailsnippets_applications_application:add")).status_code in (302, 403)
    edit = reverse("wagtailsnippets_applications_application:edit", args=[submitted.pk])
    assert superuser_client.post(edit, {"status": "selected"}).status_code in (302, 403)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    with pytest.raises(NoReverseMatch):
        reverse("wagtailsnippets_applications_application:copy", args=[submitted.pk])


def test_programme_staff_can_read_the_listing(client, applications):
    submitted, _draft = applications
    client.force_login(staff_user())
    response = client.get(reverse(LIST))
    assert response.status_code == 200
    assert submitted.reference in response.content.decode()


def test_an_applicant_cannot_reach_the_listing(client, applications):
    submitted, _draft = applications
    client.force_login(submitted.created_by)
    response = client.get(reverse(LIST))
    assert response.status_code in (302, 403)
    assert submitted.reference not in response_text(response)


# --- the list at scale (issue #22) ------------------------------------------------------------------------------


def test_the_listing_filters_by_challenge_and_round_without_a_select_of_every_challenge(superuser_client, applications):
    submitted, _draft = applications
    html = superuser_client.get(reverse(LIST)).content.decode()
    # The challenge is chosen in the page chooser: no <option> per challenge is rendered on every request.
    assert f'<option value="{submitted.challenge.pk}"' not in html
    assert 'id="id_challenge"' in html

    by_challenge = superuser_client.get(reverse(LIST), {"challenge": submitted.challenge.pk}).content.decode()
    assert "Submitted Robotics Ltd" in by_challenge and "Drafting Data Ltd" not in by_challenge
    by_round = superuser_client.get(reverse(LIST), {"round": submitted.challenge.round.pk}).content.decode()
    assert "Submitted Robotics Ltd" in by_round and "Drafting Data Ltd" not in by_round
    for value in ("999999", "1; DROP TABLE auth_user; --", "2026-02-30", "1e309", "²", "9" * 30):
        # a stale, mistyped or hostile id is a form error, never a 500
        assert superuser_client.get(reverse(LIST), {"challenge": value}).status_code == 200, value


def test_each_row_shows_its_reference_linked_challenge_organisation_status_and_submission(
    superuser_client, applications
):
    submitted, _ = applications
    html = superuser_client.get(reverse(LIST)).content.decode()
    inspect = reverse("wagtailsnippets_applications_application:inspect", args=[submitted.pk])
    assert f'<a href="{inspect}">{submitted.reference}</a>' in html
    assert f"<td>{submitted.challenge.title}</td>" in html
    assert "<td>Submitted Robotics Ltd</td>" in html
    assert "<td>Submitted</td>" in html and "<td>Draft</td>" in html
    assert 'type="checkbox" name="selected"' not in html.replace("'", '"')  # read-only: nothing to bulk-act on


def _applications(n: int) -> None:
    for i in range(n):
        make_application(applicant=make_applicant(OrganisationFactory(name=f"Company {i}")))


def test_the_listing_costs_the_same_queries_for_five_rows_and_for_fifty(
    superuser_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _applications(5)
    superuser_client.get(reverse(LIST))
    with CaptureQueriesContext(connection) as few:
        response = superuser_client.get(reverse(LIST))
    assert response.content.decode().count("Company ") >= 5
    few = len(few)  # counted now: the next request clears the connection's query log
    _applications(50)
    # Each new sponsor's space gives its group page permissions, which can change anyone's admin menu: the menu is
    # made again once (civtech/templatetags/wagtailadmin_sidebar.py), then kept.
    superuser_client.get(reverse(LIST))
    with django_assert_max_num_queries(few):
        response = superuser_client.get(reverse(LIST))
    assert response.content.decode().count("<td>Company ") == 50  # fifty rows to a page
