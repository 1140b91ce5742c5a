"""The applicant's pages: start, answer section by section, attach files, check, submit, withdraw.

Every write goes through applications.services. A refused rule is shown where the person is: a page they
may not see at all is the 403 page with its reason; on their own application's pages (the deadline has
passed, it was withdrawn) the page comes back with the reason and its form disabled (403), and a refused
business rule (a DomainError) is put on the form. Everyone but the applicant's team reads the version
submitted last, never the working copy.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Textarea, TextInput
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from challenges.models import ChallengePage
from civtech.errors import DomainError, add_to_form, require
from civtech.formats import uk_datetime
from civtech.permissions import has_permission
from organisations.models import Organisation, OrganisationKind

from .. import selectors, services
from ..forms.applicant import AttachmentForm, DeclarationsForm, SectionForm, StartForm
from ..models import Application
from ..permissions import call_closed, is_applicant_member
from ..uploads import MAX_BYTES

CHANGED = "Changed since you submitted — not yet sent"
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


def _progress(application: Application) -> dict:
    """The status and next step the applicant sees. A working copy changed since the last submission says so,
    and that resubmitting is what to do next (or, after the deadline, which version is assessed)."""
    status = application.status
    progress = {
        "status_text": application.get_status_display(),
        "status_colour": STATUS_COLOURS.get(status, "grey"),
        "next_step": NEXT_STEPS.get(status, ""),
        "next_url": "",
        "note": "",
    }
    deadline_passed = call_closed(application.challenge)
    if application.changed_since_submission:
        latest = application.latest_version()
        if deadline_passed:
            progress["next_step"] = (
                f"None: your changes were not sent before the deadline, so we assess version {latest.number}, "
                "as you submitted it."
            )
        else:
            progress.update(status_text=CHANGED, status_colour="orange", next_step="Resubmit")
            progress["next_url"] = reverse("applications:check", args=[application.pk])
            progress["note"] = (
                f"Your answers or files have changed since you submitted version {latest.number} at "
                f"{uk_datetime(latest.submitted_at)}. Assessors will read that version unless you resubmit before "
                f"the deadline, {uk_datetime(application.challenge.round.call_closes)} (UK time)."
            )
    elif deadline_passed and status == Application.Status.SUBMITTED:
        progress["next_step"] = "Wait for the panel's decision: we will email you."
    elif deadline_passed and status == Application.Status.DRAFT:
        progress["next_step"] = "None: the deadline passed before this application was submitted."
    return progress


def _reader_redirect(request, application: Application):
    """Everyone but the applicant's team (staff, the sponsor, assessors) reads the version submitted last, never
    the working copy: it may hold changes that were never sent."""
    if is_applicant_member(request.user, application):
        return None
    latest = application.latest_version()
    if latest is None:
        return None  # a draft, seen only by staff
    return redirect("applications:version", pk=application.pk, number=latest.number)


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


# Problems of these types are lengths: the answer is kept and the applicant may go on, shortening it before submitting.
# Any other problem (a number that is not one, an email address that is not one) is shown before they go on.
LENGTH_TYPES = ("long_text", "short_text")


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
        application.progress = _progress(application)
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


def _form_changed(application: Application) -> str:
    """What a draft's team is told when staff moved it onto a newer version of its form (services.forms): a form
    version newer than the application itself."""
    version = application.form_version
    if application.status != Application.Status.DRAFT or version.created_at <= application.created_at:
        return ""
    return (
        f"The programme team updated the questions on {uk_datetime(version.created_at)}. We kept every answer you "
        "had written; a section with a new question shows it as not finished."
    )


@login_required
def application_overview(request, pk: int):
    """The task list: each section's status, the files, the versions submitted, and what to do next."""
    application = _application(request, pk)
    if reader := _reader_redirect(request, application):
        return reader
    can_edit, edit_reason = has_permission("application.edit", request.user, application)
    sections = selectors.section_rows(application)
    return render(
        request,
        "applications/overview.html",
        _context(
            application,
            sections=sections,
            completed=sum(1 for section in sections if section["complete"]),
            can_edit=can_edit,
            edit_reason=edit_reason,
            progress=_progress(application),
            versions=list(reversed(application.versions.all())),
            decisions=application.decisions.all(),
            form_changed=_form_changed(application),
        ),
    )


@login_required
def application_version(request, pk: int, number: int):
    """One submitted version, exactly as assessors and the sponsor read it, with its time and reference."""
    application = _application(request, pk)
    version = next((v for v in application.versions.all() if v.number == number), None)
    if version is None:
        raise Http404("No such version")
    shown = selectors.version_shown(application, version)
    member = is_applicant_member(request.user, application)
    return render(
        request,
        "applications/version.html",
        _context(
            application,
            shown=shown,
            member=member,
            progress=_progress(application) if member else None,
            versions=list(application.versions.all()),
        ),
    )


