"""Impact returns from companies: the schedule, submission, corrections, verification and the beat notices.

A return's figures belong to the company; programme staff verify them before anyone else relies on them. A
verified return never changes silently: a correction keeps the previous values (ImpactReturnCorrection) and
sends it back for verification.
"""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from civtech.audit import audit
from civtech.errors import DomainError, require, require_type
from civtech.permissions import has_permission
from notifications.services import email_enqueue
from sprints.models import Engagement

from ..models import ImpactReturn, ImpactReturnCorrection, ReturnReminder
from ..models.returns import FIGURES

DUE_AFTER = timedelta(days=30)  # a return is due this long after its period ends (the baseline: after selection)
REMIND_BEFORE = timedelta(days=7)
# A return can be submitted once its period is over; a team selected long before it starts still gets this long.
BASELINE_AT_LEAST = timedelta(days=14)

WHOLE_NUMBERS = {"headcount", "jobs_created", "jobs_safeguarded"}
MONEY = {
    "turnover", "investment_equity", "investment_grant", "investment_debt", "contracts_public",
    "contracts_private", "exports",
}  # fmt: skip
LABELS = {
    "headcount": "headcount",
    "fte": "full-time equivalent staff",
    "jobs_created": "jobs created",
    "jobs_safeguarded": "jobs safeguarded",
    "turnover": "turnover",
    "investment_equity": "equity investment",
    "investment_grant": "grant funding",
    "investment_debt": "debt finance",
    "contracts_public": "public sector contracts won",
    "contracts_private": "private sector contracts won",
    "exports": "export sales",
}
# The model's column sizes, so an absurd figure is a message rather than a database error.
MONEY_LIMIT = Decimal("1000000000000")  # max_digits=14, decimal_places=2
FTE_LIMIT = Decimal("10000000")  # max_digits=8, decimal_places=1
WHOLE_LIMIT = 2_147_483_647


class FiguresInvalid(DomainError):
    """Every problem with a set of figures at once, so the form can show them all. `errors` maps field → message;
    the message and field of the DomainError itself are the first problem."""

    def __init__(self, errors: dict[str, str]):
        field, message = next(iter(errors.items()))
        super().__init__(message, field=field)
        self.errors = errors


# --- The schedule ----------------------------------------------------------------------------------
def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clipped to the month's end: 31 Aug + 6 months = 28/29 Feb."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _selected_on(engagement: Engagement) -> date:
    """Selection creates the engagement (applications decisions / sprints pitch_decide), so its creation is it."""
    return timezone.localdate(engagement.created_at)


