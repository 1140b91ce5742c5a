"""Clarification questions: asked by applicants until the deadline, answered by the sponsor or the
CivTech team, published to everyone without ever naming who asked, and emailed to followers once."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.roles import Role
from challenges import services
from challenges.models import ChallengeFollow, Clarification
from challenges.views.questions import questions_context
from civtech.errors import DomainError
from tests.factories import (
    MembershipFactory,
    PublicBodyFactory,
    UserFactory,
    make_challenge,
    make_round,
    staff_user,
)

pytestmark = pytest.mark.django_db

CLOSED = "Clarification questions for this challenge are closed."
QUESTION = "Can the pilot use synthetic data before the data-sharing agreement is signed?"
ANSWER = "Yes. Synthetic data is fine for the exploration stage."


@pytest.fixture
def sponsor_body():
    return PublicBodyFactory(name="NHS Lothian", slug="nhs-lothian")


@pytest.fixture
def challenge(sponsor_body):
    return make_challenge(sponsor=sponsor_body)  # its round opened a week ago: questions are open


@pytest.fixture
def asker():
    return UserFactory(
        role=Role.APPLICANT, first_name="Morag", last_name="Quigglesworth", email="morag.q@acme-robotics.example"
    )


@pytest.fixture
def sponsor(sponsor_body):
    user = UserFactory(role=Role.SPONSOR, mfa=True, email="officer@nhs-lothian.example")
    MembershipFactory(organisation=sponsor_body, user=user)
    return user


def other_sponsor():
    user = UserFactory(role=Role.SPONSOR, mfa=True, email="officer@other-body.example")
    MembershipFactory(organisation=PublicBodyFactory(name="Another Council"), user=user)
    return user


def ask_url(challenge) -> str:
    return challenge.url + "questions/"


def ask(client, user, challenge, question=QUESTION):
    if user is not None:
        client.force_login(user)
    return client.post(ask_url(challenge), {"question": question})


def answer(client, on_commit, user, clarification, text=ANSWER, action="answer"):
    client.force_login(user)
    with on_commit():
        return client.post(reverse("challenges:answer", args=[clarification.pk]), {"answer": text, "action": action})


def public_html(client, challenge) -> str:
    """The challenge page as a signed-out visitor sees it."""
    client.logout()
    response = client.get(challenge.url)
    assert response.status_code == 200
    return response.content.decode()


def assert_never_names(text: str, user) -> None:
    for clue in (user.email, user.first_name, user.last_name, "acme-robotics"):
        assert clue not in text, clue


# --- Asking ---------------------------------------------------------------------------------------
def test_applicant_asks_and_then_follows_the_challenge(client, challenge, asker):
    response = ask(client, asker, challenge)
    assert response.status_code == 302
    assert response.url == challenge.url + "#questions"
    clarification = Clarification.objects.get()
    assert (clarification.question, clarification.asked_by, clarification.status) == (QUESTION, asker, "awaiting")
    assert ChallengeFollow.objects.filter(challenge=challenge, user=asker).exists()
    assert ModelLogEntry.objects.filter(action="civtech.clarification.ask").exists()
    # The asker sees their own waiting question on the page; nobody else does.
    page = client.get(challenge.url).content.decode()
    assert "Your questions waiting for an answer" in page
    assert QUESTION in page
    assert "Your question has been sent to the sponsor" in page
    assert QUESTION not in public_html(client, challenge)
    client.force_login(UserFactory(role=Role.APPLICANT))
    assert QUESTION not in client.get(challenge.url).content.decode()


def test_a_question_after_the_deadline_is_refused_on_the_server_and_nothing_is_stored(client, asker):
    late = make_challenge(round=make_round(opened_days_ago=21.01))  # questions closed 15 minutes ago
    assert late.is_open  # the call itself is still open
    response = ask(client, asker, late)
    assert response.status_code == 403
    page = response.content.decode()
    assert CLOSED in page
    assert QUESTION in page  # shown back so it is not lost
    assert not Clarification.objects.exists()
    assert not ChallengeFollow.objects.exists()


def test_a_question_just_before_the_deadline_is_accepted(client, asker):
    on_time = make_challenge(round=make_round(opened_days_ago=20.99))
    assert ask(client, asker, on_time).status_code == 302
    assert Clarification.objects.count() == 1


def test_the_section_shows_why_no_question_can_be_asked(client, asker, sponsor, challenge):
    closed = make_challenge(title="Predict rail delays", round=make_round(opened_days_ago=22))
    upcoming = make_challenge(title="Tidy the parks", round=make_round(opened_days_ago=-3))
    opens = timezone.localtime(upcoming.round.call_opens)
    not_yet = f"Clarification questions open with the call on {opens.day} {opens:%B %Y}."
    for page, reason in ((closed, CLOSED), (upcoming, not_yet)):
        html = public_html(client, page)
        assert reason in html
        assert 'name="question"' not in html
        assert "Sign in to ask" not in html  # signing in would not help
        client.force_login(asker)
        html = client.get(page.url).content.decode()
        assert reason in html
        assert CLOSED not in html or page is closed  # an upcoming call's questions are not "closed"
        assert 'name="question"' not in html
        client.logout()

    html = public_html(client, challenge)
    assert 'name="question"' not in html
    login = reverse("account_login")
    assert (
        f'href="{login}?next=%2Fchallenges%2Fnhs-lothian%2Freduce-missed-hospital-appointments%2F%23questions"' in html
    )
    assert "Follow this challenge" not in html

    client.force_login(sponsor)
    html = client.get(challenge.url).content.decode()
    assert "you answer questions rather than ask them" in html
    assert 'name="question"' not in html

    client.force_login(asker)
    html = client.get(challenge.url).content.decode()
    assert 'name="question"' in html
    assert f'action="{ask_url(challenge)}"' in html
    assert "Follow this challenge" in html


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter your question"),
        ("   \n  ", "Enter your question"),
        ("x" * 2001, "Your question must be 2,000 characters or fewer (it has 2001)"),
    ],
)
def test_a_bad_question_keeps_what_was_typed_with_a_specific_message(client, challenge, asker, typed, message):
    response = ask(client, asker, challenge, typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert 'class="ds_error-summary"' in page
    assert "<title>Error: " in page
    if typed.strip():
        assert typed in page
    assert 'maxlength="2000"' not in page  # the browser must not cut it silently
    assert not Clarification.objects.exists()


def test_a_question_of_exactly_2000_characters_is_accepted(client, challenge, asker):
    assert ask(client, asker, challenge, "y" * 2000).status_code == 302
    assert len(Clarification.objects.get().question) == 2000


def test_a_sponsor_cannot_ask_about_its_own_challenge(client, challenge, sponsor):
    response = ask(client, sponsor, challenge)
    assert response.status_code == 403
    assert "you answer questions rather than ask them" in response.content.decode()
    assert not Clarification.objects.exists()


def test_a_signed_out_question_is_refused_with_a_way_to_sign_in(client, challenge):
    response = ask(client, None, challenge)
    assert response.status_code == 403
    page = response.content.decode()
    assert "Sign in to ask a clarification question." in page
    assert f"{reverse('account_login')}?next=" in page
    assert QUESTION in page
    assert not Clarification.objects.exists()


def test_opening_the_ask_address_goes_to_the_questions_on_the_challenge(client, challenge):
    response = client.get(ask_url(challenge))
    assert response.status_code == 302
    assert response.url == challenge.url + "#questions"


def test_a_drafts_questions_cannot_be_reached(client, asker, sponsor):
    draft = make_challenge(live=False)
    client.force_login(asker)
    assert client.get(draft.url).status_code == 404
    assert client.post(ask_url(draft), {"question": QUESTION}).status_code == 404
    assert client.post(reverse("challenges:follow", args=[draft.pk])).status_code == 404
    assert not Clarification.objects.exists()
    assert not ChallengeFollow.objects.exists()


def test_unpublishing_a_challenge_hides_its_answers(client, on_commit, challenge, asker, sponsor):
    ask(client, asker, challenge)
    answer(client, on_commit, sponsor, Clarification.objects.get())
    assert ANSWER in public_html(client, challenge)
    challenge.unpublish()
    assert client.get(challenge.url).status_code == 404
    assert client.post(ask_url(challenge), {"question": QUESTION}).status_code == 404


def test_the_editors_preview_shows_answers_but_no_forms(rf, challenge, asker):
    request = rf.get(challenge.url)
    request.user = asker
    request.is_preview = True
    context = questions_context(request, challenge)
    assert context["questions_preview"] is True
    assert context["question_ask_allowed"] is False
    assert "follow_url" not in context


# --- Answering ------------------------------------------------------------------------------------
def test_published_answers_are_public_and_never_name_who_asked(client, on_commit, challenge, asker, sponsor):
    ask(client, asker, challenge)
    ask(client, asker, challenge, "Is a declined question ever published?")
    ask(client, asker, challenge, "Will this one still be waiting?")
    published, declined, waiting = Clarification.objects.order_by("pk")

    client.force_login(sponsor)
    assert client.get(reverse("challenges:answer", args=[published.pk])).status_code == 200
    assert answer(client, on_commit, sponsor, published).status_code == 302
    assert answer(client, on_commit, sponsor, declined, text="", action="decline").status_code == 302

    html = public_html(client, challenge)
    assert QUESTION in html
    assert ANSWER in html
    assert declined.question not in html
    assert waiting.question not in html
    assert_never_names(html, asker)

    (email,) = mail.outbox  # only the published answer is emailed, to the one follower
    assert email.to == [asker.email]
    assert QUESTION in email.body
    assert ANSWER in email.body
    assert challenge.url + "#questions" in email.body
    assert_never_names(email.body.replace(asker.email, ""), asker)
    assert_never_names(email.subject, asker)


def test_the_answerer_sees_the_question_but_not_who_asked(client, challenge, asker, sponsor):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    client.force_login(sponsor)
    for url in (reverse("challenges:answer_list"), reverse("challenges:answer", args=[clarification.pk])):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert QUESTION in page
        assert_never_names(page, asker)


def test_each_follower_is_emailed_once_even_if_the_answer_flow_runs_again(client, on_commit, challenge, asker, sponsor):
    follower = UserFactory(email="follower@example.com")
    client.force_login(follower)
    client.post(reverse("challenges:follow", args=[challenge.pk]), {"action": "follow"})
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()

    assert answer(client, on_commit, sponsor, clarification).status_code == 302
    assert sorted(email.to[0] for email in mail.outbox) == [follower.email, asker.email]

    again = answer(client, on_commit, sponsor, clarification, text="A different answer")
    assert again.status_code == 409
    assert "This question has already been dealt with." in again.content.decode()
    declined = answer(client, on_commit, sponsor, clarification, action="decline")
    assert declined.status_code == 409
    with on_commit():
        services._notify_followers(Clarification.objects.get())  # the notify step itself, re-run
    assert len(mail.outbox) == 2
    clarification.refresh_from_db()
    assert (clarification.status, clarification.answer) == ("published", ANSWER)


def test_a_decline_racing_an_answer_cannot_hide_the_published_answer(challenge, asker, sponsor):
    stale = services.clarification_ask(challenge=challenge, by=asker, question=QUESTION)
    services.clarification_answer(clarification=Clarification.objects.get(), by=sponsor, answer=ANSWER)
    assert stale.status == "awaiting"  # what a second answerer's request loaded before the answer landed
    with pytest.raises(DomainError, match="already been dealt with"):
        services.clarification_decline(clarification=stale, by=sponsor)
    assert Clarification.objects.get().status == "published"


def test_someone_who_follows_after_an_answer_hears_only_about_later_answers(
    client, on_commit, challenge, asker, sponsor
):
    ask(client, asker, challenge)
    answer(client, on_commit, sponsor, Clarification.objects.get())
    late = UserFactory(email="late@example.com")
    client.force_login(late)
    client.post(reverse("challenges:follow", args=[challenge.pk]), {"action": "follow"})
    ask(client, asker, challenge, "A second question?")
    answer(
        client, on_commit, sponsor, Clarification.objects.get(question="A second question?"), text="A second answer."
    )
    to_late = [email for email in mail.outbox if email.to == [late.email]]
    assert len(to_late) == 1
    assert "A second answer." in to_late[0].body


def test_a_sponsor_of_another_organisation_cannot_answer(client, on_commit, challenge, asker):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    outsider = other_sponsor()
    client.force_login(outsider)
    url = reverse("challenges:answer", args=[clarification.pk])
    reason = "Only the challenge&#x27;s sponsor or the CivTech team can answer its questions."
    response = client.get(url)
    assert response.status_code == 403
    assert reason in response.content.decode()
    for action in ("answer", "decline"):
        response = answer(client, on_commit, outsider, clarification, action=action)
        assert response.status_code == 403
        assert reason in response.content.decode()
    clarification.refresh_from_db()
    assert clarification.status == "awaiting"
    assert not mail.outbox
    assert QUESTION not in client.get(reverse("challenges:answer_list")).content.decode()


def test_an_applicant_cannot_answer(client, on_commit, challenge, asker):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    assert answer(client, on_commit, asker, clarification).status_code == 403
    assert Clarification.objects.get().status == "awaiting"


def test_programme_staff_can_answer_any_challenge(client, on_commit, challenge, asker):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    staff = staff_user()
    client.force_login(staff)
    assert QUESTION in client.get(reverse("challenges:answer_list")).content.decode()
    assert answer(client, on_commit, staff, clarification).status_code == 302
    clarification.refresh_from_db()
    assert (clarification.status, clarification.answered_by) == ("published", staff)
    assert len(mail.outbox) == 1


def test_an_empty_answer_is_refused_and_nothing_is_published(client, on_commit, challenge, asker, sponsor):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    response = answer(client, on_commit, sponsor, clarification, text="   ")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the answer" in page
    assert 'class="ds_error-summary"' in page
    assert Clarification.objects.get().status == "awaiting"
    assert not mail.outbox


def test_a_declined_question_is_not_published_and_the_asker_sees_it_was_not_answered(
    client, on_commit, challenge, asker, sponsor
):
    ask(client, asker, challenge)
    clarification = Clarification.objects.get()
    response = answer(client, on_commit, sponsor, clarification, text="", action="decline")
    assert response.status_code == 302
    assert Clarification.objects.get().status == "declined"
    assert not mail.outbox
    assert QUESTION not in public_html(client, challenge)
    client.force_login(asker)
    page = client.get(challenge.url).content.decode()
    assert "Not answered" in page
    # The answer page says what happened, without a form.
    client.force_login(sponsor)
    page = client.get(reverse("challenges:answer", args=[clarification.pk])).content.decode()
    assert "This question was declined" in page
    assert 'name="answer"' not in page


def test_the_answer_list_shows_only_waiting_questions_on_the_sponsors_challenges(client, challenge, asker, sponsor):
    other = make_challenge(title="Fix the potholes")
    ask(client, asker, challenge)
    ask(client, asker, other, "A question for another sponsor?")
    client.force_login(sponsor)
    page = client.get(reverse("challenges:answer_list")).content.decode()
    assert QUESTION in page
    assert "A question for another sponsor?" not in page
    Clarification.objects.filter(question=QUESTION).update(status="declined")
    page = client.get(reverse("challenges:answer_list")).content.decode()
    assert QUESTION not in page
    assert "There are no questions waiting for an answer." in page


def test_the_answer_list_needs_sign_in(client):
    response = client.get(reverse("challenges:answer_list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_answer_list_runs_a_constant_number_of_queries(client, challenge, asker):
    staff = staff_user()
    ask(client, asker, challenge)
    client.force_login(staff)
    client.get(reverse("challenges:answer_list"))  # warm the site-root cache
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("challenges:answer_list"))
    for n in range(5):
        ask(client, asker, make_challenge(title=f"Challenge {n}"), f"Question {n}?")
    client.force_login(staff)
    # New public content supersedes the page's shared parts (site, footer): they are made again once, then kept.
    client.get(reverse("challenges:answer_list"))
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("challenges:answer_list"))
    assert response.content.decode().count('href="/questions/') == 6
    assert len(six) == len(one)


# --- Following ------------------------------------------------------------------------------------
def test_following_and_unfollowing(client, challenge):
    user = UserFactory()
    client.force_login(user)
    url = reverse("challenges:follow", args=[challenge.pk])
    response = client.post(url, {"action": "follow"})
    assert response.status_code == 302
    assert response.url == challenge.url + "#questions"
    assert ChallengeFollow.objects.filter(user=user).count() == 1
    client.post(url, {"action": "follow"})  # a double submit changes nothing
    assert ChallengeFollow.objects.filter(user=user).count() == 1
    page = client.get(challenge.url).content.decode()
    assert "Stop following this challenge" in page
    client.post(url, {"action": "unfollow"})
    assert not ChallengeFollow.objects.filter(user=user).exists()
    client.post(url)  # no action: a toggle
    assert ChallengeFollow.objects.filter(user=user).exists()
    client.post(url)
    assert not ChallengeFollow.objects.filter(user=user).exists()


def test_an_unfollowed_asker_is_not_emailed(client, on_commit, challenge, asker, sponsor):
    ask(client, asker, challenge)
    client.post(reverse("challenges:follow", args=[challenge.pk]), {"action": "unfollow"})
    answer(client, on_commit, sponsor, Clarification.objects.get())
    assert not mail.outbox


def test_following_needs_sign_in_and_a_post(client, challenge):
    url = reverse("challenges:follow", args=[challenge.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not ChallengeFollow.objects.exists()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 405
    assert client.post(reverse("challenges:follow", args=[999999])).status_code == 404


def test_everyone_who_has_started_an_application_hears_of_a_new_answer(on_commit):
    """Not only followers: members of any organisation with an application to the challenge are told."""
    from applications.models import Application
    from challenges.services import clarification_answer, clarification_ask
    from tests.factories import make_applicant, make_application

    application = make_application()
    challenge = application.challenge
    colleague = make_applicant(organisation=application.organisation)
    asker = make_applicant()
    question = clarification_ask(challenge=challenge, by=asker, question="Is the data anonymised?")
    with on_commit():
        clarification_answer(clarification=question, by=staff_user(), answer="Yes, fully.")
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == sorted([asker.email, application.created_by.email, colleague.email])
    assert Application.objects.count() == 1


def test_questions_open_at_the_exact_instant_the_call_opens_and_not_a_microsecond_before(asker):
    from datetime import timedelta

    from civtech.permissions import has_permission

    challenge = make_challenge(round=make_round(opened_days_ago=-1))
    opens = challenge.round.call_opens
    for instant, allowed in ((opens - timedelta(microseconds=1), False), (opens, True)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(timezone, "now", lambda instant=instant: instant)
            assert challenge.questions_open is allowed
            assert has_permission("challenge.ask", asker, challenge)[0] is allowed
