"""Messages, meetings, private documents, and the risk and milestone log."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from applications.uploads import MAX_BYTES
from civtech.errors import DomainError, add_to_form, require
from civtech.permissions import has_permission

from .. import services
from ..forms import DocumentForm, MeetingForm, MeetingNotesForm, MessageForm, MilestoneForm, PreferenceForm, RiskForm
from ..models import Document, Meeting, Risk
from ..services.collaboration import frequency_for
from ._common import child_of, context, engagement_for, posted


@login_required
@require_http_methods(["GET", "POST"])
def messages(request, pk: int):
    engagement = engagement_for(request, pk)
    form = MessageForm(posted(request))
    if request.method == "POST":
        require(has_permission("engagement.collaborate", request.user, engagement))
        if form.is_valid():
            try:
                services.message_post(engagement=engagement, by=request.user, body=form.cleaned_data["body"])
            except DomainError as error:
                add_to_form(form, error)
            else:
                flash.success(request, "Your message is posted.")
                return redirect("sprints:messages", pk=pk)
    thread = engagement.messages.select_related("author").order_by("posted_at")
    preference = PreferenceForm(initial={"frequency": frequency_for(request.user)}, auto_id="pref_%s")
    return render(
        request,
        "sprints/messages.html",
        context(request, engagement, "messages", form=form, thread=thread, preference=preference),
    )


@login_required
@require_POST
def message_preference(request, pk: int):
    engagement = engagement_for(request, pk)
    form = PreferenceForm(request.POST, auto_id="pref_%s")
    if form.is_valid():
        services.message_preference_set(user=request.user, frequency=form.cleaned_data["frequency"])
        flash.success(request, "Your email preference is saved.")
    else:
        flash.error(request, "Choose how you want to hear about new messages.")
    return redirect("sprints:messages", pk=engagement.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request, pk: int):
    engagement = engagement_for(request, pk)
    form = MeetingForm(posted(request))
    if request.method == "POST":
        require(has_permission("engagement.collaborate", request.user, engagement))
        if form.is_valid():
            try:
                services.meeting_record(engagement=engagement, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                flash.success(request, "The meeting is recorded.")
                return redirect("sprints:meetings", pk=pk)
    listing = Meeting.objects.filter(engagement=engagement).select_related("created_by")
    return render(
        request, "sprints/meetings.html", context(request, engagement, "meetings", form=form, meetings=listing)
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_notes(request, pk: int, meeting_id: int):
    """Anyone in a live workspace may write up a meeting's notes (each change is audited)."""
    engagement = engagement_for(request, pk, "engagement.collaborate")
    meeting = child_of(engagement, Meeting.objects.all(), meeting_id)
    form = MeetingNotesForm(posted(request), initial={"notes": meeting.notes})
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_notes_save(meeting=meeting, by=request.user, notes=form.cleaned_data["notes"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            flash.success(request, f"The notes of “{meeting.title}” are saved.")
            return redirect("sprints:meetings", pk=pk)
    return render(
        request, "sprints/meeting_notes.html", context(request, engagement, "meetings", form=form, meeting=meeting)
    )


@login_required
@require_http_methods(["GET", "POST"])
def documents(request, pk: int):
    engagement = engagement_for(request, pk)
    form = DocumentForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        require(has_permission("engagement.collaborate", request.user, engagement))
        if form.is_valid():
            try:
                document = services.document_upload(
                    engagement=engagement, by=request.user, upload=form.cleaned_data["file"]
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                flash.success(request, f"{document.name} is shared with the workspace.")
                return redirect("sprints:documents", pk=pk)
    listing = Document.objects.filter(engagement=engagement).select_related("uploaded_by", "version__deliverable")
    return render(
        request,
        "sprints/documents.html",
        context(request, engagement, "documents", form=form, documents=listing, max_mb=MAX_BYTES // (1024 * 1024)),
    )


@login_required
def document_download(request, pk: int, document_id: int):
    """The only way to a private file: the person must be allowed to see this engagement's workspace now."""
    engagement = engagement_for(request, pk)
    document = child_of(engagement, Document.objects.all(), document_id)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.name, content_type=document.content_type
    )


@login_required
@require_http_methods(["GET", "POST"])
def accelerator(request, pk: int):
    engagement = engagement_for(request, pk)
    milestone_form = MilestoneForm(posted(request) if request.POST.get("form") == "milestone" else None)
    risk_form = RiskForm(posted(request) if request.POST.get("form") == "risk" else None, initial={"kind": "risk"})
    if request.method == "POST" and request.POST.get("form") == "milestone":
        require(has_permission("engagement.plan", request.user, engagement))
        if milestone_form.is_valid():
            try:
                services.milestone_plan(engagement=engagement, by=request.user, **milestone_form.cleaned_data)
            except DomainError as error:
                add_to_form(milestone_form, error)
            else:
                flash.success(request, "The milestone is added.")
                return redirect("sprints:accelerator", pk=pk)
    elif request.method == "POST":
        require(has_permission("engagement.collaborate", request.user, engagement))
        if risk_form.is_valid():
            try:
                services.risk_log(engagement=engagement, by=request.user, **risk_form.cleaned_data)
            except DomainError as error:
                add_to_form(risk_form, error)
            else:
                flash.success(request, "The risk or issue is logged.")
                return redirect("sprints:accelerator", pk=pk)
    return render(
        request,
        "sprints/accelerator.html",
        context(
            request,
            engagement,
            "accelerator",
            milestones=engagement.milestones.prefetch_related("deliverables").order_by("number"),
            risks=engagement.risks.select_related("raised_by"),
            milestone_form=milestone_form,
            risk_form=risk_form,
        ),
    )


@login_required
@require_POST
def risk_close(request, pk: int, risk_id: int):
    engagement = engagement_for(request, pk, "engagement.collaborate")
    risk = child_of(engagement, Risk.objects.all(), risk_id)
    try:
        services.risk_close(risk=risk, by=request.user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, f"“{risk.title}” is closed.")
    return redirect("sprints:accelerator", pk=pk)
