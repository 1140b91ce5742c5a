"""Clarification questions: ask and follow on the challenge page; answer from the sponsor's list.

Answers are published to everyone and who asked is never shown (procurement fairness). No view or
template here renders `asked_by`; the only use of it is to show signed-in askers their own questions
that are not (or not yet) published.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from civtech.errors import DomainError, add_to_form
from civtech.permissions import has_permission
from civtech.ratelimit import MESSAGE as RATE_MESSAGE
from civtech.ratelimit import over_limit

from .. import selectors, services
from ..forms import AnswerForm, QuestionForm
from ..models import ChallengeFollow, ChallengePage, Clarification
from ..permissions import questions_not_open_reason


def _questions_url(page: ChallengePage) -> str:
    return f"{page.url}#questions"


def _ask_url(page: ChallengePage) -> str:
    return page.url + "questions/"  # challenges:ask, under the page's own URL


def _may_ask(user, page: ChallengePage) -> tuple[bool, str]:
    allowed, reason = has_permission("challenge.ask", user, page)
    if not user.is_authenticated and not page.questions_open:
        # The rule asks visitors to sign in first; once questions are closed, signing in would not help.
        reason = questions_not_open_reason(page)
    return allowed, reason


def questions_context(request, page: ChallengePage) -> dict:
    """What the challenge page's questions section (questions/_section.html) needs."""
    if page.pk is None or getattr(request, "is_preview", False):
        return _preview_context(page)
    user = request.user
    can_ask, ask_reason = _may_ask(user, page)
    context = {
        "clarifications": selectors.published_clarifications(page),
        "question_form": QuestionForm(),
        "question_ask_url": _ask_url(page),
        "question_ask_allowed": can_ask,
        "question_ask_reason": ask_reason,
        "question_sign_in_needed": not user.is_authenticated and page.questions_open,
        "questions_close": page.round.questions_close,
        "question_sign_in_url": f"{reverse('account_login')}?{urlencode({'next': _questions_url(page)})}",
        "follow_url": reverse("challenges:follow", args=[page.pk]),
        "is_following": False,
        "own_questions": [],
    }
    if user.is_authenticated:
        context["is_following"] = ChallengeFollow.objects.filter(challenge=page, user=user).exists()
        # Only the asker sees these: published ones are in the public list, the rest are nobody else's business.
        context["own_questions"] = list(
            page.clarifications.filter(asked_by=user).exclude(status=Clarification.Status.PUBLISHED)
        )
    return context


def _preview_context(page: ChallengePage) -> dict:
    """In the editor's preview: the published answers so far, but no forms (a draft takes no questions)."""
    return {
        "questions_preview": True,
        "clarifications": selectors.published_clarifications(page) if page.pk else [],
        "question_ask_allowed": False,
        "question_ask_reason": "Once the challenge is published, applicants can ask questions here until they close.",
        "questions_close": page.round.questions_close,
    }


def _ask_page(request, page: ChallengePage, form: QuestionForm, *, refusal: str = "", status: int = 200):
    """The question form on its own page: after a mistake (input kept) or a refusal (input shown)."""
    context = {
        "page": page,
        "trail_pages": page.get_ancestors(inclusive=True),  # Home › Challenges › the sponsor › the challenge
        "form": form,
        "refusal": refusal,
        "question_ask_url": _ask_url(page),
        "questions_url": _questions_url(page),
        "questions_close": page.round.questions_close,
        "typed": request.POST.get("question", "").strip(),
        "sign_in_url": f"{reverse('account_login')}?{urlencode({'next': _questions_url(page)})}",
    }
    return render(request, "challenges/questions/ask.html", context, status=status)


def question_ask(request, page: ChallengePage):
    """`<challenge-url>questions/`: POST a question. The service enforces the deadline; we explain it."""
    if request.method != "POST":
        return redirect(_questions_url(page))
    form = QuestionForm(request.POST)
    allowed, reason = _may_ask(request.user, page)
    if not allowed:
        return _ask_page(request, page, form, refusal=reason, status=403)
    if over_limit(request, "questions"):
        form.is_valid()
        form.add_error(None, RATE_MESSAGE)
        return _ask_page(request, page, form, status=429)
    if form.is_valid():
        try:
            services.clarification_ask(challenge=page, by=request.user, question=form.cleaned_data["question"])
        except PermissionDenied as refusal:  # e.g. questions closed between our check and the write
            return _ask_page(request, page, form, refusal=str(refusal), status=403)
        except DomainError as error:
            add_to_form(form, error)
        else:
            messages.success(
                request,
                "Your question has been sent to the sponsor. When it is answered, the answer is published here "
                "for everyone, without your name, and we email you.",
            )
            return redirect(_questions_url(page))
    return _ask_page(request, page, form)


@require_POST
def challenge_follow(request, page_id: int):
    """Follow or stop following a public challenge (`action` is "follow" or "unfollow"; missing: toggle)."""
    page = get_object_or_404(selectors.public_challenges().select_related("round"), pk=page_id)
    if not request.user.is_authenticated:
        return redirect_to_login(_questions_url(page))
    following = ChallengeFollow.objects.filter(challenge=page, user=request.user).exists()
    action = request.POST.get("action") or ("unfollow" if following else "follow")
    if action == "unfollow":
        services.challenge_unfollow(challenge=page, by=request.user)
        messages.success(request, f"You no longer follow {page.title}. We will not email you about its answers.")
    else:
        services.challenge_follow(challenge=page, by=request.user)
        messages.success(request, f"You follow {page.title}. We will email you when a question about it is answered.")
    return redirect(_questions_url(page))


@login_required
def answer_list(request):
    """Questions waiting for an answer on the challenges this person answers for."""
    clarifications = selectors.clarifications_to_answer(request.user)
    return render(request, "challenges/questions/answer_list.html", {"clarifications": clarifications})


@login_required
@require_http_methods(["GET", "POST"])
def question_answer(request, pk: int):
    """Publish an answer (everyone following is emailed) or decline the question. The asker is not shown."""
    clarification = get_object_or_404(
        Clarification.objects.select_related("challenge", "challenge__round", "challenge__sponsor"), pk=pk
    )
    challenge = clarification.challenge
    allowed, reason = has_permission("challenge.answer", request.user, challenge)
    if not allowed:
        raise PermissionDenied(reason)

    form = AnswerForm(request.POST if request.method == "POST" else None)
    problem, status = "", 200
    if request.method == "POST":
        declining = request.POST.get("action") == "decline"
        try:
            if clarification.status != Clarification.Status.AWAITING:
                raise DomainError("This question has already been dealt with.")
            if declining:
                services.clarification_decline(clarification=clarification, by=request.user)
                messages.success(request, "You declined the question. It will not be published.")
                return redirect("challenges:answer_list")
            if form.is_valid():
                services.clarification_answer(
                    clarification=clarification, by=request.user, answer=form.cleaned_data["answer"]
                )
                messages.success(
                    request,
                    f"Your answer is published on {challenge.title}, and everyone following it is being emailed.",
                )
                return redirect("challenges:answer_list")
        except DomainError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                problem, status = error.message, 409
                clarification.refresh_from_db()

    context = {"clarification": clarification, "challenge": challenge, "form": form, "problem": problem}
    return render(request, "challenges/questions/answer.html", context, status=status)
