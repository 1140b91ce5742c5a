from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .models import ChallengePage, Clarification, Round
from .status import Status, status_filter


# --- What is public: the one definition -------------------------------------------------------------
def _view_restricted() -> Exists:
    """A view restriction (login, password, groups) on the page itself or on any of its ancestors.

    Tree paths are fixed-width steps, so an ancestor's path is a prefix of the page's. Unlike Wagtail's
    `PageQuerySet.public()`, which reads every restriction when the queryset is built, this is a subquery: the
    queryset stays lazy and composes into other querysets without an extra query.
    """
    prefix = Substr(OuterRef("path"), 1, Length("page__path"))
    return Exists(PageViewRestriction.objects.filter(page__path=prefix))


def public_challenges() -> QuerySet[ChallengePage]:
    """The challenges anyone may see: live (published, not expired) and without a view restriction on the page
    or an ancestor. Every public output starts here: pages, listings and filters, feeds, alerts, search, the
    API, the CSVs, OCDS, lessons, Demo Day teams and the impact figures. Drafts and restricted challenges
    appear in none of them."""
    return ChallengePage.objects.live().exclude(_view_restricted())


def public_challenge_ids() -> QuerySet:
    """The ids of `public_challenges()`, as a subquery (no query of its own)."""
    return public_challenges().values("pk")


def on_public_challenge(path: str) -> Q:
    """A filter for any other model's queryset, given the path from it to its challenge:
    `Lesson.objects.filter(on_public_challenge("engagement__application__challenge"))`."""
    return Q(**{f"{path}__in" if path else "pk__in": public_challenge_ids()})


def challenges_for_listing() -> QuerySet[ChallengePage]:
    """Public challenges with everything a listing row shows, in a constant number of queries."""
    return (
        public_challenges()
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
    public = on_public_challenge("challenges")
    return Round.objects.annotate(challenge_count=Count("challenges", filter=public, distinct=True)).order_by(
        "-call_opens"
    )
