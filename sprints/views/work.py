"""Overview, sprint plan and updates, deliverables with their versions and the sponsor's feedback."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from civtech.errors import DomainError, add_to_form, require
from civtech.permissions import has_permission

from .. import selectors, services
from ..forms import DeliverableForm, FeedbackForm, RagForm, SprintForm, UpdateForm
from ..models import Deliverable, Sprint
from ._common import child_of, context, engagement_for, posted


@login_required
def workspace_list(request):
    """Everyone's own live engagements; for a sponsor this is their portfolio."""
    engagements = selectors.portfolio(selectors.engagements_for_user(request.user))
    return render(request, "sprints/workspace_list.html", {"engagements": engagements})


@login_required
@require_http_methods(["GET", "POST"])
def overview(request, pk: int):
    engagement = engagement_for(request, pk)
    form = None
    if has_permission("engagement.plan", request.user, engagement)[0]:
        form = RagForm(posted(request), initial={"rag": engagement.rag, "note": engagement.rag_note})
        if request.method == "POST" and form.is_valid():
            try:
                services.engagement_set_rag(
                    engagement=engagement, rag=form.cleaned_data["rag"], note=form.cleaned_data["note"], by=request.user
                )
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "The RAG status is updated.")
                return redirect("sprints:overview", pk=pk)
    elif request.method == "POST":
        require(has_permission("engagement.plan", request.user, engagement))
    row = selectors.portfolio(type(engagement).objects.filter(pk=pk)).first()
    sprints = list(engagement.sprints.order_by("number"))
    return render(
        request, "sprints/overview.html", context(request, engagement, "overview", form=form, row=row, sprints=sprints)
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request, pk: int):
    engagement = engagement_for(request, pk)
    form = SprintForm(posted(request))
    if request.method == "POST":
        require(has_permission("engagement.plan", request.user, engagement))
        if form.is_valid():
            try:
                sprint = services.sprint_plan(engagement=engagement, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, f"Sprint {sprint.number} is added to the plan.")
                return redirect("sprints:plan", pk=pk)
    return render(
        request,
        "sprints/plan.html",
        context(request, engagement, "plan", form=form, sprints=selectors.sprints_for(engagement)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def sprint_edit(request, pk: int, sprint_id: int):
    """The sponsor or staff change a planned sprint's dates or goal."""
    engagement = engagement_for(request, pk, "engagement.plan")
    sprint = child_of(engagement, Sprint.objects.all(), sprint_id)
    form = SprintForm(
        posted(request), initial={"starts_on": sprint.starts_on, "ends_on": sprint.ends_on, "goal": sprint.goal}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.sprint_plan(engagement=engagement, by=request.user, sprint=sprint, **form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Sprint {sprint.number} is changed.")
            return redirect("sprints:plan", pk=pk)
    return render(request, "sprints/sprint_form.html", context(request, engagement, "plan", form=form, sprint=sprint))


@login_required
@require_http_methods(["GET", "POST"])
def update_post(request, pk: int, sprint_id: int):
    engagement = engagement_for(request, pk, "engagement.report")
    sprint = child_of(engagement, Sprint.objects.all(), sprint_id)
    form = UpdateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.sprint_update_post(sprint=sprint, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Your update on sprint {sprint.number} is posted. We have told the sponsor.")
            return redirect("sprints:plan", pk=pk)
    return render(request, "sprints/update_form.html", context(request, engagement, "plan", form=form, sprint=sprint))


@login_required
def deliverable_list(request, pk: int):
    engagement = engagement_for(request, pk)
    return render(
        request,
        "sprints/deliverable_list.html",
        context(request, engagement, "deliverables", deliverables=selectors.deliverables_for(engagement)),
    )


def _deliverable_form(request, engagement, **initial):
    return DeliverableForm(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial=initial,
        milestones=engagement.milestones.all(),
    )


def _submit(request, engagement, form, deliverable=None):
    data = dict(form.cleaned_data)
    upload = data.pop("file", None)
    milestone = data.pop("milestone", None)
    return services.deliverable_submit(
        engagement=engagement,
        by=request.user,
        files=[upload] if upload else [],
        deliverable=deliverable,
        milestone=milestone,
        **data,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_new(request, pk: int):
    engagement = engagement_for(request, pk, "engagement.report")
    form = _deliverable_form(request, engagement)
    if request.method == "POST" and form.is_valid():
        try:
            version = _submit(request, engagement, form)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"“{version.title}” is submitted. We have told the sponsor.")
            return redirect("sprints:deliverable", pk=pk, deliverable_id=version.deliverable_id)
    return render(
        request,
        "sprints/deliverable_form.html",
        context(request, engagement, "deliverables", form=form, deliverable=None),
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_new(request, pk: int, deliverable_id: int):
    engagement = engagement_for(request, pk, "engagement.report")
    deliverable = child_of(engagement, Deliverable.objects.all(), deliverable_id)
    latest = deliverable.versions.order_by("-number").first()
    form = _deliverable_form(
        request,
        engagement,
        title=deliverable.title,
        description=latest.description,
        demo_url=latest.demo_url,
        repository_url=latest.repository_url,
        video_url=latest.video_url,
    )
    form.fields.pop("milestone", None)
    if request.method == "POST" and form.is_valid():
        try:
            version = _submit(request, engagement, form, deliverable)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Version {version.number} is submitted. We have told the sponsor.")
            return redirect("sprints:deliverable", pk=pk, deliverable_id=deliverable.pk)
    return render(
        request,
        "sprints/deliverable_form.html",
        context(request, engagement, "deliverables", form=form, deliverable=deliverable),
    )


@login_required
@require_http_methods(["GET", "POST"])
def deliverable_detail(request, pk: int, deliverable_id: int):
    engagement = engagement_for(request, pk)
    deliverable = child_of(engagement, selectors.deliverables_for(engagement), deliverable_id)
    versions = list(deliverable.versions.all())
    latest = versions[0]
    can_review = has_permission("engagement.review", request.user, engagement)[0]
    form = None
    if can_review and deliverable.status == Deliverable.Status.AWAITING_FEEDBACK:
        form = FeedbackForm(posted(request))
    if request.method == "POST":
        require(has_permission("engagement.review", request.user, engagement))
        if form is None:
            messages.info(request, "Feedback has already been given on the latest version.")
            return redirect("sprints:deliverable", pk=pk, deliverable_id=deliverable.pk)
        if form.is_valid():
            try:
                feedback = services.feedback_give(version=latest, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                verdict = "accepted" if feedback.decision == "accept" else "sent back for changes"
                messages.success(request, f"Version {latest.number} is {verdict}. We have told the team.")
                return redirect("sprints:deliverable", pk=pk, deliverable_id=deliverable.pk)
    return render(
        request,
        "sprints/deliverable_detail.html",
        context(request, engagement, "deliverables", deliverable=deliverable, versions=versions, form=form),
    )
