from django.urls import path, reverse
from wagtail import hooks

from accounts.admin_access import StaffMenuItem

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


@hooks.register("register_admin_menu_item")
def register_portfolio_menu_item():
    return StaffMenuItem("Portfolio", reverse("sprints_portfolio"), icon_name="tasks", order=220)
