"""Programme staff's evaluation pages in the Wagtail admin: progress per challenge, the moderation board,
assigning assessors, moderating one application, inviting to interview, and the decisions.

Views only translate HTTP into calls to `assessment` and `decisions`; a refused rule comes back as a
DomainError (or a PermissionDenied with its reason) and is shown on the form, with everything typed kept.
A form that cannot be used yet (moderation and decisions while the call is open) is shown disabled with
the reason; anyone but staff is sent back with the reason (AdminRefusalMixin), never Wagtail's generic refusal.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from accounts import admin_access as accounts_admin
from challenges.models import ChallengePage, Round
from civtech.errors import DomainError, add_to_form
from civtech.permissions import has_permission
from formbuilder.models import ApplicationForm

from .. import selectors
from ..forms.admin import AssignForm, DecisionForm, InterviewForm, ModerationForm
from ..models import Application
from ..permissions import assessment_not_started
from ..services import assessment, decisions
from ..services import forms as forms_services
from ..services.assessment import Stage
from ..services.moderation import moderation_board

# What each stage's board decides: (candidates' statuses, the round's limit, the service, the button).
DECISIONS = {
    Stage.APPLICATION: (
        [Application.Status.SUBMITTED],
        "shortlist_count",
        decisions.shortlist_decide,
        "Shortlist the chosen applications",
    ),
    Stage.INTERVIEW: (
        [Application.Status.SHORTLISTED, Application.Status.INTERVIEW],
        "exploration_teams",
        decisions.selection_decide,
        "Select the chosen teams for the exploration stage",
    ),
}


def _stage(value: str | None) -> str:
    return value if value in Stage.values else Stage.APPLICATION


class StaffOnlyMixin(accounts_admin.StaffOnlyMixin):
    staff_only_reason = "Only the CivTech team evaluates applications."


class EvaluationIndexView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = "Evaluation"
    header_icon = "tasks"
    template_name = "applications/admin/evaluation_index.html"

    def get_context_data(self, **kwargs):
        rounds = Round.objects.all()
        round_id = self.request.GET.get("round")
        selected = next((r for r in rounds if str(r.pk) == round_id), None)
        return super().get_context_data(
            rounds=rounds, selected_round=selected, challenges=selectors.evaluation_progress(round_=selected), **kwargs
        )


class BoardView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """One challenge at one stage: assign assessors, see the ranked board, and decide."""

    template_name = "applications/admin/board.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.challenge = get_object_or_404(ChallengePage.objects.select_related("round", "sponsor"), pk=kwargs["pk"])
        self.stage = _stage(request.GET.get("stage") or request.POST.get("stage"))

    def get_page_title(self):
        return f"{self.challenge.title}: {Stage(self.stage).label.lower()}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("evaluation:index"), "label": "Evaluation"},
            {"url": "", "label": self.challenge.title},
        ]

    def _candidates(self):
        statuses, *_ = DECISIONS[self.stage]
        return (
            Application.objects.filter(challenge=self.challenge, status__in=statuses)
            .select_related("organisation")
            .defer("answers", "challenge_questions")  # the decision form names them by reference and company
            .order_by("reference")
        )

    def get_context_data(self, assign_form=None, decision_form=None, **kwargs):
        _, limit_field, _, button = DECISIONS[self.stage]
        limit = getattr(self.challenge.round, limit_field)
        candidates = list(self._candidates())
        criteria, rows = moderation_board(self.challenge, self.stage)
        may_decide, decide_refusal = has_permission("assessment.moderate", self.request.user, self.challenge)
        return super().get_context_data(
            challenge=self.challenge,
            decide_refusal="" if may_decide else decide_refusal,
            assessment_waits=assessment_not_started(self.challenge)[1],
            stage=self.stage,
            stages=Stage.choices,
            criteria=criteria,
            rows=rows,
            threshold=self.challenge.round.outlier_threshold,
            assign_form=assign_form or AssignForm(initial={"stage": self.stage}),
            decision_form=decision_form
            or (DecisionForm(candidates=candidates, limit=limit, prefix="decide") if candidates else None),
            decision_button=button,
            limit=limit,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "assign":
            form = AssignForm(request.POST)
            if form.is_valid():
                try:
                    new = assessment.assignments_create_for_challenge(
                        challenge=self.challenge, assessors=list(form.cleaned_data["assessors"]), by=request.user,
                        stage=self.stage,
                    )  # fmt: skip
                except DomainError as error:
                    add_to_form(form, error)
                else:
                    messages.success(request, f"{new} new assignment{'s' if new != 1 else ''} made.")
                    return redirect(f"{request.path}?stage={self.stage}")
            return self.render_to_response(self.get_context_data(assign_form=form))
        if request.POST.get("action") == "decide":
            _, limit_field, decide, _ = DECISIONS[self.stage]
            form = DecisionForm(
                request.POST,
                candidates=self._candidates(),
                limit=getattr(self.challenge.round, limit_field),
                prefix="decide",
            )
            allowed, refusal = has_permission("assessment.moderate", request.user, self.challenge)
            if not allowed:
                form.is_valid()
                form.add_error(None, refusal)
            elif form.is_valid():
                try:
                    made = decide(challenge=self.challenge, chosen=form.chosen_ids(), by=request.user)
                except PermissionDenied as denied:  # e.g. the call's dates changed meanwhile
                    allowed = False
                    form.add_error(None, str(denied))
                except DomainError as error:
                    add_to_form(form, error)
                else:
                    messages.success(request, f"Decisions recorded and {len(made)} applicants emailed.")
                    return redirect(f"{request.path}?stage={self.stage}")
            return self.render_to_response(self.get_context_data(decision_form=form), status=200 if allowed else 403)
        raise Http404("Unknown action")


class ModerateView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """One application at one stage: every assessor's scores and comments, the moderation and the interview."""

    template_name = "applications/admin/moderate.html"
    header_icon = "tasks"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        try:
            self.application = selectors.application_detail(kwargs["pk"])
        except Application.DoesNotExist:
            raise Http404("No such application") from None
        self.stage = _stage(kwargs["stage"])

    def get_page_title(self):
        return f"Moderate {self.application.reference}"

    def get_breadcrumbs_items(self):
        challenge = self.application.challenge
        return [
            *self.breadcrumbs_items,
            {"url": reverse("evaluation:index"), "label": "Evaluation"},
            {
                "url": reverse("evaluation:board", args=[challenge.pk]) + f"?stage={self.stage}",
                "label": challenge.title,
            },
            {"url": "", "label": self.application.reference},
        ]

    def get_context_data(self, moderation_form=None, interview_form=None, **kwargs):
        kwargs.pop("stage", None)  # the URL's; self.stage is the checked one
        application = self.application
        moderation = application.moderations.filter(stage=self.stage).first()
        initial = (
            {"score": moderation.score, "rationale": moderation.rationale, "feedback": moderation.feedback}
            if moderation
            else {}
        )
        version = application.versions.order_by("-number").first()
        # The version's own questions: an answer is read under the label it was given to.
        shown = version.spec.shown(version.answers) if version and self.stage == Stage.APPLICATION else []
        may_moderate, moderate_refusal = has_permission("assessment.moderate", self.request.user, application.challenge)
        return super().get_context_data(
            application=application,
            version=version,
            moderate_refusal="" if may_moderate else moderate_refusal,
            stage=self.stage,
            scores=assessment.scores_visible_to(self.request.user, application, self.stage).order_by(
                "assignment__assessor__email", "criterion__sort_order"
            ),
            assignments=application.assignments.filter(stage=self.stage).select_related("assessor", "version"),
            moderation_open=application.status in decisions.MODERATION_OPEN[self.stage],
            moderation_form=moderation_form or ModerationForm(initial=initial, prefix="moderate"),
            interview_form=interview_form
            or (InterviewForm(prefix="interview") if application.status == Application.Status.SHORTLISTED else None),
            answers=[pair for section in shown for pair in section["answers"]],
            decisions=application.decisions.select_related("decided_by"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action == "moderate":
            form = ModerationForm(request.POST, prefix="moderate")
            record = decisions.moderation_record
            saved = f"Moderated score for {self.application.reference} saved."
            context_key = "moderation_form"
        elif action == "interview":
            form = InterviewForm(request.POST, prefix="interview")
            record = decisions.interview_invite
            saved = f"{self.application.organisation} invited to interview and emailed."
            context_key = "interview_form"
        else:
            raise Http404("Unknown action")
        allowed = True
        if form.is_valid():
            stage = {"stage": self.stage} if action == "moderate" else {}
            try:
                record(application=self.application, by=request.user, **stage, **form.cleaned_data)
            except PermissionDenied as denied:  # e.g. the call is still open: said on the form, everything kept
                allowed = False
                form.add_error(None, str(denied))
            except DomainError as error:
                add_to_form(form, error)
            else:
                messages.success(request, saved)
                return redirect(request.path)
        context = self.get_context_data(**{context_key: form})
        return self.render_to_response(context, status=200 if allowed else 403)


class MoveDraftsView(StaffOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    """A form's drafts still on an earlier version, with the button that moves them to the latest (and emails each
    team that its answers are kept)."""

    template_name = "applications/admin/move_drafts.html"
    header_icon = "form"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = get_object_or_404(ApplicationForm, pk=kwargs["pk"])

    def get_page_title(self):
        return f"Drafts on earlier versions of {self.form}"

    def get_context_data(self, **kwargs):
        behind = forms_services.drafts_behind(self.form).select_related("challenge", "organisation", "form_version")
        return super().get_context_data(
            application_form=self.form, latest=self.form.current_version(), drafts=behind.order_by("pk"), **kwargs
        )

    def post(self, request, *args, **kwargs):
        try:
            moved = forms_services.drafts_move_to_latest(form=self.form, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{moved} draft{'s' if moved != 1 else ''} moved to the latest version.")
        return redirect("evaluation:move_drafts", pk=self.form.pk)
