"""Reads for impact returns and benefits. Each returns a QuerySet with what its page shows already joined, so a
list runs a fixed number of queries however many rows it has."""

from datetime import date

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.roles import is_programme_staff

from .models import Benefit, ImpactReturn

RETURN_RELATED = ("organisation", "engagement__application__challenge__round")


def returns_for_user(user) -> QuerySet[ImpactReturn]:
    """The returns of every company the user belongs to (never anyone else's, staff included: this is the
    company's own page; staff read returns in the admin)."""
    return (
        ImpactReturn.objects.filter(organisation__memberships__user=user)
        .select_related(*RETURN_RELATED)
        .order_by("organisation__name", "due_on", "pk")
        .distinct()
    )


def return_detail(pk: int) -> ImpactReturn:
    return ImpactReturn.objects.select_related(*RETURN_RELATED, "submitted_by", "verified_by").get(pk=pk)


def previous_return(impact_return: ImpactReturn) -> ImpactReturn | None:
    """The same company's last submitted return for the same engagement before this one (what it changed from)."""
    return (
        ImpactReturn.objects.filter(
            engagement_id=impact_return.engagement_id,
            organisation_id=impact_return.organisation_id,
            submitted_at__isnull=False,
            period_end__lte=impact_return.period_start,
        )
        .exclude(pk=impact_return.pk)
        .order_by("-period_end", "-pk")
        .first()
    )


def late_q(today: date) -> Q:
    return Q(due_on__lt=today, submitted_at__isnull=True)


def late_returns(today: date | None = None) -> QuerySet[ImpactReturn]:
    """Late or missing: due before today and still not submitted."""
    today = today or timezone.localdate()
    return ImpactReturn.objects.filter(late_q(today)).select_related(*RETURN_RELATED).order_by("due_on", "pk")


def stale_returns(today: date | None = None) -> QuerySet[ImpactReturn]:
    """Per engagement, the latest period that has ended, where that return is not submitted: the newest figures
    staff hold for the company are out of date (whether or not the return is due yet)."""
    today = today or timezone.localdate()
    latest_ended = (
        ImpactReturn.objects.filter(engagement=OuterRef("engagement"), period_end__lt=today)
        .order_by("-period_end")
        .values("period_end")[:1]
    )
    return (
        ImpactReturn.objects.filter(period_end=Subquery(latest_ended), submitted_at__isnull=True)
        .select_related(*RETURN_RELATED)
        .order_by("due_on", "pk")
    )


def benefits_for_user(user) -> QuerySet[Benefit]:
    """Benefits recorded for the public bodies the user belongs to; every benefit for programme staff."""
    benefits = Benefit.objects.select_related("challenge__round", "sponsor", "recorded_by", "verified_by")
    if is_programme_staff(user):
        return benefits
    return benefits.filter(sponsor__memberships__user=user).distinct()
