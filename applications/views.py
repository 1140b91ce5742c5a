"""The applicant's pages: start, answer section by section, attach files, check, submit, withdraw.

Every write goes through applications.services; a refused permission surfaces as PermissionDenied
(the 403 page shows its reason) and a refused business rule as a DomainError put on the form.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from challenges.models import ChallengePage
from challenges.views.public import uk_datetime
from civtech.errors import DomainError, add_to_form, require
from civtech.permissions import has_permission
from organisations.models import Organisation, OrganisationKind

from . import selectors, services
from .forms import AttachmentForm, DeclarationsForm, SectionForm, StartForm
from .models import SECTION_KEYS, Application
from .uploads import MAX_BYTES

NEXT_STEPS = {
    Application.Status.DRAFT: "Answer every section and submit before the deadline.",
    Application.Status.SUBMITTED: "Nothing: you can still change and resubmit until the deadline.",
    Application.Status.WITHDRAWN: "None: you withdrew this application.",
    Application.Status.SHORTLISTED: "Wait to hear from us about an interview time.",
    Application.Status.INTERVIEW: "Come to your interview: the time and place are below and in your email.",
    Application.Status.SELECTED: "Work with the sponsor in your team's workspace.",
    Application.Status.UNSUCCESSFUL: "None: read the panel's feedback below. Thank you for applying.",
}
STATUS_COLOURS = {
    Application.Status.DRAFT: "grey",
    Application.Status.SUBMITTED: "green",
    Application.Status.WITHDRAWN: "red",
    Application.Status.SHORTLISTED: "teal",
    Application.Status.INTERVIEW: "purple",
    Application.Status.SELECTED: "green",
    Application.Status.UNSUCCESSFUL: "orange",
}


def _posted(request):
    """The submitted data, even when empty (an empty POST must still be validated)."""
    return request.POST if request.method == "POST" else None


def _application(request, pk: int, action: str = "application.view") -> Application:
    try:
        application = selectors.application_detail(pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None
    require(has_permission(action, request.user, application))
    return application


def _section(key: str, application: Application) -> dict:
    for row in selectors.section_rows(application):
        if row["key"] == key:
            return row
    raise Http404("No such section")


def _context(application: Application, **extra) -> dict:
    return {
        "application": application,
        "deadline": uk_datetime(application.challenge.round.call_closes),
        "status_colour": STATUS_COLOURS.get(application.status, "grey"),
        **extra,
    }


@login_required
def application_list(request):
    applications = list(selectors.applications_for_user(request.user))
    for application in applications:
        application.deadline_text = uk_datetime(application.challenge.round.call_closes)
        application.next_step = NEXT_STEPS.get(application.status, "")
        application.status_colour = STATUS_COLOURS.get(application.status, "grey")
    return render(request, "applications/application_list.html", {"applications": applications})


@login_required
@require_http_methods(["GET", "POST"])
def application_start(request, challenge_page_id: int):
    challenge = get_object_or_404(ChallengePage.objects.live().select_related("round"), pk=challenge_page_id)
    # A view restriction (a password, groups) on the challenge or its sponsor space applies here as on the page.
    if not all(restriction.accept_request(request) for restriction in challenge.get_view_restrictions()):
        raise Http404("No challenge found.")
    organisations = Organisation.objects.filter(memberships__user=request.user).exclude(
        kind=OrganisationKind.PUBLIC_BODY
    )
    if not organisations.exists():
        return render(request, "applications/start_no_organisation.html", {"challenge": challenge})
    require(has_permission("application.start", request.user, challenge))
    existing = Application.objects.filter(challenge=challenge, organisation__in=organisations)
    if len(organisations) == 1 and existing.exists():
        return redirect("applications:overview", pk=existing.get().pk)
    form = StartForm(_posted(request), organisations=organisations)
    if len(organisations) == 1:
        form.fields["organisation"].initial = organisations[0]
    if request.method == "POST":
        if len(organisations) == 1 and "organisation" not in request.POST:
            form = StartForm({"organisation": organisations[0].pk}, organisations=organisations)
        if form.is_valid():
            try:
                application = services.application_start(
                    challenge=challenge, organisation=form.cleaned_data["organisation"], by=request.user
                )
            except DomainError as error:
                form.add_error("organisation", error.message)
            else:
                return redirect("applications:overview", pk=application.pk)
    return render(
        request,
        "applications/start.html",
        {
            "challenge": challenge,
            "form": form,
            "organisation": organisations[0] if len(organisations) == 1 else None,
            "deadline": uk_datetime(challenge.round.call_closes),
        },
    )


@login_required
def application_overview(request, pk: int):
    application = _application(request, pk)
    can_edit, edit_reason = has_permission("application.edit", request.user, application)
    return render(
        request,
        "applications/overview.html",
        _context(
            application,
            sections=selectors.section_rows(application),
            can_edit=can_edit,
            edit_reason=edit_reason,
            next_step=NEXT_STEPS.get(application.status, ""),
            decisions=application.decisions.all(),
        ),
    )


def _autosave_attrs(application: Application, section: dict) -> dict:
    return {
        "data-autosave-url": reverse("applications:autosave", args=[application.pk, section["key"]]),
        "data-storage-key": f"civtech-application-{application.pk}-{section['key']}",
        "data-saved-at": str(int(application.updated_at.timestamp() * 1000)),
        "data-word-limit": str(section["limit"]),
        "data-counter": f"{section['key']}-counter",
    }


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, key: str):
    application = _application(request, pk)
    if key not in SECTION_KEYS:
        raise Http404("No such section")
    require(has_permission("application.edit", request.user, application))
    section = _section(key, application)
    form = SectionForm(
        _posted(request), initial={key: section["text"]}, section=section, attrs=_autosave_attrs(application, section)
    )
    if request.method == "POST" and form.is_valid():
        services.application_save(application=application, by=request.user, answers={key: form.cleaned_data[key]})
        if request.POST.get("action") == "draft":
            messages.success(request, "Your answer is saved as a draft.")
            return redirect("applications:section", pk=pk, key=key)
        index = SECTION_KEYS.index(key)
        if index + 1 < len(SECTION_KEYS):
            return redirect("applications:section", pk=pk, key=SECTION_KEYS[index + 1])
        return redirect("applications:overview", pk=pk)
    words = services.word_count(form[key].value() or "")
    number = SECTION_KEYS.index(key) + 1
    return render(
        request,
        "applications/section.html",
        _context(
            application,
            form=form,
            section=section,
            number=number,
            total=len(SECTION_KEYS),
            words=words,
            remaining=section["limit"] - words,
            too_many=words - section["limit"],
        ),
    )


@require_POST
def section_autosave(request, pk: int, key: str):
    """The script's periodic save. 204 when saved; 403 (may not) or 400 (cannot be stored) with the reason as text."""
    if not request.user.is_authenticated:
        return HttpResponse(
            "Your session has ended. Sign in again to keep saving.", status=403, content_type="text/plain"
        )
    try:
        application = selectors.application_detail(pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None
    if key not in SECTION_KEYS:
        raise Http404("No such section")
    try:
        services.application_save(application=application, by=request.user, answers={key: request.POST.get("text", "")})
    except PermissionDenied as denied:
        return HttpResponse(str(denied), status=403, content_type="text/plain")
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain")
    return HttpResponse(status=204)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_list(request, pk: int):
    application = _application(request, pk)
    can_edit, edit_reason = has_permission("application.edit", request.user, application)
    form = AttachmentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        require((can_edit, edit_reason))
        if form.is_valid():
            try:
                attachment = services.attachment_add(
                    application=application, by=request.user, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"{attachment.name} is attached.")
                return redirect("applications:attachments", pk=pk)
    return render(
        request,
        "applications/attachments.html",
        _context(application, form=form, can_edit=can_edit, max_mb=MAX_BYTES // (1024 * 1024)),
    )


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    name = attachment.name
    services.attachment_remove(attachment=attachment, by=request.user)
    messages.success(request, f"{name} is removed.")
    return redirect("applications:attachments", pk=pk)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_check(request, pk: int):
    application = _application(request, pk)
    can_edit, edit_reason = has_permission("application.edit", request.user, application)
    form = DeclarationsForm(_posted(request))
    if request.method == "POST":
        require((can_edit, edit_reason))
        if form.is_valid():
            try:
                services.application_submit(
                    application_id=application.pk, by=request.user, declarations=form.cleaned_data
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                return redirect("applications:submitted", pk=pk)
    return render(
        request,
        "applications/check.html",
        _context(
            application,
            form=form,
            sections=selectors.section_rows(application),
            problems=services.submission_problems(application),
            can_edit=can_edit,
            edit_reason=edit_reason,
        ),
    )


@login_required
def application_submitted(request, pk: int):
    application = _application(request, pk)
    if application.status != Application.Status.SUBMITTED or not application.reference:
        return redirect("applications:overview", pk=pk)
    return render(request, "applications/submitted.html", _context(application))


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw(request, pk: int):
    application = _application(request, pk, "application.edit")
    if request.method == "POST":
        services.application_withdraw(application_id=application.pk, by=request.user)
        messages.success(request, f"Your application to {application.challenge.title} is withdrawn.")
        return redirect("applications:list")
    return render(request, "applications/withdraw.html", _context(application))
