from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import ChallengePage, Clarification, Round
from .status import Status, status_filter


def challenges_for_listing() -> QuerySet[ChallengePage]:
    """Live challenges with everything a listing row shows, in a constant number of queries."""
    return (
        ChallengePage.objects.live()
        .public()
        .select_related("round", "sponsor")
        .prefetch_related("sectors")
        .order_by("round__call_closes", "title")
    )


def filter_challenges(
    queryset: QuerySet[ChallengePage],
    *,
    round_slug: str = "",
    sponsor_slug: str = "",
    sector_slug: str = "",
    status: str = "",
    now=None,
) -> QuerySet[ChallengePage]:
    now = now or timezone.now()
    if round_slug:
        queryset = queryset.filter(round__slug=round_slug)
    if sponsor_slug:
        queryset = queryset.filter(sponsor__slug=sponsor_slug)
    if sector_slug:
        queryset = queryset.filter(sectors__slug=sector_slug)
    if status in Status.values:
        queryset = queryset.filter(status_filter(status, now))
    return queryset


def status_counts(queryset: QuerySet[ChallengePage], now=None) -> dict[str, int]:
    """How many of `queryset` are in each status, in one query."""
    now = now or timezone.now()
    aggregates = {status.value: Count("pk", filter=status_filter(status, now), distinct=True) for status in Status}
    return queryset.order_by().aggregate(**aggregates)


def published_clarifications(challenge: ChallengePage) -> QuerySet[Clarification]:
    # Only the question and answer are ever rendered publicly; asked_by is deliberately not loaded.
    return challenge.clarifications.filter(status=Clarification.Status.PUBLISHED).only(
        "id", "question", "answer", "answered_at", "challenge_id"
    )


def clarifications_to_answer(user) -> QuerySet[Clarification]:
    """Questions awaiting an answer on challenges the user may answer for."""
    from accounts.roles import is_programme_staff

    queryset = Clarification.objects.filter(status=Clarification.Status.AWAITING).select_related(
        "challenge", "challenge__sponsor"
    )
    if not is_programme_staff(user):
        queryset = queryset.filter(challenge__sponsor__memberships__user=user)
    return queryset.order_by("asked_at")


def rounds_with_counts() -> QuerySet[Round]:
    live = Q(challenges__live=True)
    return Round.objects.annotate(challenge_count=Count("challenges", filter=live)).order_by("-call_opens")
