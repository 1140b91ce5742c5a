from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Length, Substr
from django.utils import timezone
from wagtail.models import PageViewRestriction, WorkflowState

from accounts.roles import is_programme_staff

from .models import ChallengePage, Clarification, Round
from .status import BOUNDARIES, Status, status_filter


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


def listing_counts(queryset: QuerySet[ChallengePage], now=None) -> tuple[dict[str, int], int]:
    """How many of `queryset` are in each status, and how many in all, in one query (the listing's paginator is told
    the count it would otherwise ask the database for)."""
    now = now or timezone.now()
    aggregates = {status.value: Count("pk", filter=status_filter(status, now), distinct=True) for status in Status}
    counts = queryset.order_by().aggregate(**aggregates, all_statuses=Count("pk", distinct=True))
    total = counts.pop("all_statuses")
    return counts, total


def status_changes() -> list:
    """Every moment at which a public challenge's status changes (its round's boundaries and an early stop), in order.

    Between two of them every public challenge keeps its status, so what the listing shows depends on the time only
    through how many of these have passed (`views.public._listing_key`). Two queries."""
    fields = [field for _, field in BOUNDARIES if field]
    rounds = Round.objects.filter(challenges__in=public_challenge_ids()).distinct().values_list(*fields)
    stops = public_challenges().filter(stopped_at__isnull=False).values_list("stopped_at", flat=True)
    return sorted({moment for row in rounds for moment in row} | set(stops))


def status_counts(queryset: QuerySet[ChallengePage], now=None) -> dict[str, int]:
    """How many of `queryset` are in each status, in one query."""
    return listing_counts(queryset, now)[0]


def published_clarifications(challenge: ChallengePage) -> QuerySet[Clarification]:
    # Only the question and answer are ever rendered publicly; asked_by is deliberately not loaded.
    return challenge.clarifications.filter(status=Clarification.Status.PUBLISHED).only(
        "id", "question", "answer", "answered_at", "challenge_id"
    )


def clarifications_to_answer(user) -> QuerySet[Clarification]:
    """Questions awaiting an answer on challenges the user may answer for."""

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


# --- A sponsor's own challenges, by where they are -------------------------------------------------
class SponsorState(models.TextChoices):
    """Where a challenge is for its sponsor: being written, in the two approval steps, or published."""

    DRAFT = "draft", "Draft"
    SIGN_OFF = "sign_off", "With sponsor sign-off"
    APPROVAL = "approval", "With programme approval"
    LIVE = "live", "Live"
    CLOSED = "closed", "Closed"


def challenges_of_sponsor_bodies(user) -> QuerySet[ChallengePage]:
    """Every challenge, draft or live, of the public bodies the user is a member of, with what `sponsor_state`
    reads: the round, the latest revision (an approved go-live time) and, as annotations, the status of the
    approval workflow running on it (`workflow_status`) and whether that is at sponsor sign-off (`at_sign_off`).
    One query, however many challenges."""
    workflow = WorkflowState.objects.filter(
        content_type=ContentType.objects.get_for_model(ChallengePage),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        status__in=(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES),
    )
    return (
        ChallengePage.objects.filter(sponsor__memberships__user=user)
        .select_related("round", "sponsor", "latest_revision")
        .annotate(
            workflow_status=Subquery(workflow.values("status")[:1]),
            at_sign_off=Exists(workflow.filter(current_task_state__task__sponsorsignofftask__isnull=False)),
        )
        .order_by("sponsor__name", "round__call_closes", "title")
    )


def sponsor_state(challenge: ChallengePage, now=None) -> SponsorState:
    """A challenge from `challenges_of_sponsor_bodies`: in an approval step while the workflow runs on it (a live
    challenge's new version too); live once published (or approved and waiting for its go-live time) until its
    call closes; closed after that or once taken down at its expiry time; a draft otherwise (changes requested
    included)."""
    now = now or timezone.now()
    if challenge.workflow_status == WorkflowState.STATUS_IN_PROGRESS:
        return SponsorState.SIGN_OFF if challenge.at_sign_off else SponsorState.APPROVAL
    if challenge.expired:
        return SponsorState.CLOSED
    revision = challenge.latest_revision
    if challenge.live or (revision is not None and revision.approved_go_live_at is not None):
        return SponsorState.LIVE if challenge.status_at(now) in (Status.UPCOMING, Status.OPEN) else SponsorState.CLOSED
    return SponsorState.DRAFT


def sponsor_challenges_by_state(user, now=None) -> list[tuple[SponsorState, list[ChallengePage]]]:
    """The user's bodies' challenges grouped by `sponsor_state`, every state in order (empty ones included)."""
    groups: dict[SponsorState, list[ChallengePage]] = {state: [] for state in SponsorState}
    for challenge in challenges_of_sponsor_bodies(user):
        groups[sponsor_state(challenge, now)].append(challenge)
    return list(groups.items())
