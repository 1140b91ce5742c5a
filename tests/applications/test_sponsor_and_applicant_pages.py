"""The sponsor's view of applications to its own challenges, and what applicants see of decisions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.services import application_submit
from applications.services.decisions import moderation_record, shortlist_decide
from organisations.services import membership_add
from tests.applications.evaluation import close_call, closed_challenge_with, score
from tests.factories import ALL_DECLARED, PublicBodyFactory, UserFactory, make_application, make_challenge, staff_user

pytestmark = pytest.mark.django_db


def sponsor_of(challenge):
    user = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=challenge.sponsor, user=user, role="member", by=None)
    return user


def test_a_sponsor_sees_submitted_applications_after_the_call_closes(client):
    challenge = make_challenge(title="Closed challenge")
    application = make_application(challenge=challenge)
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    draft = make_application(challenge=challenge)  # started, never submitted
    close_call(challenge.round)
    client.force_login(sponsor_of(challenge))
    html = client.get(reverse("applications:sponsor_dashboard")).content.decode()
    assert "Closed challenge" in html and application.reference in html
    assert draft.organisation.name not in html
    response = client.get(reverse("applications:sponsor_application", args=[application.pk]))
    assert response.status_code == 200
    assert "A booking assistant that texts patients" in response.content.decode()


def test_a_sponsor_sees_nothing_before_the_call_closes(client):
    challenge = make_challenge(title="Open challenge")
    application = make_application(challenge=challenge)
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    client.force_login(sponsor_of(challenge))
    html = client.get(reverse("applications:sponsor_dashboard")).content.decode()
    assert "Open challenge" in html and "Applications will appear here when the call closes." in html
    assert application.reference not in html
    response = client.get(reverse("applications:sponsor_application", args=[application.pk]))
    assert response.status_code == 403
    assert "only after the call closes" in response.content.decode()


def test_a_sponsor_of_another_body_sees_nothing(client):
    _challenge, (application,) = closed_challenge_with(1, title="Someone else's challenge")
    other = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=PublicBodyFactory(), user=other, role="member", by=None)
    client.force_login(other)
    html = client.get(reverse("applications:sponsor_dashboard")).content.decode()
    assert "Someone else" not in html and "Your organisation has no challenges yet." in html
    assert client.get(reverse("applications:sponsor_application", args=[application.pk])).status_code == 403
    download = reverse("applications:download", args=[application.pk, 1])
    assert client.get(download).status_code in (403, 404)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    _challenge, (application,) = closed_challenge_with(1)
    for url in [
        reverse("applications:sponsor_dashboard"),
        reverse("applications:sponsor_application", args=[application.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("n", [1, 5])
def test_the_sponsor_dashboard_runs_constant_queries(client, django_assert_max_num_queries, n):
    body = PublicBodyFactory()
    for i in range(n):
        closed_challenge_with(2, title=f"Challenge {i}", sponsor=body)
    user = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=body, user=user, role="member", by=None)
    client.force_login(user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("applications:sponsor_dashboard"))
    assert response.content.decode().count("sponsor/applications/") >= 2 * n


def test_the_applicant_sees_the_decision_and_the_panels_feedback(client):
    staff = staff_user()
    challenge, (chosen, turned_down) = closed_challenge_with(2)
    for application in (chosen, turned_down):
        score(application, [3, 3, 3, 3], by_staff=staff)
        moderation_record(
            application=application, stage="application", score=Decimal("55"), rationale="Agreed.",
            feedback="The idea needs evidence of demand.", by=staff,
        )  # fmt: skip
    shortlist_decide(challenge=challenge, chosen=[chosen.pk], by=staff)
    client.force_login(turned_down.created_by)
    html = client.get(reverse("applications:overview", args=[turned_down.pk])).content.decode()
    assert "Feedback from the panel" in html and "The idea needs evidence of demand." in html
    assert "read the panel" in html
    client.force_login(chosen.created_by)
    html = client.get(reverse("applications:overview", args=[chosen.pk])).content.decode()
    assert "Shortlisting: Shortlisted" in html and "Feedback from the panel" not in html
    listing = client.get(reverse("applications:list")).content.decode()
    assert "Wait to hear from us about an interview time." in listing
