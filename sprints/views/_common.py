from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.roles import is_programme_staff
from civtech.errors import require
from civtech.permissions import has_permission

from .. import selectors
from ..models import Engagement
from ..permissions import is_sponsor_member, is_team_member

SECTIONS = [
    ("overview", "Overview"),
    ("plan", "Sprint plan"),
    ("deliverables", "Deliverables"),
    ("messages", "Messages"),
    ("meetings", "Meetings"),
    ("documents", "Documents"),
    ("pitch", "Pitch"),
    ("accelerator", "Milestones and risks"),
    ("lessons", "Lessons learned"),
]


def posted(request):
    """The submitted data, even when empty (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def engagement_for(request, pk: int, action: str = "engagement.view") -> Engagement:
    """The engagement if the person may do `action` on it: 404 when it does not exist, 403 with the reason."""
    try:
        engagement = selectors.engagement_detail(pk)
    except Engagement.DoesNotExist:
        raise Http404("No such workspace") from None
    require(has_permission(action, request.user, engagement))
    return engagement


def child_of(engagement: Engagement, queryset, pk: int):
    """An object of *this* engagement: another engagement's id in the URL is a 404."""
    return get_object_or_404(queryset.filter(engagement=engagement), pk=pk)


def context(request, engagement: Engagement, current: str, **extra) -> dict:
    user = request.user
    sections = [
        (key, label)
        for key, label in SECTIONS
        if not (key == "pitch" and engagement.stage != Engagement.Stage.EXPLORATION)
        and not (key == "accelerator" and engagement.stage != Engagement.Stage.ACCELERATOR)
    ]
    return {
        "engagement": engagement,
        "challenge": engagement.application.challenge,
        "sections": sections,
        "current": current,
        "breadcrumbs": [
            ("Home", "/"),
            ("Your account", reverse("accounts:dashboard")),
            ("Your workspaces", reverse("sprints:list")),
        ],
        "is_team": is_team_member(user, engagement),
        "is_sponsor": is_sponsor_member(user, engagement),
        "is_staff": is_programme_staff(user),
        "can_report": has_permission("engagement.report", user, engagement)[0],
        "can_review": has_permission("engagement.review", user, engagement)[0],
        "can_plan": has_permission("engagement.plan", user, engagement)[0],
        "can_collaborate": has_permission("engagement.collaborate", user, engagement)[0],
        **extra,
    }
