"""Programme staff's impact dashboard in the Wagtail admin: every figure (including what is not yet verified),
flags for what to chase, drill-down to the records, the additionality assumptions, and exports in Celery."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from accounts.admin_access import StaffMenuItem
from accounts.admin_access import StaffOnlyMixin as _StaffOnlyMixin
from civtech.errors import DomainError, add_to_form

from ..exports import export_request, record_rows, value_at
from ..forms import AssumptionsForm
from ..models import Assumptions, Export
from ..report_context import ReportFilterForm, report_context
from ..reporting import BY_KEY
from ..services.assumptions import FIELDS, assumptions_update

PER_PAGE = 50


class StaffOnlyMixin(_StaffOnlyMixin):
    staff_only_reason = "Only the CivTech team reads the staff impact report."


class ReportView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Impact report"
    header_icon = "table"
    template_name = "impact/admin/report.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**report_context(self.request.GET, public=False), **kwargs)


class RecordsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """The records behind one figure, with the same filters: how staff check a number."""

    header_icon = "table"
    template_name = "impact/admin/records.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["key"] not in BY_KEY:
            raise Http404("No such figure")
        self.figure = BY_KEY[kwargs["key"]]

    def get_page_title(self):
        return f"Records behind: {self.figure.label}"

    def get_context_data(self, **kwargs):
        kwargs.pop("key", None)
        form = ReportFilterForm(self.request.GET or None)
        headings, queryset, columns = record_rows(self.figure.key, form.filters(), public=False)
        page = Paginator(queryset, PER_PAGE).get_page(self.request.GET.get("p"))
        rows = [[value_at(record, path) for _, path in columns] for record in page.object_list]
        return super().get_context_data(
            figure=self.figure, headings=headings, rows=rows, page=page, filter_form=form,
            query=self.request.GET.copy(), filters_items=[(k, v) for k, v in vars(form.filters()).items() if v],
            record_export_kinds=[(k, label) for k, label in Export.Kind.choices if k.startswith("records")],
            **kwargs,
        )  # fmt: skip


class AssumptionsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Additionality assumptions"
    header_icon = "cog"
    template_name = "impact/admin/assumptions.html"

    def get_context_data(self, form=None, **kwargs):
        current = Assumptions.current()
        return super().get_context_data(
            form=form or AssumptionsForm(initial={f: getattr(current, f) for f in FIELDS}),
            history=Assumptions.objects.select_related("changed_by")[:20],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = AssumptionsForm(request.POST)
        if form.is_valid():
            try:
                assumptions_update(by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "The new assumptions apply to every net figure from now on.")
                return redirect("impact_report:index")
        return self.render_to_response(self.get_context_data(form=form))


class ExportCreateView(StaffOnlyMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        params = {
            k: request.POST.get(k) for k in ("round", "year", "sponsor", "region", "figure") if request.POST.get(k)
        }
        for key in ("round", "year", "sponsor"):
            if key in params:
                try:
                    params[key] = int(params[key])
                except ValueError:
                    params.pop(key)
        try:
            export = export_request(kind=request.POST.get("kind", ""), params=params, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("impact_report:index")
        return redirect("impact_report:export", pk=export.pk)


def _own_export(request, pk: int) -> Export:
    return get_object_or_404(Export, pk=pk, requested_by=request.user)


class ExportStatusView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Export"
    header_icon = "download"
    template_name = "impact/admin/export.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["impact/admin/_export_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        return super().get_context_data(export=_own_export(self.request, self.kwargs["pk"]), **kwargs)


class ExportDownloadView(StaffOnlyMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        export = _own_export(request, kwargs["pk"])
        if export.status != Export.Status.DONE:
            raise Http404("The export is not ready")
        return FileResponse(export.file.open("rb"), as_attachment=True, filename=export.filename)


class ImpactReportViewSet(ViewSet):
    name = "impact_report"
    url_prefix = "impact-report"
    icon = "table"
    menu_label = "Impact report"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", ReportView.as_view(), name="index"),
            path("records/<str:key>/", RecordsView.as_view(), name="records"),
            path("assumptions/", AssumptionsView.as_view(), name="assumptions"),
            path("exports/new/", ExportCreateView.as_view(), name="export_new"),
            path("exports/<int:pk>/", ExportStatusView.as_view(), name="export"),
            path("exports/<int:pk>/download/", ExportDownloadView.as_view(), name="export_download"),
        ]
