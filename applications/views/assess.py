"""The assessor's pages: their queue, the conflict declaration, and scoring one application.

An assignment is looked up together with its assessor, so another assessor's assignment is a 404:
not even its existence leaks. A refused rule (the call still open, a conflict declared) is said where
the assessor is: on the scoring page, or back on their queue with the reason.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from civtech.errors import DomainError, add_to_form
from civtech.permissions import has_permission

from .. import selectors
from ..forms.applicant import ConflictDeclarationForm, ScoreForm
from ..models import Assignment
from ..services import assessment


def _own_assignment(request, pk: int) -> Assignment:
    return get_object_or_404(
        Assignment.objects.select_related("application__challenge__round", "application__organisation"),
        pk=pk,
        assessor=request.user,
    )


def _back_to_queue(request, reason: str):
    messages.error(request, reason)
    return redirect("applications:assess_queue")


@login_required
def assessor_queue(request):
    to_do, done = selectors.assessor_queue(request.user)
    return render(request, "applications/assess/queue.html", {"to_do": to_do, "done": done})


@login_required
@require_http_methods(["GET", "POST"])
def assignment_declare(request, pk: int):
    assignment = _own_assignment(request, pk)
    if assignment.has_conflict is not None:
        messages.info(request, "You have already made your declaration for this application.")
        return redirect("applications:assess_queue")
    allowed, reason = has_permission("assessment.declare", request.user, assignment)
    if not allowed:
        return _back_to_queue(request, reason)
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
        except PermissionDenied as refusal:  # e.g. declared meanwhile in another tab
            return _back_to_queue(request, str(refusal))
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
    application = selectors.application_detail(assignment.application_id)
    if assignment.has_conflict is None:
        allowed, reason = has_permission("assessment.declare", request.user, assignment)
        if not allowed:
            return _back_to_queue(request, reason)
        return redirect("applications:assess_declare", pk=assignment.pk)
    # Before the call closes (or after a declared conflict) the application itself stays closed to them.
    allowed, reason = has_permission("application.view", request.user, application)
    if not allowed:
        return _back_to_queue(request, reason)
    may_score, refusal = has_permission("assessment.score", request.user, assignment)
    criteria = assessment.criteria_for(application, assignment.stage)
    form, status = None, 200
    if may_score:
        form = ScoreForm(request.POST if request.method == "POST" else None, criteria=criteria)
        if request.method == "POST" and form.is_valid():
            try:
                assessment.scores_submit(assignment=assignment, by=request.user, scores=form.scores())
            except PermissionDenied as denied:  # e.g. submitted meanwhile in another tab
                form, refusal, status = None, str(denied), 403
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, "Your scores are submitted. You can now see the other assessors' scores.")
                return redirect("applications:assess_score", pk=assignment.pk)
    elif request.method == "POST":
        status = 403
    version = assignment.version or application.latest_version()
    # The version's own questions and answers, by key: a criterion shows those it judges beside its score.
    answered = {
        key: (version.spec.label_of(key), version.spec.question(key).display(answer))
        for key, answer in (version.answers.items() if version else ())
        if version.spec.question(key) is not None
    }
    context = {
        "interview": assignment.stage == assignment.Stage.INTERVIEW,
        "assignment": assignment,
        "application": application,
        "shown": selectors.version_shown(application, version),
        "form": form,
        "criteria_rows": form.rows(answered) if form else [],
        "refusal": refusal if status == 403 or assignment.submitted_at is None else "",
        "scores": assessment.scores_visible_to(request.user, application, assignment.stage).order_by(
            "assignment__assessor__email", "criterion__sort_order"
        ),
    }
    return render(request, "applications/assess/score.html", context, status=status)
