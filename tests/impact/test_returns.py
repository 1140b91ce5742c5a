"""Submitting, correcting and verifying returns: every message, every refusal, history kept, audit written."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from wagtail.models import ModelLogEntry

from impact.models import ImpactReturn
from impact.services.returns import FiguresInvalid, return_correct, return_submit, return_verify
from tests.factories import GOOD_FIGURES, GOOD_RETURN, make_impact_return

from .reading import read_figures

pytestmark = pytest.mark.django_db


def figures(**changes):
    """The good figures with `changes`, as typed in and read by the return form."""
    return read_figures({**GOOD_FIGURES, **changes})


def actions(impact_return) -> list[str]:
    return list(ModelLogEntry.objects.for_instance(impact_return).order_by("pk").values_list("action", flat=True))


def test_a_team_member_submits_the_figures_typed(cast):
    r = return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures(turnover="£1,250,000.50"))
    r.refresh_from_db()
    assert (r.headcount, r.fte, r.turnover, r.still_trading) == (12, Decimal("10.5"), Decimal("1250000.50"), True)
    assert r.submitted_by == cast.team and r.submitted_at is not None and r.verified_at is None
    assert actions(r) == ["civtech.impact_return.submit"]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("headcount", "", "Enter headcount (0 if none)"),
        ("headcount", "twelve", "Enter headcount as a number, like 12"),
        ("headcount", "-1", "Headcount cannot be negative"),
        ("headcount", "12.5", "Enter headcount as a whole number"),
        ("jobs_created", "9999999999", "Enter a realistic number for jobs created"),
        ("fte", "4.25", "Enter full-time equivalent staff to one decimal place, like 4.5"),
        ("fte", "12.5", "Full-time equivalent staff cannot be more than your headcount"),
        ("turnover", "10.555", "Enter turnover in pounds and pence, like 1500.50"),
        ("investment_grant", "-5", "Grant funding cannot be negative"),
        ("exports", "1e13", "Enter a realistic amount for export sales"),
        ("exports", "NaN", "Enter export sales as a number, like 12.5"),
        ("still_trading", "", "Select whether the company is still trading"),
        ("still_trading", "maybe", "Select whether the company is still trading"),
    ],
)
def test_bad_figures_are_refused_with_a_message_on_the_field(cast, field, value, message):
    with pytest.raises(FiguresInvalid) as refused:
        return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures(**{field: value}))
    assert refused.value.errors == {field: message}
    assert (refused.value.field, refused.value.message) == (field, message)
    cast.impact_return.refresh_from_db()
    assert cast.impact_return.submitted_at is None


def test_every_problem_is_reported_at_once_in_form_order(cast):
    with pytest.raises(FiguresInvalid) as refused:
        return_submit(impact_return=cast.impact_return, by=cast.team, figures=read_figures({"fte": "3"}))
    assert list(refused.value.errors)[:3] == ["headcount", "jobs_created", "jobs_safeguarded"]
    assert "fte" not in refused.value.errors  # no comparison with a headcount that is missing
    assert len(refused.value.errors) == 11


def test_only_the_company_submits(cast):
    for outsider in (cast.other_team, cast.sponsor, cast.staff, cast.stranger):
        with pytest.raises(PermissionDenied, match="Only members of the company"):
            return_submit(impact_return=cast.impact_return, by=outsider, figures=figures())


def test_a_return_opens_only_when_its_period_ends(cast):
    future = make_impact_return(engagement=cast.engagement, period_end=timezone.localdate())
    with pytest.raises(PermissionDenied, match="once its period ends"):
        return_submit(impact_return=future, by=cast.team, figures=figures())


def test_resubmitting_before_verification_replaces_the_figures_and_is_audited(cast):
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures())
    r = return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures(headcount="14"))
    assert r.headcount == 14
    entry = ModelLogEntry.objects.for_instance(r).order_by("pk").last()
    assert entry.data["before"]["headcount"] == 12 and entry.data["after"]["headcount"] == 14


def test_verification_is_for_staff_only_and_only_once(cast):
    with pytest.raises(PermissionDenied, match="not been submitted"):
        return_verify(impact_return=cast.impact_return, by=cast.staff)
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures())
    for not_staff in (cast.team, cast.sponsor, cast.stranger):
        with pytest.raises(PermissionDenied, match="Only the CivTech team verifies"):
            return_verify(impact_return=cast.impact_return, by=not_staff)
    r = return_verify(impact_return=cast.impact_return, by=cast.staff)
    assert r.verified_by == cast.staff and r.verified_at is not None
    with pytest.raises(PermissionDenied, match="already verified"):
        return_verify(impact_return=r, by=cast.staff)
    assert actions(r) == ["civtech.impact_return.submit", "civtech.impact_return.verify"]


def test_a_verified_return_is_never_resubmitted_only_corrected(cast):
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures())
    return_verify(impact_return=cast.impact_return, by=cast.staff)
    with pytest.raises(PermissionDenied, match="correct it and say why"):
        return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures(headcount="20"))


def test_a_correction_keeps_the_previous_figures_and_needs_verifying_again(cast):
    submitted = return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures())
    first_submitted_at = submitted.submitted_at
    return_verify(impact_return=cast.impact_return, by=cast.staff)
    r = return_correct(
        impact_return=cast.impact_return, by=cast.team, figures=figures(turnover="260000"), reason="Final accounts"
    )
    assert r.turnover == Decimal("260000") and r.verified_at is None and r.verified_by is None
    assert r.submitted_at == first_submitted_at  # an on-time return stays on time
    [correction] = r.corrections.all()
    assert correction.previous["turnover"] == "250000.00"
    assert correction.previous["verified_by"] == cast.staff.pk and correction.previous["verified_at"]
    assert (correction.reason, correction.corrected_by) == ("Final accounts", cast.team)
    # A second correction adds to the history rather than replacing it.
    return_verify(impact_return=r, by=cast.staff)
    return_correct(impact_return=r, by=cast.staff, figures=figures(turnover="261000"), reason="Typo")
    assert [c.previous["turnover"] for c in r.corrections.order_by("pk")] == ["250000.00", "260000.00"]
    assert actions(r).count("civtech.impact_return.correct") == 2


def test_corrections_need_a_reason_a_change_and_a_submitted_return(cast):
    with pytest.raises(PermissionDenied, match="nothing to correct"):
        return_correct(impact_return=cast.impact_return, by=cast.team, figures=figures(), reason="x")
    return_submit(impact_return=cast.impact_return, by=cast.team, figures=figures())
    with pytest.raises(FiguresInvalid, match="Explain why") as refused:
        return_correct(impact_return=cast.impact_return, by=cast.team, figures=figures(), reason=" ")
    assert refused.value.field == "reason"
    with pytest.raises(Exception, match="the same as the ones already submitted"):
        return_correct(impact_return=cast.impact_return, by=cast.team, figures=figures(), reason="Checked")
    with pytest.raises(FiguresInvalid):
        return_correct(impact_return=cast.impact_return, by=cast.team, figures=figures(fte="99"), reason="Oops")
    with pytest.raises(PermissionDenied, match="Only members of the company or the CivTech team"):
        return_correct(impact_return=cast.impact_return, by=cast.sponsor, figures=figures(fte="2"), reason="x")
    assert not ImpactReturn.objects.get(pk=cast.impact_return.pk).corrections.exists()


def test_late_returns_stay_late_after_the_due_date(cast):
    late = make_impact_return(
        engagement=cast.engagement,
        period_end=timezone.localdate() - timedelta(days=60),
        due_on=timezone.localdate() - timedelta(days=30),
    )
    r = return_submit(impact_return=late, by=cast.team, figures=figures())
    assert r.submitted_at.date() > r.due_on


def test_the_services_take_figures_typed_never_text(cast):
    """Reading what was typed is the return form's job: text reaching the service is a programming error."""
    with pytest.raises(TypeError, match="headcount must be Decimal or int, not str"):
        return_submit(impact_return=cast.impact_return, by=cast.team, figures={**GOOD_RETURN, "headcount": "12"})
    with pytest.raises(TypeError, match="still_trading must be bool, not str"):
        return_submit(impact_return=cast.impact_return, by=cast.team, figures={**GOOD_RETURN, "still_trading": "yes"})
    with pytest.raises(TypeError, match="jobs_created must be Decimal or int, not bool"):
        return_submit(impact_return=cast.impact_return, by=cast.team, figures={**GOOD_RETURN, "jobs_created": True})
    cast.impact_return.refresh_from_db()
    assert cast.impact_return.submitted_at is None
