"""Every figure against a hand-computed world: gross, by round/year/sponsor/region, net impact and the ratios.

The world (see `world`): two challenges in two rounds from two sponsors; company X (Glasgow) explores A and
builds it in the accelerator; company Y (Highlands) explores A and B.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from impact.models import Assumptions, Benefit, ImpactReturn
from impact.reporting import (
    BY_KEY,
    Filters,
    _engagements,
    _money,
    breakdown,
    headline,
    net_impact,
    quality_flags,
    records,
)
from ledger.models import Contract, Payment
from ledger.services import (
    contract_record_follow_on,
    contract_verify,
    payment_mark_paid,
    payment_schedule,
    variation_approve,
)
from sprints.services.engagements import contract_for_engagement
from tests.factories import (
    OrganisationFactory,
    PublicBodyFactory,
    make_applicant,
    make_challenge,
    make_engagement,
    make_round,
    staff_user,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def a_return(engagement, *, verified, kind="periodic", months_ago=6, **figures):
    end = TODAY - timedelta(days=30 * months_ago)
    return ImpactReturn.objects.create(
        engagement=engagement,
        organisation=engagement.application.organisation,
        kind=kind,
        period_start=end - timedelta(days=182),
        period_end=end,
        due_on=end + timedelta(days=30),
        submitted_at=timezone.now(),
        verified_at=timezone.now() if verified else None,
        **figures,
    )


def a_benefit(challenge, staff, *, status, kind, amount=None, recurrence="", years=None, **extra):
    return Benefit.objects.create(
        challenge=challenge, sponsor=challenge.sponsor, kind=kind, title=f"{kind} {amount}", amount=amount,
        recurrence=recurrence, years=years, evidence="Finance report.", status=status, recorded_by=staff, **extra,
    )  # fmt: skip


@pytest.fixture
def world():
    staff = staff_user()
    s1, s2 = PublicBodyFactory(name="Sponsor One"), PublicBodyFactory(name="Sponsor Two")
    r1, r2 = make_round(name="Round One", opened_days_ago=60), make_round(name="Round Two", opened_days_ago=420)
    a = make_challenge(sponsor=s1, round=r1, title="Challenge A")
    b = make_challenge(sponsor=s2, round=r2, title="Challenge B")
    x = OrganisationFactory(name="X Ltd", region="glasgow")
    y = OrganisationFactory(name="Y Ltd", region="highlands")
    ax, ay = make_applicant(x), make_applicant(y)
    ax_accel = make_engagement(stage="accelerator", challenge=a, applicant=ax, by=staff)
    ax_expl = ax_accel.application.engagements.get(stage="exploration")
    ay_expl = make_engagement(challenge=a, applicant=ay, by=staff)
    by_expl = make_engagement(challenge=b, applicant=make_applicant(y), by=staff)
    contracts = {e: contract_for_engagement(engagement=e, by=staff) for e in (ax_expl, ay_expl, by_expl, ax_accel)}
    variation_approve(contract=contracts[ax_accel], amount=Decimal("-50000"), reason="Descoped.", by=staff)
    payment_mark_paid(payment=contracts[ax_expl].payments.get(), paid_on=TODAY, by=staff)
    # The accelerator's contract starts on the round's date, after today; it is paid today, so it started today.
    Contract.objects.filter(pk=contracts[ax_accel].pk).update(starts_on=TODAY)
    tranche = payment_schedule(
        contract=contracts[ax_accel], description="M1", amount=Decimal("100000"), due_on=TODAY, by=staff
    )
    payment_mark_paid(payment=tranche, paid_on=TODAY, by=staff)
    follow_on = contract_record_follow_on(
        challenge=a, supplier=x, kind="follow_on", buyer=s1, title="Live", value=Decimal("200000"), starts_on=TODAY,
        ends_on=TODAY, awarded_on=TODAY, evidence="Notice 1.", by=staff,
    )  # fmt: skip
    contract_verify(contract=follow_on, by=staff)
    contract_record_follow_on(
        challenge=a, supplier=x, kind="reuse", buyer=s2, title="Reuse", value=Decimal("100000"), starts_on=TODAY,
        ends_on=TODAY, awarded_on=TODAY, evidence="Letter.", by=staff,
    )  # fmt: skip
    a_return(ax_accel, verified=True, kind="baseline", months_ago=12, jobs_created=10, headcount=5)  # not counted
    a_return(ax_accel, verified=True, months_ago=6, jobs_created=4, jobs_safeguarded=2,
             investment_equity=100000, investment_grant=50000)  # fmt: skip
    a_return(ax_accel, verified=False, months_ago=0, jobs_created=3, jobs_safeguarded=0, investment_debt=25000)
    a_return(by_expl, verified=True, jobs_created=1)
    a_benefit(a, staff, status="verified", kind="cashable", amount=20000, recurrence="recurring", years=3)
    a_benefit(a, staff, status="verified", kind="non_cashable", amount=15000, recurrence="one_off")
    a_benefit(a, staff, status="submitted", kind="cashable", amount=9999, recurrence="one_off")
    a_benefit(a, staff, status="rejected", kind="cashable", amount=1_000_000, recurrence="one_off")
    a_benefit(a, staff, status="verified", kind="non_financial", metric="Missed appointments", baseline=10, target=5)
    return {"r1": r1, "r2": r2, "s1": s1, "s2": s2, "a": a, "b": b}


PUBLIC = {
    "challenges": 2,
    "exploration_teams": 3,
    "accelerator_teams": 1,
    "prototype_funding": Decimal("315000"),  # 3 × 5,000 + (350,000 − 50,000)
    "prototype_paid": Decimal("105000"),  # 5,000 + 100,000
    "follow_on_value": Decimal("200000"),  # the reuse contract is not verified yet
    "jobs_created": 5,  # 4 + 1 verified; the baseline and the unverified return do not count
    "jobs_safeguarded": 2,
    "investment": Decimal("150000"),
    "savings": Decimal("75000"),  # 20,000 × 3 years + 15,000; unverified, rejected and non-financial excluded
}
STAFF = PUBLIC | {
    "follow_on_value": Decimal("300000"),
    "jobs_created": 8,
    "investment": Decimal("175000"),
    "savings": Decimal("84999"),
}


def test_public_headline_counts_only_verified_records(world):
    assert headline(public=True) == PUBLIC


def test_staff_headline_counts_everything_recorded(world):
    assert headline(public=False) == STAFF


def test_breakdown_by_round(world):
    rows = {r["label"]: r for r in breakdown("round", public=True)}
    assert set(rows) == {"Round One", "Round Two"}
    one, two = rows["Round One"], rows["Round Two"]
    assert (one["challenges"], one["exploration_teams"], one["accelerator_teams"]) == (1, 2, 1)
    assert (one["prototype_funding"], one["follow_on_value"], one["savings"]) == (310000, 200000, 75000)
    assert (two["challenges"], two["exploration_teams"], two["prototype_funding"], two["jobs_created"]) == (
        1, 1, 5000, 1
    )  # fmt: skip
    for key in PUBLIC:  # the rows add up to the headline
        assert one[key] + two[key] == PUBLIC[key], key


def test_breakdown_by_year_sponsor_and_region(world):
    years = breakdown("year", public=True)
    assert [r["key"] for r in years] == sorted([world["r1"].call_opens.year, world["r2"].call_opens.year])
    sponsors = {r["label"]: r for r in breakdown("sponsor", public=True)}
    assert sponsors["Sponsor One"]["prototype_funding"] == 310000
    assert sponsors["Sponsor Two"]["prototype_funding"] == 5000
    regions = {r["label"]: r for r in breakdown("region", public=True)}
    glasgow, highlands = regions["Glasgow City Region"], regions["Highlands and Islands"]
    assert (glasgow["challenges"], glasgow["exploration_teams"], glasgow["prototype_funding"]) == (1, 1, 305000)
    assert (highlands["challenges"], highlands["exploration_teams"], highlands["prototype_funding"]) == (2, 2, 10000)
    assert (glasgow["jobs_created"], highlands["jobs_created"]) == (4, 1)


def test_filters_narrow_every_figure(world):
    assert headline(Filters(round=world["r2"].pk), public=True) == {
        **dict.fromkeys(PUBLIC, 0),
        "challenges": 1,
        "exploration_teams": 1,
        "prototype_funding": Decimal("5000"),
        "jobs_created": 1,
    }
    glasgow = headline(Filters(region="glasgow"), public=True)
    assert (glasgow["challenges"], glasgow["prototype_funding"], glasgow["follow_on_value"]) == (1, 305000, 200000)
    assert headline(Filters(sponsor=world["s1"].pk, year=1990), public=True)["challenges"] == 0


def test_drill_down_lists_the_records_behind_a_figure(world):
    funding = records("prototype_funding", Filters(), public=True)
    assert funding.count() == 4 and sum(c.current_value for c in funding) == PUBLIC["prototype_funding"]
    jobs = records("jobs_created", Filters(), public=True)
    assert sum(r.jobs_created for r in jobs) == PUBLIC["jobs_created"]
    assert records("follow_on_value", Filters(), public=False).count() == 2
    assert BY_KEY["savings"].label == "Verified savings"


def test_net_impact_by_the_green_book_method(world):
    assumptions = Assumptions(
        leakage=Decimal("0.1"), displacement=Decimal("0.2"), substitution=Decimal("0"),
        multiplier=Decimal("1.5"), deadweight=Decimal("0.5"),
    )  # fmt: skip
    net = net_impact(headline(public=True), assumptions)
    assert net.factor == Decimal("0.54")  # 0.9 × 0.8 × 1 × 1.5 × 0.5
    assert net.gross_jobs == 7 and net.net_jobs == Decimal("3.78")  # 7 × 0.54, not rounded (tests/impact/test_rounding)
    assert net.cost_per_net_job == Decimal(315000) / Decimal("3.78")  # 83,333.33; ÷ 3.8 (rounded first) was 82,895
    assert net.benefit_cost_ratio == Decimal(75000) / Decimal(315000)  # 0.238…
    assert net.leverage == Decimal(200000) / Decimal(315000)  # 0.634…
    assert net.net_investment == Decimal("81000")  # 150,000 × 0.54


def test_net_impact_with_nothing_to_divide_by():
    net = net_impact(dict.fromkeys(PUBLIC, 0))
    assert (net.cost_per_net_job, net.benefit_cost_ratio, net.leverage) == (None, None, None)
    assert Assumptions.current().pk is None  # defaults until staff set their own


def test_quality_flags(world):
    ax_accel = Contract.objects.get(kind="accelerator").engagement
    ImpactReturn.objects.create(
        engagement=ax_accel, organisation=ax_accel.application.organisation, kind="periodic",
        period_start=date(2020, 1, 1), period_end=date(2020, 6, 30), due_on=date(2020, 7, 30),
    )  # fmt: skip
    flags = quality_flags()
    assert flags == {
        "unverified_contracts": 1,
        "unverified_returns": 1,
        "unverified_benefits": 1,
        "missing_returns": 1,
        "stale_companies": 0,  # X's latest return is recent
    }


@pytest.mark.parametrize("dimension", ["round", "year", "sponsor", "region"])
def test_breakdowns_run_one_query_per_figure(world, django_assert_max_num_queries, dimension):
    with django_assert_max_num_queries(len(PUBLIC) + 1):
        breakdown(dimension, public=True)


def test_each_filter_alone_narrows_every_figure(world):
    """Round, year and sponsor each on their own (the combined test above would pass with one of them ignored)."""
    round_two = headline(Filters(round=world["r2"].pk), public=True)
    assert headline(Filters(sponsor=world["s2"].pk), public=True) == round_two  # sponsor two has only round two
    round_one = headline(Filters(round=world["r1"].pk), public=True)
    assert headline(Filters(sponsor=world["s1"].pk), public=True) == round_one
    one_year, two_year = world["r1"].call_opens.year, world["r2"].call_opens.year
    if one_year != two_year:
        assert headline(Filters(year=two_year), public=True) == round_two
        assert headline(Filters(year=one_year), public=True) == round_one
    assert headline(Filters(year=1990), public=True) == dict.fromkeys(PUBLIC, 0)
    assert headline(Filters(region="highlands"), public=True)["jobs_created"] == 1


def test_breakdowns_are_labelled_and_ordered(world):
    rounds = breakdown("round", public=True)
    assert [(r["key"], r["label"]) for r in rounds] == [(world["r1"].pk, "Round One"), (world["r2"].pk, "Round Two")]
    sponsors = breakdown("sponsor", public=True)
    assert [(r["key"], r["label"]) for r in sponsors] == [
        (world["s1"].pk, "Sponsor One"),
        (world["s2"].pk, "Sponsor Two"),
    ]
    regions = breakdown("region", public=True)
    assert [r["label"] for r in regions] == ["Glasgow City Region", "Highlands and Islands"]
    years = breakdown("year", public=True)
    assert [r["label"] for r in years] == [str(r["key"]) for r in years]


def test_money_figures_sum_to_pounds_and_an_empty_sum_is_zero_pounds(world):
    """`_money` and `_engagements` build FIGURES when the module loads; asked directly, they are seen to work."""
    paid = Payment.objects.filter(status=Payment.Status.PAID)
    total = paid.aggregate(value=_money(Sum("amount")))["value"]
    assert total == Decimal("105000") and isinstance(total, Decimal)
    nothing = Payment.objects.none().aggregate(value=_money(Sum("amount")))["value"]
    assert nothing == Decimal(0) and isinstance(nothing, Decimal)


def test_teams_are_counted_by_their_stage(world):
    for public in (True, False):
        assert list(_engagements("exploration")(public).values_list("stage", flat=True)) == ["exploration"] * 3
        assert list(_engagements("accelerator")(public).values_list("stage", flat=True)) == ["accelerator"]


# --- States and orders the world above lacks (#23) ------------------------------------------------------------------
def test_a_view_restricted_challenge_counts_for_staff_only_and_a_draft_for_nobody(world):
    from wagtail.models import PageViewRestriction

    hidden = make_challenge(sponsor=world["s1"], round=world["r1"], title="Challenge Hidden")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    make_challenge(sponsor=world["s1"], round=world["r1"], title="Challenge Draft", live=False)
    assert headline(public=True)["challenges"] == 2  # A and B
    assert headline(public=False)["challenges"] == 3  # A, B and the restricted one
    # The same for what was done on it: a team engaged on the restricted challenge counts for staff only.
    make_engagement(challenge=hidden, applicant=make_applicant(OrganisationFactory(name="H Ltd")), by=staff_user())
    assert headline(public=True)["exploration_teams"] == PUBLIC["exploration_teams"]
    assert headline(public=False)["exploration_teams"] == PUBLIC["exploration_teams"] + 1
    assert headline(public=False)["prototype_funding"] == PUBLIC["prototype_funding"] + Decimal("5000")


def test_all_four_filters_together_narrow_to_what_meets_every_one(world):
    """Round, year, sponsor and region at once: a stage contract counts only if it meets all four. Each decoy
    misses exactly one (round and year go together: a round's year is its call's), so a filter that widened
    instead of narrowing, or replaced the ones before it, would let a decoy in."""
    staff = staff_user()
    r3 = make_round(name="Round Three", opened_days_ago=60)  # the same year as round one
    glasgow, tay = (
        OrganisationFactory(name="G Ltd", region="glasgow"),
        OrganisationFactory(name="Tay Ltd", region="tay"),
    )
    decoys = [
        make_challenge(sponsor=world["s1"], round=r3, title="Other round, same year"),  # misses the round
        make_challenge(sponsor=world["s1"], round=world["r2"], title="Other round and year"),  # round and year
        make_challenge(sponsor=world["s2"], round=world["r1"], title="Other sponsor"),  # misses the sponsor
    ]
    for challenge in decoys:
        make_engagement(challenge=challenge, applicant=make_applicant(glasgow), by=staff)
    make_engagement(challenge=world["a"], applicant=make_applicant(tay), by=staff)  # misses the region
    every = Filters(round=world["r1"].pk, year=world["r1"].call_opens.year, sponsor=world["s1"].pk, region="glasgow")
    funding = records("prototype_funding", every, public=False)
    assert sorted(funding.values_list("supplier__name", "challenge__title")) == [
        ("X Ltd", "Challenge A"), ("X Ltd", "Challenge A"),  # its exploration and accelerator contracts
    ]  # fmt: skip
    assert headline(every, public=False)["exploration_teams"] == 1


def default_form_version():
    from formbuilder.models import ApplicationForm

    return ApplicationForm.default().current_version()


def test_by_region_a_challenge_counts_where_a_team_was_engaged_and_by_round_it_always_counts(world):
    from applications.models import Application

    make_challenge(sponsor=world["s1"], round=world["r1"], title="Challenge C")  # nobody applied
    tay = OrganisationFactory(name="T Ltd", region="tay")  # applied to A, never engaged
    Application.objects.create(
        challenge=world["a"], organisation=tay, created_by=make_applicant(tay), form_version=default_form_version()
    )
    regions = {r["key"]: r["challenges"] for r in breakdown("region", public=True)}
    assert regions == {"glasgow": 1, "highlands": 2}
    rounds = {r["label"]: r["challenges"] for r in breakdown("round", public=True)}
    assert rounds == {"Round One": 2, "Round Two": 1}
    # Filtered by region, the headline agrees with the breakdown: T Ltd applied to A (where others were engaged)
    # and alone to D (where nobody was), and was engaged on neither.
    d = make_challenge(sponsor=world["s1"], round=world["r1"], title="Challenge D")
    Application.objects.create(
        challenge=d, organisation=tay, created_by=make_applicant(tay), form_version=default_form_version()
    )
    assert headline(Filters(region="tay"), public=True)["challenges"] == 0
    assert records("challenges", Filters(region="tay"), public=False).count() == 0
    assert headline(Filters(region="highlands"), public=True)["challenges"] == 2
    assert list(records("challenges", Filters(region="glasgow"), public=True)) == [world["a"]]  # once, not per team


def test_a_team_with_no_region_is_left_out_by_region_and_an_unknown_region_is_shown_by_its_code(world):
    staff = staff_user()
    for name, region in (("Blank Ltd", ""), ("Old Ltd", "strathclyde")):  # "strathclyde": no longer a choice
        applicant = make_applicant(OrganisationFactory(name=name, region=region))
        make_engagement(challenge=world["b"], applicant=applicant, by=staff)
    regions = breakdown("region", public=True)
    assert [(r["key"], r["label"], r["exploration_teams"]) for r in regions] == [
        ("glasgow", "Glasgow City Region", 1),
        ("highlands", "Highlands and Islands", 2),
        ("strathclyde", "strathclyde", 1),
    ]


def test_rounds_and_sponsors_are_ordered_by_name_not_by_when_they_were_made():
    zebra, aardvark = make_round(name="Zebra round", opened_days_ago=60), make_round(name="Aardvark round")
    zed, abbey = PublicBodyFactory(name="Zed Council"), PublicBodyFactory(name="Abbey Council")
    make_challenge(sponsor=zed, round=zebra, title="Made first")
    make_challenge(sponsor=abbey, round=aardvark, title="Made second")
    assert [r["label"] for r in breakdown("round", public=True)] == ["Aardvark round", "Zebra round"]
    assert [r["label"] for r in breakdown("sponsor", public=True)] == ["Abbey Council", "Zed Council"]


def test_a_return_not_yet_submitted_counts_for_nobody_and_money_paid_on_a_follow_on_is_not_prototype_money(world):
    staff = staff_user()
    engagement = Contract.objects.get(kind="accelerator").engagement
    draft = a_return(engagement, verified=False, months_ago=1, jobs_created=50, investment_equity=999)
    ImpactReturn.objects.filter(pk=draft.pk).update(submitted_at=None)  # typed in, never submitted
    follow_on = Contract.objects.get(kind="follow_on")
    tranche = payment_schedule(
        contract=follow_on, description="Year 1", amount=Decimal("20000"), due_on=TODAY, by=staff
    )
    payment_mark_paid(payment=tranche, paid_on=TODAY, by=staff)
    assert headline(public=False) == STAFF  # 8 jobs, £175,000 investment, £105,000 prototype money paid
    assert headline(public=True) == PUBLIC
