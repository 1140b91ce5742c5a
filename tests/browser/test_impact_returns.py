"""A company submits its impact return (after one mistake) and a sponsor records a benefit: accessibly (axe),
within the CSP, and without JavaScript doing anything the server does not."""

import pytest

from impact.models import Benefit, ImpactReturn
from tests.browser.conftest import Page
from tests.factories import (
    GOOD_FIGURES,
    PASSWORD,
    PublicBodyFactory,
    make_applicant,
    make_challenge,
    make_engagement,
    make_impact_return,
    make_round,
    make_sponsor_member,
    staff_user,
    totp_fresh,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LABELS = {
    "headcount": "Headcount", "fte": "Full-time equivalent staff",
    "jobs_created": "Jobs created because of the programme",
    "jobs_safeguarded": "Jobs safeguarded because of the programme", "turnover": "Turnover in the period",
    "investment_equity": "Equity investment raised", "investment_grant": "Grant funding raised",
    "investment_debt": "Debt finance raised", "contracts_public": "Public sector contracts won",
    "contracts_private": "Private sector contracts won", "exports": "Export sales",
}  # fmt: skip


def sign_in(browser, live_server, user, next_path: str, *, mfa: bool) -> Page:
    context = browser.new_context(base_url=live_server.url)
    page = Page(context.new_page(), live_server.url)
    page.goto(f"/accounts/login/?next={next_path}")
    page.pw.fill("input[name=login]", user.email)
    page.pw.fill("input[name=password]", PASSWORD)
    page.pw.locator("main button[type=submit]").click()
    if mfa:
        page.pw.wait_for_url("**/accounts/2fa/authenticate/**")
        page.pw.fill("input[name=code]", totp_fresh())
        page.pw.get_by_role("button", name="Sign In").click()
    page.pw.wait_for_url(f"**{next_path}")
    return page


def test_a_company_submits_a_return_and_a_sponsor_records_a_benefit(browser, live_server):
    body = PublicBodyFactory(name="Transport Scotland")
    challenge = make_challenge(sponsor=body, round=make_round(opened_days_ago=60), title="Rural bus demand")
    member = make_applicant(email="team@example.com")
    engagement = make_engagement(challenge=challenge, applicant=member, by=staff_user())
    engagement.impact_returns.all().delete()  # the scheduled baseline: this journey uses its own dates
    impact_return = make_impact_return(engagement=engagement)
    sponsor = make_sponsor_member(body, email="sponsor@example.com", mfa=True)

    team = sign_in(browser, live_server, member, "/returns/", mfa=False)
    team.audit()
    team.pw.get_by_role("link", name="Baseline at selection").click()
    team.pw.wait_for_url(f"**/returns/{impact_return.pk}/")
    team.audit()
    for key, label in LABELS.items():
        team.pw.get_by_label(label, exact=True).fill(GOOD_FIGURES[key])
    team.pw.get_by_label("Full-time equivalent staff", exact=True).fill("40")  # more than the headcount
    team.pw.locator("label[for=id_still_trading_0]").click()  # still trading: yes
    team.pw.get_by_role("button", name="Submit the return").click()
    team.pw.wait_for_selector(".ds_error-summary")
    assert team.pw.get_by_label("Turnover in the period").input_value() == GOOD_FIGURES["turnover"]
    team.audit()
    team.pw.get_by_label("Full-time equivalent staff", exact=True).fill("10.5")
    team.pw.get_by_role("button", name="Submit the return").click()
    team.pw.wait_for_url("**/returns/")
    assert "awaiting verification" in team.pw.content()
    team.audit()
    assert ImpactReturn.objects.get(pk=impact_return.pk).fte == 10.5

    page = sign_in(browser, live_server, sponsor, "/benefits/", mfa=True)
    page.audit()
    page.pw.get_by_role("link", name="Record a benefit").click()
    page.pw.wait_for_url("**/benefits/new/")
    page.audit()
    page.pw.get_by_label("Which challenge's product brought this benefit?").select_option(label="Rural bus demand")
    page.pw.locator("label[for=id_kind_0]").click()  # Cashable saving
    page.pw.get_by_label("Title").fill("Fewer empty bus runs")
    page.pw.locator("label[for=id_recurrence_1]").click()  # Recurring each year
    page.pw.get_by_label("Amount saved").fill("40000")
    page.pw.get_by_label("Years the saving recurs").fill("3")
    page.pw.get_by_label("Evidence", exact=True).fill("Operator invoices before and after.")
    page.pw.get_by_role("button", name="Record the benefit").click()
    page.pw.wait_for_url("**/benefits/")
    page.audit()
    assert Benefit.objects.get().title == "Fewer empty bus runs"
