"""The assessor's pages: their queue, the conflict declaration, and scoring one application.

An assignment is looked up together with its assessor, so another assessor's assignment is a 404:
not even its existence leaks.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from civtech.errors import DomainError, add_to_form

from . import assessment
from .forms import ConflictDeclarationForm, ScoreForm
from .models import SECTIONS, Assignment


def _own_assignment(request, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("application__challenge__round", "application__organisation"),
        pk=pk,
        assessor=request.user,
    )


@login_required
def assessor_queue(request):
    assignments = (
        Assignment.objects.filter(assessor=request.user)
        .select_related("application__challenge__round", "application__organisation")
        .order_by("submitted_at", "application__challenge__title", "application__reference")
    )
    return render(request, "applications/assess/queue.html", {"assignments": assignments})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_declare(request, pk: int):
    assignment = _own_assignment(request, pk)
    if assignment.has_conflict is not None:
        messages.info(request, "You have already made your declaration for this application.")
        return redirect("applications:assess_queue")
    form = ConflictDeclarationForm(
        request.POST if request.method == "POST" else None, organisation=assignment.application.organisation
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment.assignment_declare(
                assignment=assignment,
                by=request.user,
                has_conflict=form.cleaned_data["has_conflict"] == "yes",
                details=form.cleaned_data["details"],
            )
        except DomainError as error:
            add_to_form(form, error)
        else:
            if form.cleaned_data["has_conflict"] == "yes":
                messages.success(request, "Thank you. We have taken you off this application and told the team.")
                return redirect("applications:assess_queue")
            return redirect("applications:assess_score", pk=assignment.pk)
    return render(request, "applications/assess/declare.html", {"assignment": assignment, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_score(request, pk: int):
    assignment = _own_assignment(request, pk)
    if assignment.has_conflict is None:
        return redirect("applications:assess_declare", pk=assignment.pk)
    application = assignment.application
    criteria = assessment.criteria_for(application, assignment.stage)
    form = None
    if assignment.submitted_at is None and not assignment.has_conflict:
        form = ScoreForm(request.POST if request.method == "POST" else None, criteria=criteria)
        if request.method == "POST" and form.is_valid():
            try:
                assessment.scores_submit(assignment=assignment, by=request.user, scores=form.scores())
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Your scores are submitted. You can now see the other assessors' scores.")
                return redirect("applications:assess_score", pk=assignment.pk)
    version = application.versions.order_by("-number").first()
    context = {
        "interview": assignment.stage == assignment.Stage.INTERVIEW,
        "assignment": assignment,
        "application": application,
        "answers": [(label, (version.answers if version else {}).get(key, "")) for key, label, *_ in SECTIONS],
        "form": form,
        "scores": assessment.scores_visible_to(request.user, application, assignment.stage).order_by(
            "assignment__assessor__email", "criterion__sort_order"
        ),
    }
    return render(request, "applications/assess/score.html", context)
