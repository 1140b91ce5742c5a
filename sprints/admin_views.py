"""Programme staff's portfolio in the Wagtail admin: every live engagement, and a timeline per challenge."""

from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import ModelLogEntry

from accounts import admin_access as accounts_admin
from challenges.models import ChallengePage

from . import selectors
from .forms import PortfolioFilterForm
from .models import Engagement


class StaffOnlyMixin(accounts_admin.StaffOnlyMixin):
    # Sponsors reach /admin/ too (for their challenges); the portfolio is for the CivTech team.
    staff_only_reason = "Only the CivTech team sees the whole portfolio."


class PortfolioView(StaffOnlyMixin, SpreadsheetExportMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sprints/admin/portfolio.html"
    page_title = "Engagement portfolio"
    header_icon = "tasks"
    list_export = [
        "application.challenge.title", "application.challenge.round.name", "application.challenge.sponsor.name",
        "application.organisation.name", "get_stage_display", "starts_on", "ends_on", "contract_value",
        "current_sprint", "get_rag_display", "rag_note", "awaiting_feedback", "overdue_updates", "overdue_milestones",
    ]  # fmt: skip
    export_headings = {
        "application.challenge.title": "Challenge",
        "application.challenge.round.name": "Round",
        "application.challenge.sponsor.name": "Sponsor",
        "application.organisation.name": "Team",
        "get_stage_display": "Stage",
        "starts_on": "Starts",
        "ends_on": "Ends",
        "contract_value": "Contract value (£, ex VAT)",
        "current_sprint": "Current sprint",
        "get_rag_display": "RAG",
        "rag_note": "RAG note",
        "awaiting_feedback": "Deliverables awaiting feedback",
        "overdue_updates": "Overdue sprint updates",
        "overdue_milestones": "Overdue milestones",
    }
    export_filename = "engagement-portfolio"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Dashboard"}, {"url": "", "label": self.page_title}]

    def get_queryset(self):
        self.filter_form = PortfolioFilterForm(self.request.GET)
        return selectors.portfolio(self.filter_form.filter(Engagement.objects.all()))

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.as_spreadsheet(self.get_queryset(), request.GET["export"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["engagements"] = self.get_queryset()
        context["filter_form"] = self.filter_form
        context["filtered"] = any(self.request.GET.get(name) for name in self.filter_form.fields)
        return context


class ChallengeTimelineView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A challenge from publication to outcome: the round's dates and every recorded engagement event."""

    template_name = "sprints/admin/timeline.html"
    header_icon = "date"

    def get_page_title(self):
        return f"Timeline: {self.challenge.title}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Dashboard"},
            {"url": reverse("sprints_portfolio"), "label": "Engagement portfolio"},
            {"url": "", "label": self.get_page_title()},
        ]

    def dispatch(self, request, *args, **kwargs):
        self.challenge = get_object_or_404(ChallengePage.objects.select_related("round"), pk=kwargs["challenge_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagements = {
            str(e.pk): e
            for e in Engagement.objects.filter(application__challenge=self.challenge).select_related(
                "application__organisation"
            )
        }
        events = [
            {"when": self.challenge.first_published_at, "what": "Challenge published", "who": ""},
            *(
                {"when": starts, "what": label, "who": ""}
                for label, starts, _ends in self.challenge.round.timeline()
                if starts and starts <= timezone.now()
            ),
        ]
        entries = ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Engagement), object_id__in=list(engagements)
        ).select_related("user")
        for entry in entries:
            engagement = engagements[entry.object_id]
            events.append(
                {
                    "when": entry.timestamp,
                    "what": f"{entry.message} ({engagement.get_stage_display().lower()})",
                    "who": str(engagement.application.organisation),
                }
            )
        context["events"] = sorted((e for e in events if e["when"]), key=lambda e: e["when"])
        context["challenge"] = self.challenge
        return context
