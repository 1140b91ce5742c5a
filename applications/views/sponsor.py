"""The sponsor's view of applications to its own challenges: visible once the call closes, never drafts."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from civtech.formats import uk_datetime

from .. import selectors
from .applicant import STATUS_COLOURS, _application


@login_required
def sponsor_dashboard(request):
    challenges = selectors.sponsor_challenges(request.user)
    now = timezone.now()
    for challenge in challenges:
        challenge.call_closed = challenge.round.call_closes <= now
        challenge.closes_text = uk_datetime(challenge.round.call_closes)
        for application in challenge.visible_applications:
            application.status_colour = STATUS_COLOURS.get(application.status, "grey")
    return render(request, "applications/sponsor/dashboard.html", {"challenges": challenges})


@login_required
def sponsor_application(request, pk: int):
    """A submitted application as assessors read it: the last version submitted, and its files."""
    application = _application(request, pk)
    return render(
        request,
        "applications/sponsor/application.html",
        {
            "application": application,
            "shown": selectors.version_shown(application, application.latest_version()),
            "status_colour": STATUS_COLOURS.get(application.status, "grey"),
        },
    )
