"""Staff in the Wagtail admin: the verification queue and pages, read-only listings with filters and exports.
Sponsors reach the admin for their challenges, but never these pages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from impact import selectors
from impact.models import Benefit, ImpactReturn
from impact.services.benefits import benefit_record
from impact.services.returns import return_submit
from tests.conftest import response_text
from tests.factories import GOOD_RETURN, make_impact_return

from .test_benefits import SAVING

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(cast):
    today = timezone.localdate()
    return make_impact_return(
        engagement=cast.engagement, period_end=today - timedelta(days=90), due_on=today - timedelta(days=60)
    )


def test_staff_verify_a_return_from_the_queue(client, cast):
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_RETURN)
    client.force_login(cast.staff)
    url = reverse("impact_verification:return", args=[cast.impact_return.pk])
    assert url in response_text(client.get(reverse("impact_verification:index")))
    assert "Verify this return" in response_text(client.get(url))
    client.post(url)
    assert ImpactReturn.objects.get(pk=cast.impact_return.pk).verified_by == cast.staff
    page = response_text(client.get(url, follow=True))
    assert "already verified" in page
    client.post(url)  # a second click shows the reason; it is not an error page
    assert client.get(url).status_code == 200


def table_rows(html: str) -> list[list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in soup.select("tbody tr")]


def test_verifying_a_return_shows_what_changed_since_the_last_one(client, cast):
    today = timezone.localdate()
    earlier = make_impact_return(
        engagement=cast.engagement, kind="periodic", period_end=cast.impact_return.period_start,
        due_on=today - timedelta(days=300),
    )  # fmt: skip
    return_submit(impact_return=earlier, by=cast.team, figures=GOOD_RETURN)
    unsubmitted_later = make_impact_return(engagement=cast.engagement, period_end=today + timedelta(days=200))
    assert selectors.previous_return(unsubmitted_later) == earlier  # only submitted returns count as "the last"
    grown = {**GOOD_RETURN, "headcount": 15, "turnover": Decimal(400000)}
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=grown)
    assert selectors.previous_return(cast.impact_return) == earlier
    assert selectors.previous_return(earlier) is None
    assert selectors.previous_return(cast.other_return) is None  # another company's returns never count

    client.force_login(cast.staff)
    html = response_text(client.get(reverse("impact_verification:return", args=[cast.impact_return.pk])))
    assert "Compared with the last return" in html
    rows = {cells[0]: cells[1:] for cells in table_rows(html)}
    assert rows["Headcount"] == ["15", "12", "Changed"]
    assert rows["Turnover in the period"] == ["£400,000.00", "£250,000.00", "Changed"]
    assert rows["Jobs created because of the programme"] == ["3", "3", "Same"]
    first = response_text(client.get(reverse("impact_verification:return", args=[earlier.pk])))
    assert "first return for this engagement" in first


def test_staff_reject_a_benefit_only_with_a_note(client, cast):
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    client.force_login(cast.staff)
    url = reverse("impact_verification:benefit", args=[benefit.pk])
    response = client.post(url, {"action": "reject", "note": ""})
    assert response.status_code == 200 and "Say why the benefit is not verified" in response_text(response)
    client.post(url, {"action": "reject", "note": "No ledger"})
    benefit.refresh_from_db()
    assert (benefit.status, benefit.verification_note) == (Benefit.Status.REJECTED, "No ledger")


def test_staff_verify_a_benefit(client, cast):
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    client.force_login(cast.staff)
    client.post(reverse("impact_verification:benefit", args=[benefit.pk]), {"action": "verify", "note": "Checked"})
    benefit.refresh_from_db()
    assert benefit.status == Benefit.Status.VERIFIED and benefit.verified_by == cast.staff


def test_sponsors_and_companies_never_reach_the_impact_admin(client, cast):
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    for person in (cast.sponsor, cast.team):
        client.force_login(person)
        for url in (
            reverse("impact_verification:index"),
            reverse("impact_verification:return", args=[cast.impact_return.pk]),
            reverse("impact_verification:benefit", args=[benefit.pk]),
            reverse("wagtailsnippets_impact_impactreturn:list"),
            reverse("wagtailsnippets_impact_benefit:list"),
        ):
            assert client.get(url).status_code in (302, 403), url
        client.post(reverse("impact_verification:benefit", args=[benefit.pk]), {"action": "verify"})
    benefit.refresh_from_db()
    assert benefit.status == Benefit.Status.SUBMITTED


def test_the_returns_listing_filters_late_and_verified_and_exports(client, cast, late):
    client.force_login(cast.staff)
    url = reverse("wagtailsnippets_impact_impactreturn:list")
    page = response_text(client.get(url, {"late": "yes"}))
    assert reverse("impact_verification:return", args=[late.pk]) in page
    assert reverse("impact_verification:return", args=[cast.impact_return.pk]) not in page
    csv = response_text(client.get(url, {"export": "csv", "verified": "no", "round": cast.challenge.round_id}))
    assert "Return id" in csv and "Rural bus demand" in csv and "Other" not in csv
    assert client.get(url, {"export": "xlsx"}).status_code == 200


def test_the_benefits_listing_filters_and_exports(client, cast):
    benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    benefit_record(challenge=cast.other_challenge, by=cast.other_sponsor, **{**SAVING, "title": "Theirs"})
    client.force_login(cast.staff)
    url = reverse("wagtailsnippets_impact_benefit:list")
    csv = response_text(client.get(url, {"export": "csv", "sponsor": cast.body.pk, "status": "submitted"}))
    assert "Fewer agency staff" in csv and "Theirs" not in csv
    assert "Fewer agency staff" not in response_text(client.get(url, {"kind": "non_financial"}))


def test_the_admin_never_edits_returns_or_benefits(client, cast):
    client.force_login(cast.staff)
    assert client.get(reverse("wagtailsnippets_impact_impactreturn:add")).status_code in (302, 403)
    edit = reverse("wagtailsnippets_impact_impactreturn:edit", args=[cast.impact_return.pk])
    assert client.get(edit).status_code in (302, 403)


def test_late_and_stale_selectors(cast, late):
    assert list(selectors.late_returns()) == [late]
    # The newest ended period of the cast's engagement is the one from last week: stale until submitted.
    assert set(selectors.stale_returns()) == {cast.impact_return, cast.other_return}
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_RETURN)
    assert set(selectors.stale_returns()) == {cast.other_return}  # the older late one is late, not stale
    assert list(selectors.late_returns(today=late.due_on)) == []


def test_the_impact_lists_and_the_verification_queue_cost_the_same_queries_for_few_rows_and_many(client, cast):
    """Flat from a few rows to many (issue #22): the returns and benefits listings and the verification queue, with
    their organisations, sponsors, challenges and rounds, for returns submitted and waiting and benefits recorded."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    urls = [
        reverse("wagtailsnippets_impact_impactreturn:list"),
        reverse("wagtailsnippets_impact_benefit:list"),
        reverse("impact_verification:index"),
    ]

    made_so_far = []

    def grow(times: int) -> None:
        for _ in range(times):
            made_so_far.append(1)
            n = len(made_so_far)
            period_end = today - timedelta(days=100 + n)  # a period of its own for each return
            made = make_impact_return(engagement=cast.engagement, kind="periodic", period_end=period_end)
            return_submit(impact_return=made, by=cast.team, figures=GOOD_RETURN)
            make_impact_return(engagement=cast.other_engagement, kind="periodic", period_end=period_end)
            benefit_record(challenge=cast.challenge, by=cast.sponsor, **{**SAVING, "title": f"Saving {n}"})

    def queries() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    client.force_login(cast.staff)
    grow(2)
    client.get(urls[0])  # warm the per-process caches once
    few = queries()
    grow(10)
    assert ImpactReturn.objects.count() >= 24 and Benefit.objects.count() >= 12
    assert queries() == few
