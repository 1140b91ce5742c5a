"""Programme staff's portfolio in the Wagtail admin: every live engagement, and a timeline per challenge."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry

from accounts.roles import is_programme_staff
from challenges.models import ChallengePage

from . import selectors
from .models import Engagement


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        # Sponsors reach /admin/ too (for their challenges); the portfolio is for the CivTech team.
        if not is_programme_staff(request.user):
            raise PermissionDenied("Only the CivTech team sees the whole portfolio.")
        return super().dispatch(request, *args, **kwargs)


class PortfolioView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "sprints/admin/portfolio.html"
    page_title = "Engagement portfolio"
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [{"url": reverse("wagtailadmin_home"), "label": "Dashboard"}, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["engagements"] = selectors.portfolio()
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
