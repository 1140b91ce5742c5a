"""Reads for the applicant pages: each returns everything its page shows in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from .models import SECTIONS, Application, Attachment
from .services import word_count


def applications_for_user(user) -> QuerySet[Application]:
    """Every application of every organisation the user belongs to, newest change first."""
    return (
        Application.objects.filter(organisation__memberships__user=user)
        .select_related("challenge__round", "organisation")
        .distinct()
        .order_by("-updated_at")
    )


def application_detail(pk: int) -> Application:
    """One application with its challenge, round, organisation and attachments (raises DoesNotExist)."""
    return (
        Application.objects.select_related("challenge__round", "organisation")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at")))
        .get(pk=pk)
    )


def section_rows(application: Application) -> list[dict]:
    """The six sections with their label, limit, words and task status."""
    rows = []
    for key, label, limit, hint in SECTIONS:
        words = word_count(getattr(application, key))
        if words == 0:
            status, colour = "Not started", "grey"
        elif words > limit:
            status, colour = "Over the word limit", "red"
        else:
            status, colour = "In progress", "blue"
        rows.append(
            {
                "key": key,
                "label": label,
                "limit": limit,
                "hint": hint,
                "text": getattr(application, key),
                "words": words,
                "status": status,
                "colour": colour,
                "over": words > limit,
            }
        )
    return rows


def evaluation_progress(round_=None) -> QuerySet:
    """Challenges with submitted applications, each with its assessment completion and decisions so far.

    Counts are annotations, so the page runs the same queries however many challenges it lists.
    """
    from challenges.models import ChallengePage

    from .models import Assignment

    Status = Application.Status
    submitted = ~Q(applications__status__in=[Status.DRAFT, Status.WITHDRAWN])
    written = Q(applications__assignments__stage=Assignment.Stage.APPLICATION) & ~Q(
        applications__assignments__has_conflict=True
    )
    with_submissions = Application.objects.exclude(status__in=[Status.DRAFT, Status.WITHDRAWN]).values("challenge_id")
    queryset = (
        ChallengePage.objects.filter(pk__in=with_submissions)
        .select_related("round", "sponsor")
        .annotate(
            applications_count=Count("applications", filter=submitted, distinct=True),
            assignments_count=Count("applications__assignments", filter=written, distinct=True),
            scored_count=Count(
                "applications__assignments",
                filter=written & Q(applications__assignments__submitted_at__isnull=False),
                distinct=True,
            ),
            shortlisted_count=Count(
                "applications",
                filter=Q(applications__decisions__outcome=Status.SHORTLISTED),
                distinct=True,
            ),
            selected_count=Count("applications", filter=Q(applications__status=Status.SELECTED), distinct=True),
        )
        .order_by("round__call_closes", "title")
    )
    if round_ is not None:
        queryset = queryset.filter(round=round_)
    return queryset


def sponsor_challenges(user) -> list:
    """The challenges of every public body the user belongs to, each with the applications its sponsor may see:
    none before the call closes, never drafts. Three queries however many challenges and applications."""
    from challenges.models import ChallengePage

    visible = (
        Application.objects.exclude(status=Application.Status.DRAFT)
        .filter(challenge__round__call_closes__lte=timezone.now())
        .select_related("organisation")
        .order_by("reference")
    )
    return list(
        ChallengePage.objects.filter(sponsor__memberships__user=user)
        .select_related("round", "sponsor")
        .prefetch_related(Prefetch("applications", queryset=visible, to_attr="visible_applications"))
        .distinct()
        .order_by("-round__call_closes", "title")
    )
