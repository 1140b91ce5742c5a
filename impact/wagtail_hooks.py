"""Programme staff's impact admin: a "Funding" menu (the report, contracts and payments) and an "Impact" menu
(`ImpactGroup`; extend its `items` with more viewsets).

Returns and benefits are read-only here (a permission policy refuses every write, so no admin form can skip
the services' validation, history and audit); they are verified on the pages of `ImpactVerificationViewSet`.
"""

from django.urls import path, reverse
from django.utils import timezone
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.admin_access import StaffMenuItem
from accounts.models import User
from accounts.roles import Role, is_programme_staff
from challenges.models import Round
from ledger.views import ContractViewSet, PaymentViewSet
from organisations.models import Organisation

from . import selectors
from .models import Benefit, ImpactReturn
from .views import admin as admin_views
from .views.report import ImpactReportViewSet

YES_NO = [("yes", "Yes"), ("no", "No")]


# --- Returns and benefits ----------------------------------------------------------------------------
class StaffReadOnlyPolicy(ModelPermissionPolicy):
    """Programme staff may view (and export); nobody may add, change or delete here. Sponsors reach the admin
    for their challenges, so viewing is tied to the staff role, not to a model permission a group could gain."""

    def user_has_permission(self, user, action):
        return action == "view" and is_programme_staff(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(is_active=True).filter(
            groups__name=Role.PROGRAMME_STAFF.label
        ) | User.objects.filter(is_active=True, is_superuser=True)


register_permission_policy(ImpactReturn, StaffReadOnlyPolicy(ImpactReturn), exact_class=True)
register_permission_policy(Benefit, StaffReadOnlyPolicy(Benefit), exact_class=True)


class ReturnFilterSet(WagtailFilterSet):
    verified = ChoiceFilter(label="Verified", choices=YES_NO, method="filter_verified")
    late = ChoiceFilter(label="Late or missing", choices=YES_NO, method="filter_late")
    round = ModelChoiceFilter(
        label="Round", queryset=Round.objects.all(), field_name="engagement__application__challenge__round"
    )
    kind = ChoiceFilter(label="Kind", choices=ImpactReturn.Kind.choices)

    class Meta:
        model = ImpactReturn
        fields = []

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verified_at__isnull=value != "yes")

    def filter_late(self, queryset, name, value):
        late = selectors.late_q(timezone.localdate())
        return queryset.filter(late) if value == "yes" else queryset.exclude(late)


def _return_url(instance) -> str:
    return reverse("impact_verification:return", args=[instance.pk])


class ImpactReturnViewSet(SnippetViewSet):
    """Every impact return: filter by verification, lateness and round; export every figure."""

    model = ImpactReturn
    icon = "doc-full"
    menu_label = "Impact returns"
    filterset_class = ReturnFilterSet
    # The company links to the verification page (figures, corrections, the Verify button).
    list_display = [
        TitleColumn("organisation", label="Company", get_url=_return_url),
        Column("challenge", accessor="engagement.application.challenge", label="Challenge"),
        "kind", "period_end", "due_on", "submitted_at", "verified_at",
    ]  # fmt: skip
    list_export = [
        "pk", "organisation", "organisation.get_region_display", "engagement.application.challenge",
        "engagement.application.challenge.round", "engagement.get_stage_display", "get_kind_display",
        "period_start", "period_end", "due_on", "submitted_at", "verified_at", "headcount", "fte", "jobs_created",
        "jobs_safeguarded", "turnover", "investment_equity", "investment_grant", "investment_debt",
        "contracts_public", "contracts_private", "exports", "still_trading",
    ]  # fmt: skip
    export_headings = {
        "pk": "Return id",
        "organisation.get_region_display": "Region",
        "engagement.application.challenge": "Challenge",
        "engagement.application.challenge.round": "Round",
        "engagement.get_stage_display": "Stage",
        "get_kind_display": "Kind",
    }
    export_filename = "impact-returns"
    search_fields = ["organisation__name"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return ImpactReturn.objects.select_related(*selectors.RETURN_RELATED, "engagement__application")


class BenefitFilterSet(WagtailFilterSet):
    status = ChoiceFilter(label="Status", choices=Benefit.Status.choices)
    kind = ChoiceFilter(label="Kind", choices=Benefit.Kind.choices)
    sponsor = ModelChoiceFilter(label="Sponsor", queryset=Organisation.objects.public_bodies())

    class Meta:
        model = Benefit
        fields = []


class BenefitViewSet(SnippetViewSet):
    """Every benefit sponsors recorded: filter by status, kind and sponsor; export."""

    model = Benefit
    icon = "pick"
    menu_label = "Benefits"
    filterset_class = BenefitFilterSet
    list_display = [
        TitleColumn("title", label="Benefit", get_url=lambda b: reverse("impact_verification:benefit", args=[b.pk])),
        "sponsor", "challenge", "kind", "amount", "status", "recorded_at",
    ]  # fmt: skip
    list_export = [
        "pk", "title", "sponsor", "challenge", "challenge.round", "get_kind_display", "get_recurrence_display",
        "amount", "years", "period_start", "period_end", "metric", "unit", "baseline", "target", "actual",
        "evidence", "get_status_display", "recorded_at", "verified_at", "verified_by", "verification_note",
    ]  # fmt: skip
    export_headings = {
        "pk": "Benefit id",
        "challenge.round": "Round",
        "get_kind_display": "Kind",
        "get_recurrence_display": "Recurrence",
        "get_status_display": "Status",
    }
    export_filename = "benefits"
    search_fields = ["title", "sponsor__name"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Benefit.objects.select_related("sponsor", "challenge__round", "verified_by")


class ImpactVerificationViewSet(ViewSet):
    """The queue of returns and benefits to verify, late returns, and the page to decide each one."""

    name = "impact_verification"
    url_prefix = "impact-verification"
    icon = "tick"
    menu_label = "Verify impact"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.VerificationQueueView.as_view(), name="index"),
            path("return/<int:pk>/", admin_views.ReturnVerifyView.as_view(), name="return"),
            path("benefit/<int:pk>/", admin_views.BenefitVerifyView.as_view(), name="benefit"),
        ]


# --- The Funding and Impact menus ----------------------------------------------------------------------
class FundingGroup(ViewSetGroup):
    """The report beside the money ledger's contracts and payments (ledger.views)."""

    menu_label = "Funding"
    menu_icon = "table"
    menu_order = 230
    items = (ImpactReportViewSet, ContractViewSet, PaymentViewSet)


@hooks.register("register_admin_viewset")
def register_funding_group():
    return FundingGroup()


class ImpactGroup(ViewSetGroup):
    menu_label = "Impact"
    menu_icon = "doc-full"
    menu_order = 230
    items = (ImpactVerificationViewSet, ImpactReturnViewSet, BenefitViewSet)


@hooks.register("register_admin_viewset")
def register_impact_group():
    return ImpactGroup()
