"""Programme staff verify impact returns and benefits in the Wagtail admin: a queue, and one page per record
with its figures, history and the decision. Views only call impact.services; a refusal is shown, not raised."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts import admin_access as accounts_admin
from civtech.errors import DomainError, add_to_form
from civtech.permissions import has_permission

from .. import selectors
from ..forms import DecisionNoteForm
from ..models import Benefit, ImpactReturn
from ..services import benefits as benefit_services
from ..services import returns as return_services
from .company import _figure_rows


class StaffOnlyMixin(accounts_admin.StaffOnlyMixin):
    staff_only_reason = "Only the CivTech team verifies impact figures."


class VerificationQueueView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Verify impact"
    header_icon = "tick"
    template_name = "impact/admin/verification_queue.html"

    def get_context_data(self, **kwargs):
        returns = (
            ImpactReturn.objects.filter(submitted_at__isnull=False, verified_at__isnull=True)
            .select_related(*selectors.RETURN_RELATED)
            .order_by("submitted_at")
        )
        benefits = (
            Benefit.objects.filter(status=Benefit.Status.SUBMITTED)
            .select_related("challenge", "sponsor")
            .order_by("recorded_at")
        )
        return super().get_context_data(
            returns=returns, benefits=benefits, late=selectors.late_returns()[:200], **kwargs
        )


class _RecordView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tick"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("impact_verification:index"), "label": "Verify impact"},
            {"url": "", "label": self.get_page_title()},
        ]


class ReturnVerifyView(_RecordView):
    template_name = "impact/admin/return_verify.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.impact_return = selectors.return_detail(kwargs["pk"])
        except ImpactReturn.DoesNotExist:
            raise Http404("No such impact return") from None

    def get_page_title(self):
        return f"{self.impact_return.organisation}: {self.impact_return.get_kind_display().lower()}"

    def get_context_data(self, **kwargs):
        r = self.impact_return
        can_verify, reason = has_permission("impact_return.verify", self.request.user, r)
        previous = selectors.previous_return(r)
        rows = _figure_rows(r)
        if previous is not None:  # figure, this return, the last one, and whether it changed
            rows = [(label, value, before, value != before) for (label, value), (_, before) in zip(
                rows, _figure_rows(previous), strict=True)]  # fmt: skip
        return super().get_context_data(
            impact_return=r,
            previous=previous,
            rows=rows,
            can_verify=can_verify,
            reason=reason,
            corrections=r.corrections.select_related("corrected_by"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            return_services.return_verify(impact_return=self.impact_return, by=request.user)
        except (DomainError, PermissionDenied) as error:
            messages.error(request, getattr(error, "message", str(error)))
        else:
            messages.success(request, f"Return verified: {self.impact_return}.")
        return redirect(request.path)


class BenefitVerifyView(_RecordView):
    template_name = "impact/admin/benefit_verify.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.benefit = Benefit.objects.select_related("challenge", "sponsor", "recorded_by", "verified_by").get(
                pk=kwargs["pk"]
            )
        except Benefit.DoesNotExist:
            raise Http404("No such benefit") from None

    def get_page_title(self):
        return self.benefit.title

    def get_context_data(self, form=None, **kwargs):
        can_verify, reason = has_permission("benefit.verify", self.request.user, self.benefit)
        return super().get_context_data(
            benefit=self.benefit, form=form or DecisionNoteForm(), can_verify=can_verify, reason=reason, **kwargs
        )

    def post(self, request, *args, **kwargs):
        form = DecisionNoteForm(request.POST)
        form.is_valid()
        decide = benefit_services.benefit_reject if request.POST.get("action") == "reject" else None
        decide = decide or benefit_services.benefit_verify
        try:
            decide(benefit=self.benefit, by=request.user, note=form.cleaned_data.get("note", ""))
        except DomainError as error:
            add_to_form(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Decision recorded: {self.benefit.title}.")
        return redirect(request.path)
