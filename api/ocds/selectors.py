from django.db.models import Count, Prefetch, Q, QuerySet

from applications.models import Application
from challenges.models import ChallengePage, Clarification
from ledger.models import Contract

from ..selectors import published_challenges

# A tender is an application that was submitted and not withdrawn: every status after submission counts.
TENDERED = ~Q(applications__status__in=[Application.Status.DRAFT, Application.Status.WITHDRAWN])


def processes() -> QuerySet[ChallengePage]:
    """Published challenges with their counts and stage contracts (suppliers, payments, milestones) prefetched."""
    contracts = (
        Contract.objects.filter(kind__in=Contract.STAGE_KINDS)
        .select_related("buyer", "supplier", "engagement")
        .prefetch_related("payments", "engagement__milestones")
        .order_by("awarded_on", "pk")
    )
    answered = Q(clarifications__status=Clarification.Status.PUBLISHED)
    return (
        published_challenges()
        .select_related("round", "sponsor")
        .annotate(
            tenderers=Count("applications", filter=TENDERED, distinct=True),
            answered_questions=Count("clarifications", filter=answered, distinct=True),
        )
        .prefetch_related(Prefetch("contracts", queryset=contracts, to_attr="stage_contracts"))
        .order_by("pk")
    )
