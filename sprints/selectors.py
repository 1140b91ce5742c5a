"""Reads for the workspace and portfolio pages, each in a fixed number of queries."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import is_programme_staff
from challenges.selectors import on_public_challenge

from .models import Deliverable, DeliverableVersion, Engagement, Lesson, Milestone, Sprint, SprintUpdate

ENGAGEMENT_RELATED = ("application__challenge__round", "application__challenge__sponsor", "application__organisation")


def engagement_detail(pk: int) -> Engagement:
    """One engagement with its challenge, round, sponsor and company (raises DoesNotExist)."""
    return Engagement.objects.select_related(*ENGAGEMENT_RELATED).get(pk=pk)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT, so several counts on one row never multiply each other through joins."""
    return Coalesce(
        Subquery(queryset.order_by().values("engagement_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
        output_field=IntegerField(),
    )


def portfolio(engagements: QuerySet[Engagement] | None = None) -> QuerySet[Engagement]:
    """Live engagements with stage, current sprint, RAG, deliverables awaiting feedback, overdue updates and
    milestones: one query however many rows."""
    today = timezone.localdate()
    engagements = engagements if engagements is not None else Engagement.objects.all()
    current_sprint = Sprint.objects.filter(engagement=OuterRef("pk"), starts_on__lte=today, ends_on__gte=today)
    return (
        engagements.filter(status=Engagement.Status.ACTIVE)
        .select_related(*ENGAGEMENT_RELATED)
        .annotate(
            current_sprint=Subquery(current_sprint.values("number")[:1]),
            awaiting_feedback=_count(
                Deliverable.objects.filter(engagement=OuterRef("pk"), status=Deliverable.Status.AWAITING_FEEDBACK)
            ),
            overdue_updates=_count(
                Sprint.objects.filter(engagement=OuterRef("pk"), ends_on__lt=today).filter(
                    ~Exists(SprintUpdate.objects.filter(sprint=OuterRef("pk")))
                )
            ),
            overdue_milestones=_count(
                Milestone.objects.filter(engagement=OuterRef("pk"), status=Milestone.Status.PLANNED, due_on__lt=today)
            ),
        )
        .order_by("application__challenge__title", "stage", "application__organisation__name")
    )


def engagements_for_user(user) -> QuerySet[Engagement]:
    """Every engagement the person may see: their company's, their public body's, or all for staff."""
    if is_programme_staff(user):
        return Engagement.objects.all()
    return Engagement.objects.filter(
        Q(application__organisation__memberships__user=user)
        | Q(application__challenge__sponsor__memberships__user=user)
    ).distinct()


def deliverables_for(engagement: Engagement) -> QuerySet[Deliverable]:
    return (
        engagement.deliverables.select_related("milestone")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=DeliverableVersion.objects.select_related("submitted_by", "feedback__given_by")
                .prefetch_related("files")
                .order_by("-number"),
            )
        )
        .order_by("-updated_at")
    )


def sprints_for(engagement: Engagement) -> QuerySet[Sprint]:
    return engagement.sprints.prefetch_related(
        Prefetch("updates", queryset=SprintUpdate.objects.select_related("posted_by").order_by("-posted_at"))
    ).order_by("number")


def public_lessons() -> QuerySet[Lesson]:
    """The lessons library: published lessons of public challenges (`challenges.selectors.public_challenges`)."""
    return Lesson.objects.filter(
        on_public_challenge("engagement__application__challenge"), status=Lesson.Status.PUBLISHED
    ).select_related("engagement__application__challenge", "engagement__application__organisation")


def has_published_lessons(challenge_id: int) -> bool:
    """Whether the public lessons library has anything for this challenge (linked from the challenge page)."""
    return public_lessons().filter(engagement__application__challenge_id=challenge_id).exists()
