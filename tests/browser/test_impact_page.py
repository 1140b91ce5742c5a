"""The public /impact/ page and the staff impact report in a real browser: axe-clean, charts drawn under the
strict CSP (a blocked script would be a console error), filters working without JavaScript."""

import pytest
from wagtail.models import Page

from impact.models import ImpactPage
from tests.browser.conftest import WAIT, sign_in
from tests.factories import staff_user
from tests.impact.test_reporting import world  # noqa: F401 - the hand-computed world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def publish_impact_page():
    home = Page.objects.get(depth=2)
    page = ImpactPage(title="Our impact", slug="impact", intro="What the programme has achieved.")
    home.add_child(instance=page)
    page.save_revision().publish()


def test_a_journalist_reads_the_public_figures(page, world):  # noqa: F811
    publish_impact_page()
    page.goto("/impact/")
    page.pw.get_by_role("heading", name="Headline figures").wait_for(timeout=WAIT)
    page.pw.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas'))", timeout=WAIT)
    page.audit()
    assert "£315,000" in page.pw.content()
    page.pw.get_by_label("Break down by").select_option("region")
    page.pw.get_by_role("button", name="Show figures").click()
    page.pw.get_by_role("rowheader", name="Highlands and Islands").wait_for(timeout=WAIT)
    page.audit()


def test_staff_read_the_report_and_export(page, world):  # noqa: F811
    staff = staff_user(email="staff@example.com")
    sign_in(page, staff, "/admin/impact-report/")
    page.pw.wait_for_url("**/admin/impact-report/", timeout=WAIT)
    page.pw.get_by_role("heading", name="Headline figures").wait_for(timeout=WAIT)
    page.audit(within="main .nice-padding")
    page.pw.get_by_role("link", name="See the records behind follow-on contract value").click()
    page.pw.get_by_text("2 records").wait_for(timeout=WAIT)
    page.audit(within="main .nice-padding")
    page.pw.get_by_role("button", name="Records behind a figure (CSV)").click()
    page.pw.get_by_role("link", name="Download").wait_for(timeout=WAIT)
    page.audit(within="main .nice-padding")
