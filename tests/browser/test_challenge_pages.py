"""The public challenge pages in a real browser: listing (filtered, sorted, paged), a challenge, a round
and a sponsor space, each with zero axe violations and no console (CSP) errors."""

import pytest

from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_listing_challenge_round_and_sponsor_pages_are_accessible(page):
    transport = PublicBodyFactory(name="Transport Scotland", slug="transport-scotland")
    nhs = PublicBodyFactory(name="NHS Lothian", slug="nhs-lothian")
    open_round = make_round(name="CivTech 20", opened_days_ago=5, description="Twenty challenges for 2026.")
    health = make_sector("Health")
    rail = make_challenge(
        sponsor=transport,
        round=open_round,
        title="Predict rail delays",
        sectors=[make_sector("Transport")],
        follow_on_value=250000,
        contact_name="Ana Smith",
        contact_email="ana@example.gov.scot",
    )
    for n in range(22):
        make_challenge(sponsor=nhs, round=open_round, title=f"Hospital challenge {n}", sectors=[health])
    make_challenge(sponsor=nhs, round=make_round(opened_days_ago=-5), title="Upcoming hospital challenge")

    page.goto("/challenges/")
    assert page.pw.locator("h1").inner_text() == "Challenges"
    page.audit()

    # Filter and search without JavaScript tricks: fill in the GET form and press the button.
    page.pw.locator("label", has_text="Open for applications").click()  # the DS draws the radio on the label
    page.pw.select_option("select[name=sponsor]", "nhs-lothian")
    page.pw.get_by_role("button", name="Apply filters").click()
    page.pw.wait_for_url("**/challenges/?*status=open*")
    assert "22 challenges" in page.pw.locator(".ds_search-results__title").inner_text()
    page.audit()

    page.pw.get_by_role("link", name="Next page").click()
    page.pw.wait_for_url("**page=2*")
    assert page.pw.locator(".ds_search-result").count() == 2
    page.audit()

    page.goto("/challenges/?q=rail&page=abc&status=nonsense")
    assert page.pw.locator(".ds_search-result").count() == 1
    assert "We did not recognise the status" in page.pw.content()
    page.audit()

    page.pw.get_by_role("link", name="Predict rail delays").click()
    page.pw.wait_for_url(f"**{rail.url}")
    assert "(UK time)" in page.pw.locator("main").inner_text()
    page.audit()

    page.pw.get_by_role("link", name="CivTech 20").first.click()
    page.pw.wait_for_url(f"**/challenges/rounds/{open_round.slug}/")
    assert "Twenty challenges for 2026." in page.pw.content()
    page.audit()

    page.goto("/challenges/nhs-lothian/")
    assert page.pw.locator("h1").inner_text() == "NHS Lothian"
    page.audit()
