from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from civtech.errors import DomainError, add_to_form
from civtech.permissions import has_permission

from . import selectors, services
from .forms import InvitationForm, OrganisationForm
from .models import Organisation


def _organisation_or_404(slug: str) -> Organisation:
    try:
        return selectors.organisation_with_team(slug)
    except Organisation.DoesNotExist:
        raise Http404("No such organisation") from None


@login_required
def organisation_list(request):
    memberships = selectors.memberships_for_user(request.user)
    return render(request, "organisations/organisation_list.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = services.organisation_create(
            by=request.user, name=data.pop("name"), kind=data.pop("kind"), **data
        )
        messages.success(request, f"{organisation} is registered. You are its administrator.")
        return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/organisation_form.html", {"form": form})


@login_required
def organisation_detail(request, slug: str):
    organisation = _organisation_or_404(slug)
    allowed, reason = has_permission("organisation.view_members", request.user, organisation)
    if not allowed:
        raise PermissionDenied(reason)
    return render(request, "organisations/organisation_detail.html", {"organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request, slug: str):
    organisation = _organisation_or_404(slug)
    allowed, reason = has_permission("organisation.invite", request.user, organisation)
    if not allowed:
        raise PermissionDenied(reason)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(organisation=organisation, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"We have emailed an invitation to {invitation.email}.")
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/invitation_form.html", {"form": form, "organisation": organisation})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    """The page an invitation email links to. Whoever holds the link sees which organisation it is for; only the
    person signed in with the invited address sees that address, who sent it and the button to accept. Anyone else
    is told to sign in as the invited address, without being shown it: the person the email reached knows it."""
    try:
        invitation = services.invitation_for_token(token)
    except DomainError as error:
        return render(request, "organisations/invitation_problem.html", {"problem": error.message}, status=404)
    if not request.user.is_authenticated and request.method == "POST":
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            membership = services.invitation_accept(token=token, user=request.user)
        except DomainError as error:
            return render(request, "organisations/invitation_problem.html", {"problem": error.message}, status=409)
        messages.success(request, f"You have joined {membership.organisation}.")
        return redirect("organisations:detail", slug=membership.organisation.slug)
    problem = services.invitation_problem(invitation)
    if problem:
        return render(request, "organisations/invitation_problem.html", {"problem": problem}, status=409)
    if not request.user.is_authenticated:
        audience, status = "anonymous", 200
    elif services.invitation_is_for(invitation, request.user):
        audience, status = "invitee", 200
    else:
        audience, status = "someone_else", 403
    context = {"organisation": invitation.organisation, "audience": audience}
    if audience == "invitee":
        context["invitation"] = invitation  # the address and the inviter reach the template only for the invitee
    return render(request, "organisations/invitation_accept.html", context, status=status)
