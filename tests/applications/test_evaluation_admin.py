"""Programme staff's evaluation pages in the Wagtail admin: progress, board, assignment, moderation, decisions."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from applications.models import Application, Assignment, Moderation
from applications.services.assessment import assignment_create
from organisations.services import membership_add
from tests.applications.evaluation import closed_challenge_with, score
from tests.conftest import response_text
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = staff_user()
    client.force_login(user)
    return user


@pytest.fixture
def board(staff):
    challenge, applications = closed_challenge_with(3, title="Fewer missed appointments")
    for application in applications:
        score(application, [4, 3, 3, 3], by_staff=staff)
    return challenge, applications


def board_url(challenge, stage="application"):
    return reverse("evaluation:board", args=[challenge.pk]) + f"?stage={stage}"


def test_progress_per_challenge(client, board):
    _challenge, _ = board
    html = client.get(reverse("evaluation:index")).content.decode()
    assert "Fewer missed appointments" in html
    assert "3 of 3 (100%)" in html


@pytest.mark.parametrize("n", [1, 4])
def test_progress_page_runs_constant_queries(client, staff, django_assert_max_num_queries, n):
    for i in range(n):
        closed_challenge_with(2, title=f"Challenge {i}")
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluation:index"))
    assert response.content.decode().count("<td><a href=") == n


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.ASSESSOR])
def test_sponsors_and_assessors_are_refused_every_evaluation_page(client, board, role):
    challenge, (application, *_) = board
    user = UserFactory(role=role, mfa=True)
    membership_add(organisation=challenge.sponsor, user=user, role="admin", by=None)
    client.force_login(user)
    for url in [
        reverse("evaluation:index"),
        board_url(challenge),
        reverse("evaluation:moderate", args=[application.pk, "application"]),
    ]:
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"action": "decide", "decide-chosen": [application.pk]}).status_code in (302, 403)
    assert Application.objects.get(pk=application.pk).status == "submitted"


def test_the_evaluation_views_refuse_anyone_but_staff_with_the_reason(client, board):
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=board[0].sponsor, user=sponsor, role="admin", by=None)
    client.force_login(sponsor)
    # The admin's scope refuses sponsors first, with its own reason (accounts/admin_scope.py)...
    html = client.get(reverse("evaluation:index"), follow=True).content.decode()
    assert "This page is for the CivTech team." in html
    assert "Sorry, you do not have permission to access this area" not in html


def test_the_evaluation_views_themselves_refuse_anyone_but_staff_with_the_reason(rf, board):
    """...and the views say why on their own (AdminRefusalMixin shows it back in the admin, not Wagtail's
    generic refusal), should anyone else reach them."""
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from applications.views.admin import EvaluationIndexView

    request = rf.get("/")
    request.user = UserFactory(role=Role.SPONSOR)
    request.session = {}
    request._messages = FallbackStorage(request)
    response = EvaluationIndexView.as_view()(request)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert [str(m) for m in get_messages(request)] == ["Only the CivTech team evaluates applications."]


def test_the_board_ranks_and_shows_each_assessors_total(client, board):
    challenge, applications = board
    html = client.get(board_url(challenge)).content.decode()
    for application in applications:
        assert application.reference in html
    assert "68.0%" in html  # 4/5 × 40 + 3/5 × 60 = 32 + 36


def test_assigning_assessors_per_challenge(client, board):
    challenge, _applications = board
    assessor = UserFactory(role=Role.ASSESSOR)
    response = client.post(
        board_url(challenge), {"action": "assign", "stage": "application", "assessors": [assessor.pk]}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(assessor=assessor).count() == 3


def test_assessors_who_share_a_name_can_be_told_apart_in_the_picker(client, board):
    challenge, _applications = board
    twins = [UserFactory(role=Role.ASSESSOR, first_name="Product", last_name="Owner", email=f"po{n}@nhs.example")
             for n in (1, 2)]  # fmt: skip
    UserFactory(role=Role.ASSESSOR, first_name="", last_name="", email="nameless@nhs.example")
    html = unescape(client.get(board_url(challenge)).content.decode())
    for twin in twins:
        assert f"Product Owner ({twin.email})" in html
    assert "nameless@nhs.example" in html and "(nameless@nhs.example)" not in html


def test_assigning_nobody_says_so(client, board):
    challenge, _ = board
    response = client.post(board_url(challenge), {"action": "assign", "stage": "application"})
    assert response.status_code == 200
    assert "Choose at least one assessor." in response.content.decode()


def test_a_refused_decision_keeps_the_choice_and_changes_nothing(client, board):
    challenge, (a, _b, _c) = board
    response = client.post(board_url(challenge), {"action": "decide", "stage": "application", "decide-chosen": [a.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Confirm that the other applicants will be told" in html
    assert html.count("checked") == 1  # the choice made is still ticked
    response = client.post(
        board_url(challenge),
        {"action": "decide", "stage": "application", "decide-chosen": [a.pk], "decide-confirm": "on"},
    )
    # b and c have no feedback yet: nobody may be turned down without it
    assert "Write feedback, when you moderate" in response.content.decode()
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}


def test_tampered_choices_are_refused(client, board):
    challenge, _ = board
    response = client.post(
        board_url(challenge),
        {"action": "decide", "stage": "application", "decide-chosen": ["999999"], "decide-confirm": "on"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_moderating_then_shortlisting_through_the_pages(client, staff, board):
    challenge, (a, b, c) = board
    for application in (a, b, c):
        url = reverse("evaluation:moderate", args=[application.pk, "application"])
        response = client.post(
            url,
            {
                "action": "moderate",
                "moderate-score": "70",
                "moderate-rationale": "Agreed.",
                "moderate-feedback": "Thanks.",
            },
        )
        assert response.status_code == 302
    response = client.post(
        board_url(challenge),
        {"action": "decide", "stage": "application", "decide-chosen": [a.pk, b.pk], "decide-confirm": "on"},
    )
    assert response.status_code == 302
    assert [Application.objects.get(pk=x.pk).status for x in (a, b, c)] == [
        "shortlisted",
        "shortlisted",
        "unsuccessful",
    ]


def test_a_bad_moderated_score_keeps_what_was_typed(client, board):
    _, (a, *_) = board
    url = reverse("evaluation:moderate", args=[a.pk, "application"])
    response = client.post(
        url, {"action": "moderate", "moderate-score": "lots", "moderate-rationale": "My careful reasoning"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the moderated score as a number from 0 to 100." in html
    assert "My careful reasoning" in html and 'value="lots"' in html
    assert not Moderation.objects.exists()


def test_interview_invitation_through_the_page(client, staff, board):
    challenge, (a, _b, _c) = board
    Application.objects.filter(pk=a.pk).update(status=Application.Status.SHORTLISTED)
    url = reverse("evaluation:moderate", args=[a.pk, "interview"])
    too_early = timezone.localtime(challenge.round.interviews_start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "interview", "interview-at": too_early, "interview-details": "Online"})
    assert "the round's interview dates" in unescape(response.content.decode())
    assert "Online</textarea>" in response.content.decode()  # what was typed is kept
    ok = timezone.localtime(challenge.round.interviews_start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "interview", "interview-at": ok, "interview-details": "Online"})
    assert response.status_code == 302
    assert Application.objects.get(pk=a.pk).status == Application.Status.INTERVIEW


def test_scores_export(client, board):
    _, (a, *_) = board
    response = client.get(reverse("wagtailsnippets_applications_score:list") + "?export=csv")
    text = response_text(response)
    assert a.reference in text and "How well the idea solves the challenge" in text


def test_the_admin_cannot_edit_a_score(client, board):
    _, (a, *_) = board
    score_pk = a.assignments.first().scores.first().pk
    response = client.get(reverse("wagtailsnippets_applications_score:edit", args=[score_pk]))
    assert response.status_code in (302, 403)


def test_unassigned_assessor_sees_nothing_in_the_queue(client, board):
    _, (a, *_) = board
    other = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment_create(application=a, assessor=UserFactory(role=Role.ASSESSOR), by=staff_user())
    client.force_login(other)
    assert a.reference not in client.get(reverse("applications:assess_queue")).content.decode()


@pytest.mark.parametrize("stage", ["application", "interview", "nonsense"])
def test_the_moderation_page_shows_every_score_and_comment(client, board, stage):
    _, (a, *_) = board
    response = client.get(reverse("evaluation:moderate", args=[a.pk, stage]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    if stage == "interview":
        assert "No scores submitted yet." in html
    else:  # an unknown stage falls back to the written application
        assert "How well the idea solves the challenge: 4" in html and "Save moderation" in html


def test_an_unknown_application_is_a_404(client, staff):
    assert client.get(reverse("evaluation:moderate", args=[999999, "application"])).status_code == 404
    assert client.get(reverse("evaluation:board", args=[999999])).status_code == 404