def _autosave_attrs(application: Application, question) -> dict:
    attrs = {
        "data-autosave-url": reverse("applications:autosave", args=[application.pk, question.key]),
        "data-storage-key": f"civtech-application-{application.pk}-{question.key}",
        "data-saved-at": str(int(application.updated_at.timestamp() * 1000)),
    }
    if question.word_limit:
        attrs.update({"data-word-limit": str(question.word_limit), "data-counter": f"{question.key}-counter"})
    return attrs


@login_required
@require_http_methods(["GET", "POST"])
def section_edit(request, pk: int, key: str):
    """One section's page of questions. Saving keeps everything typed; going on is stopped only by an answer that
    is not of its kind (a number, a date, an email address), shown on the page with what to change."""
    application = _application(request, pk)
    spec = application.spec
    section = spec.section(key)
    if section is None:
        raise Http404("No such section")
    can_edit, refusal = has_permission("application.edit", request.user, application)
    if not can_edit and not is_applicant_member(request.user, application):
        raise PermissionDenied(refusal)
    attrs = {q.key: _autosave_attrs(application, q) for q in section.questions if q.type == "long_text"}
    initial = {
        q.key: application.answers.get(q.key, [] if q.type == "choices" else "")
        for q in section.questions
        if q.type != "file"
    }
    files = request.FILES if request.method == "POST" else None
    form = SectionForm(_posted(request), files, initial=initial, spec=spec, section=section, attrs=attrs)
    if can_edit and request.method == "POST" and form.is_valid():
        try:
            services.application_save(application=application, by=request.user, answers=form.answers())
            for question_key, upload in form.uploads().items():
                try:
                    services.answer_file_attach(
                        application=application, by=request.user, question_key=question_key, upload=upload
                    )
                except DomainError as error:  # this file is refused; the other answers are saved
                    add_to_form(form, error)
        except PermissionDenied as denied:  # e.g. the deadline passed between our check and the save
            can_edit, refusal = False, str(denied)
        except DomainError as error:
            add_to_form(form, error)
        if can_edit and not form.errors:  # otherwise shown again: what was refused and why, the rest saved
            wrong = {
                q.key: problem
                for q in section.questions
                if q.type not in LENGTH_TYPES
                and spec.applies(q, application.answers)
                and (problem := q.format_problem(application.answers.get(q.key)))
            }
            for question_key, problem in wrong.items():  # saved, and shown again with what to change
                form.add_error(question_key, problem)
            if not wrong and request.POST.get("action") == "draft":
                messages.success(request, "Your answers are saved as a draft.")
                return redirect("applications:section", pk=pk, key=key)
            if not wrong:
                return redirect(_next_section_url(application, key))
    if not can_edit:
        # Their own answers (what they typed, if they were saving) with why they cannot change: read-only, so they
        # can still be copied, and without the autosave script's hooks.
        for field in form.fields.values():
            typed = isinstance(field.widget, Textarea | TextInput)
            field.widget.attrs = {
                **({"rows": 12} if isinstance(field.widget, Textarea) else {}),
                ("readonly" if typed else "disabled"): True,
            }
    sections = [row["key"] for row in selectors.section_rows(application)]
    counters = {
        q.key: _words_left(q.word_limit, services.word_count(form[q.key].value() or ""))
        for q in section.questions
        if q.word_limit
    }
    return render(
        request,
        "applications/section.html",
        _context(
            application,
            form=form,
            section=section,
            guidance=section.guidance,
            condition=spec.condition_text(section),
            fields=[
                (form[q.key], counters.get(q.key), q, application.answer_file(q.key) if q.type == "file" else None)
                for q in section.questions
            ],
            multipart=any(q.type == "file" for q in section.questions),
            number=(sections.index(key) + 1) if key in sections else None,
            total=len(sections),
            over=any(c["too_many"] > 0 for c in counters.values()),
            can_edit=can_edit,
            refusal=refusal,
        ),
        status=200 if can_edit else 403,
    )


def _words_left(limit: int, words: int) -> dict:
    return {"words": words, "remaining": limit - words, "too_many": words - limit}


def _next_section_url(application: Application, key: str) -> str:
    """The next section that applies given the answers now (a condition may have just changed which do), or the
    task list after the last."""
    keys = [row["key"] for row in selectors.section_rows(application)]
    later = keys[keys.index(key) + 1 :] if key in keys else []
    if later:
        return reverse("applications:section", args=[application.pk, later[0]])
    return reverse("applications:overview", args=[application.pk])


