"""Reads for the editorial pages, each in a fixed number of queries."""

from django.db.models import Exists, OuterRef, QuerySet

from challenges.selectors import on_public_challenge
from sprints.models import Engagement, Lesson

from .models import DemoDayPage


def demo_day_for_round(round_id: int) -> DemoDayPage | None:
    return DemoDayPage.objects.live().filter(round_id=round_id).first()


def demo_day_demos(round_id: int) -> QuerySet[Engagement]:
    """The round's accelerator teams (running or finished, not ended early) on public challenges.

    Only public facts reach the page: the team's name and public description, the challenge,
    and whether the challenge has published lessons. Nothing from the private workspace."""
    published_lessons = Lesson.objects.filter(
        status=Lesson.Status.PUBLISHED, engagement__application__challenge_id=OuterRef("application__challenge_id")
    )
    return (
        Engagement.objects.filter(
            on_public_challenge("application__challenge"),
            application__challenge__round_id=round_id,
            stage=Engagement.Stage.ACCELERATOR,
            status__in=[Engagement.Status.ACTIVE, Engagement.Status.COMPLETED],
        )
        .select_related("application__organisation", "application__challenge__sponsor")
        .annotate(has_published_lessons=Exists(published_lessons))
        .order_by("application__challenge__title", "application__organisation__name")
    )
