"""Alerts about new challenges: subscribe, confirm (double opt-in) and unsubscribe.

The confirm and unsubscribe links carry signed tokens and need no sign-in. Opening either link only
shows a page with one button: mail scanners follow links in emails, and must not switch alerts on or
off on their own.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from civtech.errors import DomainError, add_to_form
from civtech.ratelimit import MESSAGE as RATE_MESSAGE
from civtech.ratelimit import over_limit

from .. import services
from ..forms import AlertForm


@require_http_methods(["GET", "POST"])
def alert_subscribe(request):
    form = AlertForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and over_limit(request, "alerts"):
        form.is_valid()
        form.add_error(None, RATE_MESSAGE)
        return render(request, "challenges/alerts/subscribe.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            subscription = services.alert_subscribe(
                email=data["email"],
                sectors=list(data.get("sectors") or []),
                keywords=data.get("keywords", ""),
                user=form.user,
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            if subscription.is_active:
                messages.success(
                    request, f"Your alerts are on. We will email {subscription.email} about new challenges."
                )
            else:
                messages.success(
                    request,
                    f"Check your email. We have sent a link to {subscription.email}: open it within 7 days "
                    "to start your alerts. Until then we will not send any.",
                )
            return redirect("challenges:alert_subscribe")
    return render(request, "challenges/alerts/subscribe.html", {"form": form})


def _link_problem(request, problem: str):
    return render(request, "challenges/alerts/link_problem.html", {"problem": problem}, status=404)


@require_http_methods(["GET", "POST"])
def alert_confirm(request, token: str):
    try:
        subscription = services.alert_from_token(token, "confirm", max_age=services.CONFIRM_MAX_AGE)
    except DomainError as error:
        return _link_problem(request, error.message)
    if request.method == "POST" and subscription.unsubscribed_at is None:
        services.alert_confirm(token=token)
        messages.success(request, f"Your alerts are on. We will email {subscription.email} about new challenges.")
        return redirect(request.path)
    return render(request, "challenges/alerts/confirm.html", {"subscription": subscription})


@require_http_methods(["GET", "POST"])
def alert_unsubscribe(request, token: str):
    try:
        subscription = services.alert_from_token(token, "unsubscribe")
    except DomainError as error:
        return _link_problem(request, error.message)
    if request.method == "POST":
        services.alert_unsubscribe(token=token)  # idempotent: a second press changes nothing
        messages.success(request, f"You have unsubscribed. We will not send any more alerts to {subscription.email}.")
        return redirect(request.path)
    return render(request, "challenges/alerts/unsubscribe.html", {"subscription": subscription})