@transaction.atomic
def returns_schedule(*, engagement: Engagement) -> list[ImpactReturn]:
    """Create the engagement's returns if they do not exist yet; return all of them in period order.

    - A baseline for the year to the start of the team's first engagement (exploration, or the accelerator when a
      team joins it directly), due 30 days after selection — but at least 14 days after its period ends, since a
      return opens only when its period is over. A team has one baseline, however many stages it goes through.
    - For the accelerator: a return every `round.return_interval_months` after `round.accelerator_end` for
      `round.return_years` years, each due 30 days after its period ends. Periods follow on from the baseline with
      no gap, so every job and pound is counted once.
    Idempotent (one return per engagement and period end); changing the round later adds periods, never removes.
    """
    engagement = Engagement.objects.select_related("application__challenge__round", "application__organisation").get(
        pk=engagement.pk
    )
    application = engagement.application
    organisation = application.organisation
    baseline = ImpactReturn.objects.filter(engagement__application=application, kind=ImpactReturn.Kind.BASELINE).first()
    if baseline is None:
        period_end = engagement.starts_on - timedelta(days=1)
        baseline, _ = ImpactReturn.objects.get_or_create(
            engagement=engagement,
            period_end=period_end,
            defaults={
                "organisation": organisation,
                "kind": ImpactReturn.Kind.BASELINE,
                "period_start": add_months(engagement.starts_on, -12),
                "due_on": max(_selected_on(engagement) + DUE_AFTER, period_end + BASELINE_AT_LEAST),
            },
        )
    if engagement.stage == Engagement.Stage.ACCELERATOR:
        round_ = application.challenge.round
        interval = round_.return_interval_months
        accelerator_end = timezone.localdate(round_.accelerator_end)
        start = baseline.period_end + timedelta(days=1)
        for step in range(1, (round_.return_years * 12) // max(interval, 1) + 1):
            period_end = add_months(accelerator_end, step * interval)
            ImpactReturn.objects.get_or_create(
                engagement=engagement,
                period_end=period_end,
                defaults={
                    "organisation": organisation,
                    "kind": ImpactReturn.Kind.PERIODIC,
                    "period_start": start,
                    "due_on": period_end + DUE_AFTER,
                },
            )
            start = period_end + timedelta(days=1)
    return list(ImpactReturn.objects.filter(engagement=engagement).order_by("period_end"))


def returns_for_started_engagement(*, engagement: Engagement, **kwargs) -> list[ImpactReturn]:
    """sprints.signals.engagement_started: every engagement has its returns scheduled as it starts."""
    return returns_schedule(engagement=engagement)


# --- Figures ---------------------------------------------------------------------------------------
def not_a_number(key: str) -> str:
    """What the return form says when a figure typed in is not a number at all."""
    return f"Enter {LABELS[key]} as a number, like {'12' if key in WHOLE_NUMBERS else '12.5'}"


def _number(value: Decimal | int | None, key: str) -> Decimal | str:
    """The figure as a Decimal, or the message saying what is wrong with it."""
    label = LABELS[key]
    require_type(value, key, Decimal, int)
    if value is None:
        return f"Enter {label} (0 if none)"
    number = Decimal(value)
    if not number.is_finite():
        return not_a_number(key)
    if number < 0:
        return f"{label[0].upper()}{label[1:]} cannot be negative"
    if key in WHOLE_NUMBERS:
        if number != number.to_integral_value():
            return f"Enter {label} as a whole number"
        if number > WHOLE_LIMIT:
            return f"Enter a realistic number for {label}"
    elif key == "fte":  # the limit first: quantize() cannot represent a number of more than 28 digits
        if number >= FTE_LIMIT:
            return f"Enter a realistic number for {label}"
        if number != number.quantize(Decimal("0.1")):
            return f"Enter {label} to one decimal place, like 4.5"
    else:
        if number >= MONEY_LIMIT:
            return f"Enter a realistic amount for {label}"
        if number != number.quantize(Decimal("0.01")):
            return f"Enter {label} in pounds and pence, like 1500.50"
    return number


def clean_figures(figures: dict) -> dict:
    """Check every figure (Decimals or whole numbers, and still_trading a bool; None where none was given) and
    return them as stored; raise FiguresInvalid listing every problem, in form order."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for key in FIGURES:
        if key == "still_trading":
            trading = figures.get(key)
            require_type(trading, key, bool)
            if trading is None:
                errors[key] = "Select whether the company is still trading"
            cleaned[key] = trading
            continue
        result = _number(figures.get(key), key)
        if isinstance(result, str):
            errors[key] = result
        else:
            places = Decimal("0.1") if key == "fte" else Decimal("0.01")
            cleaned[key] = int(result) if key in WHOLE_NUMBERS else result.quantize(places)
    if "fte" not in errors and "headcount" not in errors and cleaned["fte"] > cleaned["headcount"]:
        errors["fte"] = "Full-time equivalent staff cannot be more than your headcount"
    if errors:
        raise FiguresInvalid(errors)
    return cleaned


def clean_correction(figures: dict, reason: str) -> tuple[dict, str]:
    """A correction's figures and its reason, checked together: FiguresInvalid lists every problem at once."""
    reason = (reason or "").strip()
    try:
        cleaned = clean_figures(figures)
    except FiguresInvalid as invalid:
        errors = invalid.errors
    else:
        errors = {}
    if not reason:
        errors["reason"] = "Explain why these figures are changing"
    if errors:
        raise FiguresInvalid(errors)
    return cleaned, reason


def figures_of(impact_return: ImpactReturn) -> dict:
    """The return's figures as JSON-safe values (Decimals as strings), for the audit log and corrections."""
    values = {key: getattr(impact_return, key) for key in FIGURES}
    return {key: str(value) if isinstance(value, Decimal) else value for key, value in values.items()}


def _lock(impact_return: ImpactReturn) -> ImpactReturn:
    return ImpactReturn.objects.select_for_update().get(pk=impact_return.pk)


@transaction.atomic
def return_submit(*, impact_return: ImpactReturn, by: User, figures: dict) -> ImpactReturn:
    """The company's figures for the period. May be resubmitted until staff verify it; then only corrected."""
    impact_return = _lock(impact_return)
    require(has_permission("impact_return.submit", by, impact_return))
    cleaned = clean_figures(figures)
    before = figures_of(impact_return) if impact_return.submitted_at else None
    for key, value in cleaned.items():
        setattr(impact_return, key, value)
    impact_return.submitted_at = timezone.now()
    impact_return.submitted_by = by
    impact_return.save()
    audit(
        impact_return,
        "civtech.impact_return.submit",
        by=by,
        data={"before": before, "after": figures_of(impact_return)},
    )
    return impact_return


@transaction.atomic
def return_correct(*, impact_return: ImpactReturn, by: User, figures: dict, reason: str) -> ImpactReturn:
    """Change a submitted return's figures, keeping the previous values and the reason; it needs verifying again."""
    impact_return = _lock(impact_return)
    require(has_permission("impact_return.correct", by, impact_return))
    cleaned, reason = clean_correction(figures, reason)
    if all(getattr(impact_return, key) == value for key, value in cleaned.items()):
        raise DomainError("These figures are the same as the ones already submitted. Change a figure to correct it.")
    previous = figures_of(impact_return)
    for key, value in cleaned.items():
        setattr(impact_return, key, value)
    was_verified = impact_return.verified_at is not None
    ImpactReturnCorrection.objects.create(
        impact_return=impact_return,
        previous={
            **previous,
            "verified_at": impact_return.verified_at.isoformat() if impact_return.verified_at is not None else None,
            "verified_by": impact_return.verified_by_id,
        },
        reason=reason,
        corrected_by=by,
    )
    # The original submission time stays: a correction does not make an on-time return late.
    impact_return.verified_at = None
    impact_return.verified_by = None
    impact_return.save()
    audit(
        impact_return,
        "civtech.impact_return.correct",
        by=by,
        data={"before": previous, "after": figures_of(impact_return), "reason": reason, "was_verified": was_verified},
    )
    return impact_return


@transaction.atomic
def return_verify(*, impact_return: ImpactReturn, by: User) -> ImpactReturn:
    """Programme staff confirm the figures; only verified figures reach the public impact page."""
    impact_return = _lock(impact_return)
    require(has_permission("impact_return.verify", by, impact_return))
    impact_return.verified_at = timezone.now()
    impact_return.verified_by = by
    impact_return.save(update_fields=["verified_at", "verified_by"])
    audit(impact_return, "civtech.impact_return.verify", by=by, data={"figures": figures_of(impact_return)})
    return impact_return


# --- Notices run by Celery beat --------------------------------------------------------------------
SUBJECTS = {
    ReturnReminder.Kind.REQUEST: "Impact return requested",
    ReturnReminder.Kind.REMINDER: "Impact return due soon",
    ReturnReminder.Kind.OVERDUE: "Impact return overdue",
}


def notice_due(impact_return: ImpactReturn, today: date) -> ReturnReminder.Kind:
    """The one notice that fits today for an unsubmitted return whose period has ended. A return found late
    (beat was down, or the engagement was created late) gets only the notice that fits, not all three."""
    if today > impact_return.due_on:
        return ReturnReminder.Kind.OVERDUE
    if today >= impact_return.due_on - REMIND_BEFORE:
        return ReturnReminder.Kind.REMINDER
    return ReturnReminder.Kind.REQUEST


def returns_send_notices(today: date | None = None) -> dict[str, int]:
    """Email the company's members about each unsubmitted return whose period has ended: the request, the
    reminder a week before it is due, the overdue notice after. A ReturnReminder row written in the same
    transaction as the queued emails makes each notice exactly once, however often beat runs."""
    today = today or timezone.localdate()
    pending = (
        ImpactReturn.objects.filter(submitted_at__isnull=True, period_end__lt=today)
        .select_related("organisation", "engagement__application__challenge")
        .prefetch_related("reminders")
        .order_by("due_on", "pk")
    )
    sent = {kind: 0 for kind in ReturnReminder.Kind.values}
    for impact_return in pending:
        kind = notice_due(impact_return, today)
        if any(r.kind == kind for r in impact_return.reminders.all()):
            continue
        try:
            with transaction.atomic():
                ReturnReminder.objects.create(impact_return=impact_return, kind=kind)
                _email_members(impact_return, kind)
        except IntegrityError:
            continue  # another worker sent it first
        sent[kind] += 1
    return sent


def _email_members(impact_return: ImpactReturn, kind: ReturnReminder.Kind) -> None:
    members = User.objects.filter(memberships__organisation_id=impact_return.organisation_id, is_active=True)
    context = {
        "subject": SUBJECTS[kind],
        "kind": kind,
        "impact_return": impact_return,
        "challenge": impact_return.engagement.application.challenge,
        "url": settings.SITE_URL + reverse("impact:return", args=[impact_return.pk]),
    }
    for person in members.distinct():
        email_enqueue(to=person.email, template="impact/email/return_notice", context={**context, "person": person})
