"""/api/: the versioned API (v1/), its OpenAPI description (schema/) and the interactive documentation (docs/)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from .views import ocds, public, staff

app_name = "api"

router = DefaultRouter()
router.register("rounds", public.RoundViewSet, basename="round")
router.register("challenges", public.ChallengeViewSet, basename="challenge")
router.register("questions", public.QuestionViewSet, basename="question")
router.register("companies", public.CompanyViewSet, basename="company")
router.register("solutions", public.SolutionViewSet, basename="solution")
router.register("contracts", public.ContractViewSet, basename="contract")
router.register("staff/applications", staff.StaffApplicationViewSet, basename="staff-application")
router.register("staff/scores", staff.StaffScoreViewSet, basename="staff-score")
router.register("staff/impact-returns", staff.StaffImpactReturnViewSet, basename="staff-impact-return")
router.register("staff/benefits", staff.StaffBenefitViewSet, basename="staff-benefit")

urlpatterns = [
    path("v1/impact/", public.ImpactView.as_view(), name="impact"),
    path("v1/ocds/releases.json", ocds.ReleasePackageView.as_view(), name="ocds-releases"),
    path("v1/ocds/records.json", ocds.RecordPackageView.as_view(), name="ocds-records"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/docs.html"),
        name="docs",
    ),
]
