"""Stage ends: the exploration pitch and its scoring, the accelerator decision, outcome and lessons learned."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import is_programme_staff
from applications.forms.applicant import ScoreForm
from challenges.models import ChallengePage
from challenges.selectors import public_challenges
from civtech.errors import DomainError, add_to_form, require
from civtech.permissions import has_permission
from civtech.querystring import query_id

from .. import selectors, services
from ..forms import EndForm, LessonForm, OutcomeForm, PitchForm
from ..models import Engagement, Lesson, Milestone, Pitch, PitchScore
from ._common import context, engagement_for, posted


@login_required
@require_http_methods(["GET", "POST"])
def pitch(request, pk: int):
    engagement = engagement_for(request, pk)
    existing = Pitch.objects.filter(engagement=engagement).select_related("deck").first()
    can_report = has_permission("engagement.report", request.user, engagement)[0]
    pitch_form = score_form = None
    criteria = services.pitch_criteria(engagement)
    if (
        can_report
        and engagement.stage == Engagement.Stage.EXPLORATION
        and (existing is None or existing.progressed is None)
    ):
        initial = {"summary": existing.summary} if existing else {}
        pitch_form = PitchForm(posted(request), request.FILES if request.method == "POST" else None, initial=initial)
    elif existing is not None and has_permission("pitch.score", request.user, existing)[0] and criteria:
        score_form = ScoreForm(posted(request), criteria=criteria)
    if request.method == "POST":
        if pitch_form is not None:
            if pitch_form.is_valid():
                try:
                    services.pitch_submit(engagement=engagement, by=request.user, **pitch_form.cleaned_data)
                except DomainError as error:
                    add_to_form(pitch_form, error)
                else:
                    flash.success(request, "Your pitch is submitted. You can change it until the decision.")
                    return redirect("sprints:pitch", pk=pk)
        elif score_form is not None:
            if score_form.is_valid():
                try:
                    services.pitch_score(pitch=existing, by=request.user, scores=score_form.scores())
                except DomainError as error:
                    add_to_form(score_form, error)
                else:
                    flash.success(request, "Your scores are submitted.")
                    return redirect("sprints:pitch", pk=pk)
        else:
            reason = has_permission("pitch.score", request.user, existing)[1] if existing else "There is no pitch yet."
            raise PermissionDenied(reason)
    scores = PitchScore.objects.none()
    if existing is not None and (is_programme_staff(request.user) or not can_report):
        scores = existing.scores.select_related("criterion", "scorer").order_by(
            "scorer__email", "criterion__sort_order"
        )
    return render(
        request,
        "sprints/pitch.html",
        context(
            request, engagement, "pitch", pitch=existing, pitch_form=pitch_form, score_form=score_form,
            scores=scores, criteria=criteria,
        ),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def pitch_decision(request, challenge_id: int):
    """Staff take the chosen team(s) into the accelerator and give every other team feedback."""
    if not is_programme_staff(request.user):
        raise PermissionDenied("Only the CivTech team decides who goes to the accelerator.")
    challenge = get_object_or_404(ChallengePage.objects.select_related("round"), pk=challenge_id)
    explorers = list(
        Engagement.objects.filter(
            application__challenge=challenge, stage=Engagement.Stage.EXPLORATION, status=Engagement.Status.ACTIVE
        )
        .select_related("application__organisation", "pitch")
        .order_by("application__organisation__name")
    )
    errors = []
    if request.method == "POST":
        chosen = [e for e in explorers if str(e.pk) in request.POST.getlist("chosen")]
        feedback = {e.pk: request.POST.get(f"feedback_{e.pk}", "") for e in explorers}
        try:
            created = services.pitch_decide(challenge=challenge, chosen=chosen, feedback=feedback, by=request.user)
        except DomainError as error:
            errors.append(error.message)
        else:
            flash.success(request, f"Decision recorded: {len(created)} team(s) go to the accelerator.")
            return redirect("sprints:list")
    for engagement in explorers:
        engagement.typed_feedback = request.POST.get(f"feedback_{engagement.pk}", "")
        engagement.was_chosen = str(engagement.pk) in request.POST.getlist("chosen")
    return render(
        request,
        "sprints/pitch_decision.html",
        {"challenge": challenge, "explorers": explorers, "errors": errors, "limit": challenge.round.accelerator_teams},
    )


@login_required
@require_http_methods(["GET", "POST"])
def lessons(request, pk: int):
    engagement = engagement_for(request, pk)
    can_record = has_permission("lesson.record", request.user, engagement)[0]
    side = Lesson.Side.TEAM if context(request, engagement, "lessons")["is_team"] else Lesson.Side.SPONSOR
    own = engagement.lessons.filter(side=side).first() if can_record else None
    form = None
    if can_record and (own is None or own.status != Lesson.Status.PUBLISHED):
        initial = {f: getattr(own, f) for f in ("what_worked", "what_did_not", "differently")} if own else {}
        form = LessonForm(posted(request), initial=initial)
    if request.method == "POST":
        require(has_permission("lesson.record", request.user, engagement))
        if form is not None and form.is_valid():
            try:
                services.lesson_record(engagement=engagement, by=request.user, **form.cleaned_data)
            except DomainError as error:
                add_to_form(form, error)
            else:
                flash.success(request, "Your lessons are saved. The CivTech team will review them before publishing.")
                return redirect("sprints:lessons", pk=pk)
    return render(
        request,
        "sprints/lessons.html",
        context(request, engagement, "lessons", form=form, lessons=engagement.lessons.order_by("side")),
    )


@login_required
@require_POST
def lesson_publish(request, pk: int, lesson_id: int):
    engagement = engagement_for(request, pk, "engagement.manage")
    lesson = get_object_or_404(Lesson, pk=lesson_id, engagement=engagement)
    try:
        services.lesson_publish(lesson=lesson, by=request.user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, "The lessons are published to the lessons library.")
    return redirect("sprints:lessons", pk=pk)


def lessons_library(request):
    """Public: every published lesson of a public challenge, optionally for one (linked from the challenge page).
    A draft or restricted challenge is not named, and its lessons are not shown, even when asked for by id."""
    published = selectors.public_lessons()
    challenge = None
    if (challenge_id := query_id(request.GET, "challenge")) is not None:
        challenge = public_challenges().filter(pk=challenge_id).first()
        if challenge is not None:
            published = published.filter(engagement__application__challenge=challenge)
    published = published.order_by("-published_at")
    return render(request, "sprints/lessons_library.html", {"lessons": published, "challenge": challenge})


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request, pk: int):
    """Staff record how the accelerator ended (follow-on, further agreements, or not progressed and why)."""
    engagement = engagement_for(request, pk, "engagement.manage")
    form = OutcomeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_record(engagement=engagement, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_to_form(form, error)
        else:
            flash.success(request, "The outcome is recorded and the engagement is complete.")
            return redirect("sprints:overview", pk=pk)
    return render(request, "sprints/outcome.html", context(request, engagement, "overview", form=form))


@login_required
@require_http_methods(["GET", "POST"])
def engagement_end(request, pk: int):
    """Staff end an engagement early, saying why; the workspace becomes read-only."""
    engagement = engagement_for(request, pk, "engagement.manage")
    form = EndForm(posted(request)) if engagement.is_active else None
    if request.method == "POST" and form is None:
        flash.info(request, f"This engagement is already {engagement.get_status_display().lower()}.")
        return redirect("sprints:overview", pk=pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_end(engagement=engagement, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            add_to_form(form, error)
        else:
            flash.success(request, "The engagement has ended early. Its workspace is now read-only.")
            return redirect("sprints:overview", pk=pk)
    return render(request, "sprints/end.html", context(request, engagement, "overview", form=form))


@login_required
@require_POST
def tranche_paid(request, pk: int, milestone_id: int):
    engagement = engagement_for(request, pk, "engagement.manage")
    milestone = get_object_or_404(Milestone, pk=milestone_id, engagement=engagement)
    try:
        services.milestone_mark_paid(milestone=milestone, by=request.user)
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, f"The tranche for milestone {milestone.number} is recorded as paid.")
    return redirect("sprints:accelerator", pk=pk)
