"""The staff impact report (admin), its drill-down, assumptions and Celery exports; the public /impact/ page."""

import csv
import io
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import Page

from accounts.roles import Role
from impact.annual_report import annual_report_pdf
from impact.models import Assumptions, Export, ImpactPage
from organisations.services import membership_add
from tests.factories import UserFactory, staff_user
from tests.impact.test_reporting import PUBLIC, STAFF, world  # noqa: F401 - the hand-computed world

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = staff_user()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def impact_page():
    home = Page.objects.get(depth=2)
    page = ImpactPage(title="Our impact", slug="impact", intro="What the programme has achieved.")
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_staff_report_shows_every_figure_and_the_flags(staff_client, world):  # noqa: F811
    html = unescape(staff_client.get(reverse("impact_report:index")).content.decode())
    assert "£315,000" in html and "£300,000" in html  # prototype funding; follow-on incl. unverified
    assert "1 follow-on contract not yet verified" in html
    assert "1 impact return not yet verified" in html


def test_filters_and_breakdowns_on_the_staff_report(staff_client, world):  # noqa: F811
    html = unescape(
        staff_client.get(reverse("impact_report:index"), {"round": world["r2"].pk, "by": "region"}).content.decode()
    )
    assert "Figures by region" in html and "Highlands and Islands" in html and "£5,000" in html
    # nonsense filters are ignored, never a server error
    response = staff_client.get(reverse("impact_report:index"), {"round": "x", "year": "1e9", "by": "colour"})
    assert response.status_code == 200


def test_every_figure_drills_down_to_its_records(staff_client, world):  # noqa: F811
    html = staff_client.get(reverse("impact_report:records", args=["follow_on_value"])).content.decode()
    assert "2 records" in html and "Live" in html and "Reuse" in html
    html = staff_client.get(reverse("impact_report:records", args=["jobs_created"])).content.decode()
    assert "X Ltd" in html and "Y Ltd" in html
    assert staff_client.get(reverse("impact_report:records", args=["nonsense"])).status_code == 404


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.APPLICANT, Role.ASSESSOR])
def test_only_staff_reach_the_report(client, world, role):  # noqa: F811
    user = UserFactory(role=role, mfa=True)
    if role == Role.SPONSOR:
        membership_add(organisation=world["s1"], user=user, role="member", by=None)
    client.force_login(user)
    for url in [reverse("impact_report:index"), reverse("impact_report:records", args=["savings"]),
                reverse("impact_report:assumptions")]:  # fmt: skip
        assert client.get(url).status_code in (302, 403), url
    assert client.post(reverse("impact_report:export_new"), {"kind": "figures_csv"}).status_code in (302, 403)
    assert not Export.objects.exists()


def test_changing_the_assumptions_changes_net_figures_and_keeps_history(staff_client, world):  # noqa: F811
    url = reverse("impact_report:assumptions")
    bad = staff_client.post(url, {"leakage": "1.5", "displacement": "0.2", "substitution": "0", "multiplier": "1.5",
                                  "deadweight": "0.5", "note": "Evaluation 2026"})  # fmt: skip
    assert "Ensure this value is less than or equal to 1" in bad.content.decode()
    assert 'value="Evaluation 2026"' in bad.content.decode() or "Evaluation 2026</textarea>" in bad.content.decode()
    good = {"leakage": "0.1", "displacement": "0.2", "substitution": "0", "multiplier": "1.5", "deadweight": "0.5"}
    assert "Say where these values come from" in staff_client.post(url, good | {"note": " "}).content.decode()
    assert staff_client.post(url, good | {"note": "Evaluation 2026"}).status_code == 302
    assert Assumptions.current().net_factor() == Decimal("0.54")
    html = staff_client.get(reverse("impact_report:index")).content.decode()
    assert "58,333" in html  # staff figures: 315,000 ÷ (10 gross jobs × 0.54)


def test_an_export_runs_in_celery_with_progress_and_a_private_download(staff_client, world, on_commit):  # noqa: F811
    with on_commit():
        response = staff_client.post(reverse("impact_report:export_new"), {"kind": "figures_csv"})
    export = Export.objects.get()
    assert response["Location"] == reverse("impact_report:export", args=[export.pk])
    assert (export.status, export.progress) == ("done", 100)
    status = staff_client.get(response["Location"]).content.decode()
    assert "Download civtech-figures-" in status
    download = staff_client.get(reverse("impact_report:export_download", args=[export.pk]))
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert next(Decimal(r[1]) for r in rows if r and r[0] == "Prototype funding") == Decimal("315000")
    # another member of staff cannot fetch someone else's export
    staff_client.force_login(staff_user())
    assert staff_client.get(reverse("impact_report:export_download", args=[export.pk])).status_code == 404


@pytest.mark.parametrize("kind", ["figures_xlsx", "records_csv", "records_xlsx", "annual_pdf"])
def test_every_export_kind_builds(staff_client, world, on_commit, kind):  # noqa: F811
    with on_commit():
        staff_client.post(reverse("impact_report:export_new"), {"kind": kind, "figure": "prototype_funding"})
    export = Export.objects.get()
    assert export.status == "done", export.error
    content = export.file.open("rb").read()
    magic = {"figures_xlsx": b"PK", "records_xlsx": b"PK", "annual_pdf": b"%PDF", "records_csv": b"\xef\xbb\xbf"}
    assert content.startswith(magic[kind])


def test_a_bad_export_request_is_refused_clearly(staff_client):
    response = staff_client.post(
        reverse("impact_report:export_new"), {"kind": "records_csv", "figure": "x"}, follow=True
    )
    assert "Choose the figure whose records to export." in response.content.decode()
    assert not Export.objects.exists()


def test_the_annual_report_shows_verified_figures_only(world):  # noqa: F811
    pdf = annual_report_pdf(world["r1"].call_opens.year)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


# --- The public page -----------------------------------------------------------------------------------
def test_the_public_page_shows_only_verified_figures(client, world, impact_page):  # noqa: F811
    html = unescape(client.get("/impact/").content.decode())
    assert "£315,000" in html and "£200,000" in html and "£75,000" in html
    assert "£300,000" not in html and "£84,999" not in html  # the staff figures include unverified records
    assert "See the records" not in html  # no drill-down for the public
    assert 'id="funding-chart"' in html and "Figures by round" in html


def test_the_public_page_filters_and_survives_nonsense(client, world, impact_page):  # noqa: F811
    html = unescape(client.get("/impact/", {"sponsor": world["s2"].pk, "by": "sponsor"}).content.decode())
    assert "Sponsor Two" in html and "£5,000" in html
    assert client.get("/impact/", {"round": "'; drop table", "region": "mars"}).status_code == 200


def test_the_public_page_runs_a_bounded_number_of_queries(client, world, impact_page, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(40):
        client.get("/impact/")


def test_staff_and_public_figures_agree_with_the_hand_computed_world(world):  # noqa: F811
    assert PUBLIC["prototype_funding"] == STAFF["prototype_funding"]
