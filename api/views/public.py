"""The public, read-only endpoints under /api/v1/. What is public is decided in api.selectors."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from challenges.models import ChallengePage, Clarification, Round
from ledger.models import Contract
from organisations.models import Organisation
from sprints.models import Engagement

from .. import filters, selectors, serializers
from ..impact import ImpactQuerySerializer, ImpactSerializer, public_impact
from .base import ERRORS, NOT_FOUND, APIMixin, PublicViewSet


def documented(tag: str, what: str, serializer):
    return extend_schema_view(
        list=extend_schema(tags=[tag], summary=f"List {what}", responses={200: serializer, **ERRORS}),
        retrieve=extend_schema(
            tags=[tag], summary=f"One of the {what}", responses={200: serializer, **ERRORS, **NOT_FOUND}
        ),
    )


@documented("rounds", "programme rounds", serializers.RoundSerializer)
class RoundViewSet(PublicViewSet):
    model = Round
    serializer_class = serializers.RoundSerializer
    lookup_field = "slug"

    def rows(self):
        return selectors.public_rounds()


@documented("challenges", "published challenges", serializers.ChallengeSerializer)
class ChallengeViewSet(PublicViewSet):
    model = ChallengePage
    serializer_class = serializers.ChallengeSerializer
    filterset_class = filters.ChallengeFilter

    def rows(self):
        return selectors.public_challenges()

    def get_serializer_context(self):
        # One clock for the whole page, so every row's status is derived at the same instant.
        return {**super().get_serializer_context(), "now": timezone.now()}


@documented(
    "questions",
    "answered clarification questions (question and answer; never who asked)",
    serializers.QuestionSerializer,
)
class QuestionViewSet(PublicViewSet):
    model = Clarification
    serializer_class = serializers.QuestionSerializer
    filterset_class = filters.QuestionFilter

    def rows(self):
        return selectors.public_questions()


@documented("companies", "public profiles of companies engaged on published challenges", serializers.CompanySerializer)
class CompanyViewSet(PublicViewSet):
    model = Organisation
    serializer_class = serializers.CompanySerializer
    filterset_class = filters.CompanyFilter
    lookup_field = "slug"

    def rows(self):
        return selectors.public_companies()


@documented("solutions", "solutions: products from completed accelerators", serializers.SolutionSerializer)
class SolutionViewSet(PublicViewSet):
    model = Engagement
    serializer_class = serializers.SolutionSerializer
    filterset_class = filters.SolutionFilter

    def rows(self):
        return selectors.public_solutions()


@documented(
    "contracts",
    "awarded contracts (stage contracts, verified follow-on contracts with public bodies)",
    serializers.ContractSerializer,
)
class ContractViewSet(PublicViewSet):
    model = Contract
    serializer_class = serializers.ContractSerializer
    filterset_class = filters.ContractFilter

    def rows(self):
        return selectors.public_contracts()


class ImpactView(APIMixin, APIView):
    @extend_schema(
        tags=["impact"],
        summary="Verified impact figures",
        description="The figures on the public impact page: verified records only, with the same filters.",
        parameters=[ImpactQuerySerializer],
        responses={200: ImpactSerializer, **ERRORS},
    )
    def get(self, request):
        query = ImpactQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(ImpactSerializer(public_impact(query)).data)
