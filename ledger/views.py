"""Contracts and payments in the Wagtail admin: read-only listings with export (shown in impact's "Funding" menu
beside the report), and one page per contract where staff verify it, approve variations, plan tranches and record
payments — every change through the services."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts import admin_access
from accounts.admin_access import ReadOnlyPermissionPolicy, StaffMenuItem
from civtech.errors import DomainError, add_to_form

from . import selectors, services
from .forms import FollowOnForm, PaidForm, PaymentForm, PaymentPickForm, VariationForm
from .models import Contract, Payment

for model in (Contract, Payment):
    register_permission_policy(model, ReadOnlyPermissionPolicy(model), exact_class=True)


class ContractViewSet(SnippetViewSet):
    model = Contract
    icon = "doc-full"
    menu_label = "Contracts"
    add_to_admin_menu = False
    # The title opens the contract's own page, where staff verify, vary and pay through the services.
    list_display = [TitleColumn("title", url_name="contracts_manage:detail"), "kind", "supplier", "buyer",
                    "current_value", "verified_at"]  # fmt: skip
    list_filter = ["kind", "status", "challenge__round"]
    search_fields = ["title"]
    list_export = ["title", "get_kind_display", "challenge", "buyer", "buyer_name", "supplier", "value",
                   "current_value", "starts_on", "ends_on", "awarded_on", "get_status_display",
                   "verified_at"]  # fmt: skip
    export_headings = {"get_kind_display": "Kind", "get_status_display": "Status", "current_value": "Contracted value"}
    export_filename = "contracts"
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return selectors.contracts_for_admin()


class PaymentViewSet(SnippetViewSet):
    model = Payment
    icon = "pick"
    menu_label = "Payments"
    add_to_admin_menu = False
    list_display = ["contract", "number", "amount", "due_on", "status", "paid_on"]
    list_filter = ["status", "contract__kind"]
    list_export = ["contract", "number", "description", "amount", "due_on", "get_status_display", "paid_on"]
    export_headings = {"get_status_display": "Status"}
    export_filename = "payments"
    copy_view_enabled = False

    def get_queryset(self, request):
        return selectors.payments_for_admin()


class StaffOnlyMixin(admin_access.StaffOnlyMixin):
    staff_only_reason = "Only the CivTech team records contracts and payments."


class FollowOnCreateView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Record a follow-on contract"
    header_icon = "doc-full"
    template_name = "ledger/admin/follow_on.html"

    def get_context_data(self, form=None, **kwargs):
        return super().get_context_data(form=form or FollowOnForm(initial=self.request.GET.dict()), **kwargs)

    def post(self, request, *args, **kwargs):
        form = FollowOnForm(request.POST)
        if form.is_valid():
            try:
                contract = services.contract_record_follow_on(by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Contract recorded. Verify it against the evidence to count it publicly.")
                return redirect("contracts_manage:detail", pk=contract.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ContractDetailView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "doc-full"
    template_name = "ledger/admin/contract.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.contract = get_object_or_404(selectors.contract_for_page(), pk=kwargs["pk"])

    def get_page_title(self):
        return self.contract.title

    def get_context_data(self, variation_form=None, payment_form=None, paid_form=None, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(
            contract=self.contract,
            payments=self.contract.payments.all(),
            variations=selectors.contract_variations(self.contract),
            scheduled=self.contract.scheduled_total(),
            variation_form=variation_form or VariationForm(prefix="vary"),
            payment_form=payment_form or PaymentForm(prefix="pay"),
            paid_form=paid_form or PaidForm(prefix="paid"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action, contract = request.POST.get("action"), self.contract
        by = request.user
        forms_by_action = {
            "vary": (VariationForm, "variation_form",
                     lambda d: services.variation_approve(contract=contract, by=by, **d)),
            "pay": (PaymentForm, "payment_form", lambda d: services.payment_schedule(contract=contract, by=by, **d)),
            "paid": (PaidForm, "paid_form", lambda d: services.payment_mark_paid(
                payment=get_object_or_404(Payment, pk=d["payment"], contract=contract), paid_on=d["paid_on"], by=by)),
        }  # fmt: skip
        if action == "verify":
            try:
                services.contract_verify(contract=contract, by=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            return redirect(request.path)
        if action == "due":
            pick = PaymentPickForm(request.POST)
            if not pick.is_valid():
                messages.error(request, "Choose a payment from this contract's schedule.")
                return redirect(request.path)
            payment = get_object_or_404(Payment, pk=pick.cleaned_data["payment"], contract=contract)
            try:
                services.payment_mark_due(payment=payment, by=request.user)
            except DomainError as error:
                messages.error(request, error.message)
            return redirect(request.path)
        if action not in forms_by_action:
            return redirect(request.path)
        form_class, name, call = forms_by_action[action]
        form = form_class(request.POST, prefix=action)
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Saved.")
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(**{name: form}))


class ContractsManageViewSet(ViewSet):
    name = "contracts_manage"
    url_prefix = "contracts-manage"
    icon = "doc-full"
    menu_label = "Contracts"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("<int:pk>/", ContractDetailView.as_view(), name="detail"),
            path("follow-on/", FollowOnCreateView.as_view(), name="follow_on"),
        ]


@hooks.register("register_admin_viewset")
def register_contract_pages():
    return ContractsManageViewSet()
