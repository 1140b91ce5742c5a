"""What the public may read, as QuerySets with everything their serializers need (a constant number of queries).

The API, the CSV downloads and the OCDS export all start here. Which challenges are public is decided once, for the
whole site, by `challenges.selectors.public_challenges` (live, not view-restricted); everything below hangs off it:
- challenges: the public ones;
- questions: published answers on those challenges, without who asked;
- companies: organisations that are not public bodies and have been engaged (exploration or accelerator) on a
  published challenge. Applying alone does not make a company public: an unsuccessful application stays private;
- solutions: completed accelerators on published challenges;
- contracts: the stage contracts of published challenges, and verified follow-on contracts with public bodies
  (follow-on and reuse). Private contracts are never listed one by one: only aggregate impact figures count them.
"""

from django.db.models import Count, DecimalField, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from applications.models import Application
from challenges.models import ChallengePage, Clarification, Round
from challenges.selectors import public_challenges as site_public_challenges
from ledger.models import Contract, Payment
from organisations.models import Organisation
from sprints.models import Engagement

PUBLIC_FOLLOW_ON_KINDS = (Contract.Kind.FOLLOW_ON, Contract.Kind.REUSE)


def published_challenges() -> QuerySet[ChallengePage]:
    return site_public_challenges()


def public_rounds() -> QuerySet[Round]:
    live = Q(challenges__in=published_challenges())
    return (
        Round.objects.annotate(challenge_count=Count("challenges", filter=live, distinct=True))
        .prefetch_related("stages")
        .order_by("-call_opens", "pk")
    )


def public_challenges() -> QuerySet[ChallengePage]:
    return (
        published_challenges()
        .select_related("round", "sponsor")
        .prefetch_related("sectors")
        .order_by("-round__call_opens", "pk")
    )


def public_questions() -> QuerySet[Clarification]:
    # `.only()` keeps asked_by and answered_by out of memory as well as out of the output.
    return (
        Clarification.objects.filter(status=Clarification.Status.PUBLISHED, challenge__in=published_challenges())
        .select_related("challenge")
        .only("id", "question", "answer", "answered_at", "challenge_id", "challenge__title", "challenge__round_id")
        .order_by("challenge_id", "answered_at", "pk")
    )


def public_engagements() -> QuerySet[Engagement]:
    return Engagement.objects.filter(application__challenge__in=published_challenges())


def public_companies() -> QuerySet[Organisation]:
    engaged = Application.objects.filter(engagements__in=public_engagements()).distinct()
    return (
        Organisation.objects.suppliers()
        .filter(applications__in=engaged)
        .distinct()
        .prefetch_related(
            "sectors",
            Prefetch(
                "applications",
                queryset=engaged.select_related("challenge").prefetch_related("engagements").order_by("pk"),
                to_attr="public_applications",
            ),
        )
        .order_by("name", "pk")
    )


def public_follow_on_contracts() -> QuerySet[Contract]:
    return Contract.objects.filter(kind__in=PUBLIC_FOLLOW_ON_KINDS, verified_at__isnull=False)


def public_solutions() -> QuerySet[Engagement]:
    return (
        public_engagements()
        .filter(stage=Engagement.Stage.ACCELERATOR, status=Engagement.Status.COMPLETED)
        .select_related("application__challenge__sponsor", "application__challenge__round", "application__organisation")
        .prefetch_related(
            Prefetch(
                "application__challenge__contracts",
                queryset=public_follow_on_contracts().select_related("buyer").order_by("awarded_on", "pk"),
                to_attr="public_follow_ons",
            )
        )
        .order_by("-ends_on", "pk")
    )


def public_contracts() -> QuerySet[Contract]:
    paid = Sum("payments__amount", filter=Q(payments__status=Payment.Status.PAID))
    return (
        Contract.objects.filter(challenge__in=published_challenges())
        .filter(Q(kind__in=Contract.STAGE_KINDS) | Q(pk__in=public_follow_on_contracts()))
        .select_related("challenge", "buyer", "supplier")
        .annotate(amount_paid=Coalesce(paid, 0, output_field=DecimalField(max_digits=14, decimal_places=2)))
        .order_by("-awarded_on", "pk")
    )
