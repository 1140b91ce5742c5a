"""The staff endpoints: a programme staff token reads everything; anonymous clients, applicants and sponsors are
refused with the permission rule's reason, even where the web would show them their own records."""

import pytest
from rest_framework.test import APIClient

from civtech.permissions import has_permission
from tests.api.conftest import token_client
from tests.factories import make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db

STAFF_URLS = [
    "/api/v1/staff/applications/",
    "/api/v1/staff/scores/",
    "/api/v1/staff/impact-returns/",
    "/api/v1/staff/benefits/",
]


@pytest.mark.parametrize("url", STAFF_URLS)
def test_anonymous_clients_must_send_a_token(programme, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", STAFF_URLS)
def test_a_bad_token_is_refused(programme, url):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(url).status_code == 401


@pytest.mark.parametrize("url", STAFF_URLS)
@pytest.mark.parametrize("who", ["applicant", "sponsor"])
def test_applicants_and_sponsors_are_refused_with_the_reason(programme, url, who):
    user = programme.applicant if who == "applicant" else make_sponsor_member(programme.body, mfa=True)
    response = token_client(user).get(url)
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the CivTech team can use the staff API."}


def test_an_applicant_cannot_read_even_their_own_application(programme):
    own = programme.applicant.memberships.get().organisation.applications.get()
    response = token_client(programme.applicant).get(f"/api/v1/staff/applications/{own.pk}/")
    assert response.status_code == 403


def test_staff_read_applications_with_answers_and_filters(programme):
    client = token_client(staff_user())
    rows = client.get("/api/v1/staff/applications/?limit=500").json()["results"]
    assert {row["challenge"]["id"] for row in rows} >= {programme.open_call.pk, programme.evaluated.pk}
    # Answers keyed by question key, with the form version whose questions they answer.
    assert all(row["form_version"]["form"] == "CivTech application form" for row in rows)
    submitted = [row for row in rows if row["status"] != "draft"]
    assert submitted and all(row["answers"]["idea"].strip() for row in submitted)
    assert all(set(row["answers"]) <= {"idea", "innovation", "commercial", "team", "commitment",
                                       "equality_sustainability"} for row in rows)  # fmt: skip
    evaluated = client.get(f"/api/v1/staff/applications/?challenge={programme.evaluated.pk}").json()
    assert evaluated["count"] == 3
    assert client.get("/api/v1/staff/applications/?status=draft").json()["count"] == 0


def test_staff_read_scores(programme):
    from applications.models import Assignment, Score
    from challenges.models import Criterion

    staff = staff_user()
    application = programme.losers[0]
    assignment = Assignment.objects.create(application=application, assessor=staff, assigned_by=staff,
                                           has_conflict=False)  # fmt: skip
    criterion = Criterion.objects.filter(round=application.challenge.round).first()
    Score.objects.create(assignment=assignment, criterion=criterion, value=4, comment="Strong idea.")
    rows = token_client(staff).get(f"/api/v1/staff/scores/?challenge={application.challenge_id}").json()["results"]
    assert [(r["application"], r["criterion"], r["value"], r["comment"]) for r in rows] == [
        (application.pk, criterion.name, 4, "Strong idea.")
    ]


def test_staff_read_impact_returns_and_benefits_unverified_included(programme):
    from tests.factories import make_impact_return

    returned = make_impact_return(engagement=programme.explorers[0], jobs_created=5)
    client = token_client(staff_user())
    rows = client.get("/api/v1/staff/impact-returns/").json()["results"]
    assert [(r["id"], r["jobs_created"], r["verified_at"]) for r in rows if r["id"] == returned.pk] == [
        (returned.pk, 5, None)
    ]
    assert client.get("/api/v1/staff/impact-returns/?verified=true").json()["count"] == 0
    assert client.get("/api/v1/staff/benefits/").status_code == 200


def test_the_staff_api_asks_the_same_rules_as_the_web(programme):
    """The gate is the registered rule `api.staff`; each object is checked with the web's own rule."""
    from django.contrib.auth.models import AnonymousUser

    from api.views.staff import StaffApplicationViewSet, StaffBenefitViewSet, StaffImpactReturnViewSet
    from civtech.permissions import has_permission

    assert has_permission("api.staff", staff_user())[0]
    assert has_permission("api.staff", AnonymousUser()) == (
        False, "Send a programme staff API token (Authorization: Token <key>).",
    )  # fmt: skip
    assert StaffApplicationViewSet.object_rule == "application.view"
    assert StaffImpactReturnViewSet.object_rule == "impact_return.view"
    assert StaffBenefitViewSet.object_rule == "benefit.view"


@pytest.mark.parametrize("who", [None, object()], ids=["no user", "not a user"])
def test_a_request_without_a_user_is_asked_for_a_token_not_let_through(who):
    """Something that is not a user at all (DRF leaves `request.user` None when told to) is anonymous: the rule
    neither fails on it nor treats it as signed in."""
    assert has_permission("api.staff", who) == (
        False,
        "Send a programme staff API token (Authorization: Token <key>).",
    )
