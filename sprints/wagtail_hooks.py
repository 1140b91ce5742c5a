from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_programme_staff

from .admin_views import ChallengeTimelineView, PortfolioView


@hooks.register("register_admin_urls")
def register_portfolio_urls():
    return [
        path("portfolio/", PortfolioView.as_view(), name="sprints_portfolio"),
        path(
            "portfolio/challenges/<int:challenge_id>/",
            ChallengeTimelineView.as_view(),
            name="sprints_challenge_timeline",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_programme_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_portfolio_menu_item():
    return StaffMenuItem("Portfolio", reverse("sprints_portfolio"), icon_name="tasks", order=220)
