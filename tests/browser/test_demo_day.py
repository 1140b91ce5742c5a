"""A member of the public finds Demo Day from a challenge page, reads the demos and registers, accessibly
and within the CSP: a mistake is explained and what was typed is kept; a full event says so."""

import pytest

from cms.models import DemoDayRegistration
from notifications.models import OutboundEmail
from tests.browser.conftest import WAIT
from tests.factories import (
    OrganisationFactory,
    PublicBodyFactory,
    make_applicant,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_round,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_guest_finds_demo_day_from_the_challenge_and_registers(page):
    round_ = make_round(opened_days_ago=60)
    challenge = make_challenge(sponsor=PublicBodyFactory(name="Transport Scotland"), round=round_, title="Rural bus")
    team = make_applicant(OrganisationFactory(name="Ferry Good Ltd", description="Booking tools for rural transport."))
    make_engagement(stage="accelerator", challenge=challenge, applicant=team, by=staff_user())
    demo_day = make_demo_day(round=round_, capacity=1, title="CivTech Demo Day")

    page.goto(challenge.url)
    page.audit()
    page.pw.get_by_role("link", name="CivTech Demo Day").click()
    page.pw.wait_for_url(f"**{demo_day.url}", timeout=WAIT)
    assert "Booking tools for rural transport." in page.pw.content()
    page.audit()

    page.pw.get_by_label("Full name").fill("Morag Campbell")
    page.pw.get_by_label("Email address").fill("not an email")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_selector(".ds_error-summary", timeout=WAIT)
    assert page.pw.get_by_label("Full name").input_value() == "Morag Campbell"  # nothing typed is lost
    page.audit()

    page.pw.get_by_label("Email address").fill("morag@example.org")
    page.pw.get_by_label("Organisation").fill("Fife Council")
    page.pw.get_by_label("Accessibility needs (optional)").fill("Step-free access")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_selector("text=You are registered for CivTech Demo Day", timeout=WAIT)
    page.audit()
    assert DemoDayRegistration.objects.get().email == "morag@example.org"
    assert OutboundEmail.objects.filter(to="morag@example.org").count() == 1

    # The only place is taken: the page says so instead of offering a form that would fail.
    page.pw.reload()
    page.pw.wait_for_selector("text=This event is full", timeout=WAIT)
    assert page.pw.locator("input[name=email]").count() == 0
    page.audit()