@require_POST
def answer_autosave(request, pk: int, key: str):
    """The script's periodic save of one answer. 204 when saved; 403 (may not) or 400 (cannot be stored) with the
    reason as text."""
    if not request.user.is_authenticated:
        return HttpResponse(
            "Your session has ended. Sign in again to keep saving.", status=403, content_type="text/plain"
        )
    try:
        application = selectors.application_detail(pk)
    except Application.DoesNotExist:
        raise Http404("No such application") from None
    allowed, refusal = has_permission("application.edit", request.user, application)
    if not allowed:  # asked first, so nobody else learns which questions an application has
        return HttpResponse(refusal, status=403, content_type="text/plain")
    question = application.spec.question(key)
    if question is None or question.type not in LENGTH_TYPES:
        raise Http404("No such question")
    try:
        services.application_save(application=application, by=request.user, answers={key: request.POST.get("text", "")})
    except PermissionDenied as denied:
        return HttpResponse(str(denied), status=403, content_type="text/plain")
    except DomainError as error:
        return HttpResponse(error.message, status=400, content_type="text/plain")
    return HttpResponse(status=204)


def _attachments_page(request, application: Application, form, *, can_edit: bool, refusal: str):
    return render(
        request,
        "applications/attachments.html",
        _context(
            application,
            form=form,
            can_edit=can_edit,
            refusal=refusal,
            refusal_type="info" if request.method == "GET" else "error",
            max_mb=MAX_BYTES // (1024 * 1024),
        ),
        status=200 if can_edit or request.method == "GET" else 403,
    )


def _refused_member(request, application: Application, reason: str) -> None:
    """Only the applicant's own team gets its page back with the reason; anyone else gets the 403 page."""
    if not is_applicant_member(request.user, application):
        raise PermissionDenied(reason)


@login_required
@require_http_methods(["GET", "POST"])
def attachment_list(request, pk: int):
    application = _application(request, pk)
    if request.method == "GET" and (reader := _reader_redirect(request, application)):
        return reader
    can_edit, refusal = has_permission("application.edit", request.user, application)
    form = AttachmentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        if not can_edit:
            _refused_member(request, application, refusal)
        elif form.is_valid():
            try:
                attachment = services.attachment_add(
                    application=application, by=request.user, upload=form.cleaned_data["file"]
                )
            except PermissionDenied as denied:  # e.g. the deadline passed while the file uploaded
                can_edit, refusal = False, str(denied)
            except DomainError as error:
                form.add_error("file", error.message)
            else:
                messages.success(request, f"{attachment.name} is attached.")
                return redirect("applications:attachments", pk=pk)
    return _attachments_page(request, application, form, can_edit=can_edit, refusal=refusal)


@login_required
@require_POST
def attachment_delete(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    name = attachment.name
    try:
        services.attachment_remove(attachment=attachment, by=request.user)
    except PermissionDenied as denied:
        _refused_member(request, application, str(denied))
        return _attachments_page(request, application, AttachmentForm(), can_edit=False, refusal=str(denied))
    messages.success(request, f"{name} is removed.")
    return redirect("applications:attachments", pk=pk)


@login_required
def attachment_download(request, pk: int, attachment_id: int):
    application = _application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    if not is_applicant_member(request.user, application):
        # Everyone else reads what was submitted: a file added after the last submission was never sent.
        submitted = {(f.get("id"), f.get("sha256")) for v in application.versions.all() for f in v.attachments}
        if (attachment.pk, attachment.sha256) not in submitted:
            raise Http404("No such file in a submitted version")
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
    if request.method == "GET" and (reader := _reader_redirect(request, application)):
        return reader
    can_edit, edit_reason = has_permission("application.edit", request.user, application)
    form = DeclarationsForm(_posted(request), spec=application.spec)
    if request.method == "POST":
        if not can_edit:
            _refused_member(request, application, edit_reason)
        elif form.is_valid():
            try:
                services.application_submit(
                    application_id=application.pk, by=request.user, declarations=form.cleaned_data
                )
            except PermissionDenied as denied:  # e.g. the deadline passed between our check and the submission
                can_edit, edit_reason = False, str(denied)
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
            problems=[
                (application.spec.section_of(question_key).key, problem)
                for question_key, problem in services.submission_problems(application).items()
            ],
            can_edit=can_edit,
            edit_reason=edit_reason,
            refused=request.method == "POST" and not can_edit,
            resubmitting=application.latest_version() is not None,
        ),
        status=403 if request.method == "POST" and not can_edit else 200,
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
    application = _application(request, pk)
    can_edit, refusal = has_permission("application.edit", request.user, application)
    if not can_edit:
        _refused_member(request, application, refusal)
    elif request.method == "POST":
        try:
            services.application_withdraw(application_id=application.pk, by=request.user)
        except PermissionDenied as denied:
            can_edit, refusal = False, str(denied)
        else:
            messages.success(request, f"Your application to {application.challenge.title} is withdrawn.")
            return redirect("applications:list")
    return render(
        request,
        "applications/withdraw.html",
        _context(application, can_edit=can_edit, refusal=refusal),
        status=200 if can_edit else 403,
    )
