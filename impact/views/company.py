"""The company's impact returns (/returns/…) and the sponsor's benefits (/benefits/…).

Views translate HTTP into calls to impact.services: a refused permission is a 403 with its reason, an unknown
id a 404, and a refused rule goes back onto the form with everything typed kept.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import is_programme_staff
from challenges.models import ChallengePage
from civtech.errors import DomainError, require
from civtech.permissions import has_permission

from .. import selectors
from ..forms import BenefitForm, CorrectionForm, ReturnForm
from ..models import Benefit, ImpactReturn
from ..models.returns import FIGURES
from ..services import benefits as benefit_services
from ..services import returns as return_services

BENEFIT_COLOURS = {Benefit.Status.SUBMITTED: "orange", Benefit.Status.VERIFIED: "green", Benefit.Status.REJECTED: "red"}


def _posted(request):
    return request.POST if request.method == "POST" else None


# --- Impact returns --------------------------------------------------------------------------------
def return_state(impact_return: ImpactReturn, today) -> tuple[str, str]:
    """(text, tag colour) for a return, as the company sees it."""
    if impact_return.verified_at:
        return "Verified", "green"
    if impact_return.submitted_at:
        return "Submitted: awaiting verification", "teal"
    if today <= impact_return.period_end:
        return "Not open yet", "grey"
    if today > impact_return.due_on:
        return "Overdue", "red"
    return "To do", "orange"


def _return(request, pk: int, action: str = "impact_return.view") -> ImpactReturn:
    try:
        impact_return = selectors.return_detail(pk)
    except ImpactReturn.DoesNotExist:
        raise Http404("No such impact return") from None
    require(has_permission(action, request.user, impact_return))
    return impact_return


def _initial(impact_return: ImpactReturn) -> dict:
    values = {key: getattr(impact_return, key) for key in FIGURES}
    trading = values.pop("still_trading")
    return {
        **{k: ("" if v is None else str(v)) for k, v in values.items()},
        "still_trading": "" if trading is None else ("yes" if trading else "no"),
    }


def _figure_rows(impact_return: ImpactReturn, form_class=ReturnForm) -> list[tuple[str, str]]:
    form = form_class()
    rows = []
    for key in FIGURES:
        value = getattr(impact_return, key)
        if key == "still_trading":
            shown = "Not answered" if value is None else ("Yes" if value else "No")
        elif value is None:
            shown = "Not answered"
        elif key in return_services.MONEY:
            shown = f"£{value:,.2f}"
        else:
            shown = f"{value:,}" if isinstance(value, int) else str(value)
        rows.append((form.fields[key].label, shown))
    return rows


@login_required
def return_list(request):
    today = timezone.localdate()
    returns = list(selectors.returns_for_user(request.user))
    for impact_return in returns:
        impact_return.state, impact_return.colour = return_state(impact_return, today)
    return render(request, "impact/return_list.html", {"returns": returns})


@login_required
@require_http_methods(["GET", "POST"])
def return_detail(request, pk: int):
    """The return's form while the company may (re)submit it; otherwise its figures and history."""
    impact_return = _return(request, pk)
    can_submit, submit_reason = has_permission("impact_return.submit", request.user, impact_return)
    form = None
    if can_submit or request.method == "POST":
        form = ReturnForm(_posted(request), initial=_initial(impact_return))
    if request.method == "POST":
        require((can_submit, submit_reason))
        if form.is_valid():
            try:
                return_services.return_submit(impact_return=impact_return, by=request.user, figures=form.figures())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, "Thank you: your impact return is submitted. We will verify it.")
                return redirect("impact:returns")
    can_correct, _ = has_permission("impact_return.correct", request.user, impact_return)
    today = timezone.localdate()
    state, colour = return_state(impact_return, today)
    return render(
        request,
        "impact/return_detail.html",
        {
            "impact_return": impact_return,
            "form": form,
            "submit_reason": submit_reason,
            "can_correct": can_correct,
            "state": state,
            "colour": colour,
            "rows": _figure_rows(impact_return) if impact_return.submitted_at else [],
            "corrections": impact_return.corrections.select_related("corrected_by"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_correct(request, pk: int):
    impact_return = _return(request, pk, "impact_return.correct")
    form = CorrectionForm(_posted(request), initial=_initial(impact_return))
    if request.method == "POST" and form.is_valid():
        try:
            return_services.return_correct(
                impact_return=impact_return,
                by=request.user,
                figures=form.figures(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, "Your correction is saved. We will verify the return again.")
            return redirect("impact:return", pk=pk)
    return render(request, "impact/return_correct.html", {"impact_return": impact_return, "form": form})


# --- Benefits --------------------------------------------------------------------------------------
def recordable_challenges(user):
    """Challenges the user may record benefits for: their public bodies' (every challenge, for staff)."""
    challenges = ChallengePage.objects.select_related("sponsor").order_by("title")
    if is_programme_staff(user):
        return challenges
    return challenges.filter(sponsor__memberships__user=user).distinct()


def _benefit(request, pk: int, action: str = "benefit.view") -> Benefit:
    try:
        benefit = Benefit.objects.select_related("challenge", "sponsor", "recorded_by", "verified_by").get(pk=pk)
    except Benefit.DoesNotExist:
        raise Http404("No such benefit") from None
    require(has_permission(action, request.user, benefit))
    return benefit


def _benefit_fields(form: BenefitForm, request) -> dict:
    return {**form.benefit_fields(), "evidence_file": request.FILES.get("evidence_file")}


@login_required
def benefit_list(request):
    benefits = list(selectors.benefits_for_user(request.user))
    for benefit in benefits:
        benefit.colour = BENEFIT_COLOURS[benefit.status]
    return render(
        request,
        "impact/benefit_list.html",
        {"benefits": benefits, "can_record": recordable_challenges(request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def benefit_new(request):
    challenges = recordable_challenges(request.user)
    if not challenges.exists():
        require((False, "Only members of a sponsoring public body can record benefits."))
    form = BenefitForm(_posted(request), request.FILES if request.method == "POST" else None, challenges=challenges)
    if request.method == "POST":
        chosen = request.POST.get("challenge", "")
        challenge = None
        if chosen.isascii() and chosen.isdigit() and int(chosen) < 2**31:  # an id the database can look up
            challenge = challenges.filter(pk=chosen).first()
        if challenge is None:
            form.full_clean()
            if "challenge" not in form.errors:
                form.add_error("challenge", "Select the challenge whose product brought this benefit")
        elif form.is_valid():
            try:
                benefit = benefit_services.benefit_record(
                    challenge=challenge, by=request.user, **_benefit_fields(form, request)
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"“{benefit.title}” is recorded. The CivTech team will verify it.")
                return redirect("impact:benefits")
    return render(request, "impact/benefit_form.html", {"form": form, "benefit": None})


@login_required
@require_http_methods(["GET", "POST"])
def benefit_detail(request, pk: int):
    """The benefit, its verification, and the form to change it (which sends it back for verification)."""
    benefit = _benefit(request, pk)
    can_edit, _ = has_permission("benefit.edit", request.user, benefit)
    initial = {name: getattr(benefit, name) for name in BenefitForm.base_fields if hasattr(benefit, name)}
    initial = {k: ("" if v is None else v) for k, v in initial.items() if k not in ("challenge", "evidence_file")}
    form = BenefitForm(_posted(request), request.FILES if request.method == "POST" else None, initial=initial)
    if request.method == "POST":
        require(has_permission("benefit.edit", request.user, benefit))
        if form.is_valid():
            try:
                benefit_services.benefit_update(benefit=benefit, by=request.user, **_benefit_fields(form, request))
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, f"“{benefit.title}” is saved.")
                return redirect("impact:benefit", pk=pk)
    return render(
        request,
        "impact/benefit_form.html",
        {"form": form if can_edit else None, "benefit": benefit, "colour": BENEFIT_COLOURS[benefit.status]},
    )


@login_required
def benefit_evidence(request, pk: int):
    benefit = _benefit(request, pk)
    if not benefit.evidence_file:
        raise Http404("This benefit has no evidence file")
    return FileResponse(benefit.evidence_file.open("rb"), as_attachment=True, filename=benefit.evidence_name)
