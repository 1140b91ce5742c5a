"""Token-authenticated endpoints for programme staff (/api/v1/staff/). Read-only: writes go through the services
and the admin. Every request passes `api.staff`, and every object the rule the web pages use for it."""

import django_filters as filters
from drf_spectacular.utils import extend_schema, extend_schema_view

from applications.models import Application, Assignment, Score
from impact.models import Benefit, ImpactReturn

from .. import staff_serializers
from ..access import StaffAPI
from ..filters import BooleanFilter, FilterSet, IdFilter
from .base import ERRORS, NOT_FOUND, REFUSED, PublicViewSet


class StaffViewSet(PublicViewSet):
    permission_classes = [StaffAPI]
    object_rule = ""

    def object_for_rule(self, obj):
        return obj

    def paginate_queryset(self, queryset):
        # A list is as private as its rows: each row passes the same object check as a single item.
        page = super().paginate_queryset(queryset)
        for obj in page if page is not None else []:
            self.check_object_permissions(self.request, obj)
        return page


def documented(tag: str, what: str, serializer):
    return extend_schema_view(
        list=extend_schema(
            tags=[tag], summary=f"List {what} (staff)", responses={200: serializer, **ERRORS, **REFUSED}
        ),
        retrieve=extend_schema(
            tags=[tag],
            summary=f"One of the {what} (staff)",
            responses={200: serializer, **ERRORS, **REFUSED, **NOT_FOUND},
        ),
    )


class ApplicationFilter(FilterSet):
    round = IdFilter(field_name="challenge__round_id")
    challenge = IdFilter(field_name="challenge_id")
    status = filters.ChoiceFilter(choices=Application.Status.choices)

    class Meta:
        model = Application
        fields = ["round", "challenge", "status"]


@documented("staff", "applications", staff_serializers.StaffApplicationSerializer)
class StaffApplicationViewSet(StaffViewSet):
    model = Application
    serializer_class = staff_serializers.StaffApplicationSerializer
    filterset_class = ApplicationFilter
    object_rule = "application.view"

    def rows(self):
        return (
            Application.objects.select_related("challenge", "organisation", "form_version__form")
            .defer("form_version__questions", "form_version__form__content")
            .order_by("pk")
        )


class ScoreFilter(FilterSet):
    application = IdFilter(field_name="assignment__application_id")
    challenge = IdFilter(field_name="assignment__application__challenge_id")
    stage = filters.ChoiceFilter(field_name="assignment__stage", choices=Assignment.Stage.choices)

    class Meta:
        model = Score
        fields = ["application", "challenge", "stage"]


@documented("staff", "assessors' scores", staff_serializers.StaffScoreSerializer)
class StaffScoreViewSet(StaffViewSet):
    model = Score
    serializer_class = staff_serializers.StaffScoreSerializer
    filterset_class = ScoreFilter
    object_rule = "application.view"

    def object_for_rule(self, obj):
        return obj.assignment.application

    def rows(self):
        return Score.objects.select_related(
            "assignment__application__challenge__round", "assignment__assessor", "criterion"
        ).order_by("pk")


class ImpactReturnFilter(FilterSet):
    verified = BooleanFilter(field_name="verified_at", lookup_expr="isnull", exclude=True)
    submitted = BooleanFilter(field_name="submitted_at", lookup_expr="isnull", exclude=True)
    kind = filters.ChoiceFilter(choices=ImpactReturn.Kind.choices)
    challenge = IdFilter(field_name="engagement__application__challenge_id")

    class Meta:
        model = ImpactReturn
        fields = ["verified", "submitted", "kind", "challenge"]


@documented("staff", "impact returns", staff_serializers.StaffImpactReturnSerializer)
class StaffImpactReturnViewSet(StaffViewSet):
    model = ImpactReturn
    serializer_class = staff_serializers.StaffImpactReturnSerializer
    filterset_class = ImpactReturnFilter
    object_rule = "impact_return.view"

    def rows(self):
        return ImpactReturn.objects.select_related("organisation", "engagement__application__challenge").order_by("pk")


class BenefitFilter(FilterSet):
    status = filters.ChoiceFilter(choices=Benefit.Status.choices)
    kind = filters.ChoiceFilter(choices=Benefit.Kind.choices)
    challenge = IdFilter(field_name="challenge_id")

    class Meta:
        model = Benefit
        fields = ["status", "kind", "challenge"]


@documented("staff", "benefits", staff_serializers.StaffBenefitSerializer)
class StaffBenefitViewSet(StaffViewSet):
    model = Benefit
    serializer_class = staff_serializers.StaffBenefitSerializer
    filterset_class = BenefitFilter
    object_rule = "benefit.view"

    def rows(self):
        return Benefit.objects.select_related("challenge", "sponsor").order_by("pk")
