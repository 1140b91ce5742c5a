"""Every refusal says why, where the person is: on the applicant's pages, the assessor's, and staff's evaluation
pages in the admin — never Wagtail's generic "Sorry, you do not have permission to access this area". Forms that
cannot be used yet (moderation and decisions while the call is open) are shown disabled with the reason."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts.roles import Role
from applications.models import Application, Moderation
from applications.services import application_submit, attachment_add
from applications.services.assessment import assignment_create, assignment_declare, criteria_for, scores_submit
from challenges.models import Round
from civtech.errors import AdminRefusalMixin
from organisations.services import membership_add
from tests.applications.evaluation import close_call
from tests.factories import ALL_DECLARED, GOOD_ANSWERS, UserFactory, make_application, make_challenge, staff_user

pytestmark = pytest.mark.django_db
GENERIC = "Sorry, you do not have permission to access this area"
NOT_CLOSED = "Applications can be moderated only after the call closes."
DEADLINE = "The deadline has passed, so this application can no longer change."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Staff's evaluation pages on an open call ----------------------------------------------------------------
@pytest.fixture
def open_call(client):
    """Two submitted applications to a challenge whose call is still open, and staff signed in."""
    challenge = make_challenge(title="Still open")
    applications = []
    for _ in range(2):
        application = make_application(challenge=challenge)
        application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
        application.refresh_from_db()
        applications.append(application)
    client.force_login(staff_user())
    return challenge, applications


def board_url(challenge):
    return reverse("evaluation:board", args=[challenge.pk]) + "?stage=application"


def test_the_decision_form_is_shown_disabled_with_the_reason_while_the_call_is_open(client, open_call):
    challenge, _ = open_call
    html = client.get(board_url(challenge)).content.decode()
    assert "Shortlist the chosen applications" in html
    assert "<fieldset disabled>" in html and NOT_CLOSED in html
    assert "Assessment starts when the call closes" in html  # assignments can be prepared, and say when they open


def test_deciding_on_an_open_call_shows_the_reason_on_the_board(client, open_call):
    challenge, (a, _b) = open_call
    response = client.post(
        board_url(challenge),
        {"action": "decide", "stage": "application", "decide-chosen": [a.pk], "decide-confirm": "on"},
    )
    html = response.content.decode()
    assert response.status_code == 403
    assert NOT_CLOSED in html and GENERIC not in html
    assert html.count("checked") == 2  # what was chosen and confirmed is kept
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}


def test_moderating_on_an_open_call_is_disabled_and_refused_with_the_reason(client, open_call):
    _, (application, _) = open_call
    url = reverse("evaluation:moderate", args=[application.pk, "application"])
    html = client.get(url).content.decode()
    assert NOT_CLOSED in html and "<fieldset disabled>" in html
    response = client.post(url, {"action": "moderate", "moderate-score": "70", "moderate-rationale": "Strong."})
    html = response.content.decode()
    assert response.status_code == 403 and NOT_CLOSED in html and GENERIC not in html
    assert "Strong." in html  # the rationale typed is kept
    assert not Moderation.objects.exists()


def test_after_the_call_closes_the_decision_form_is_usable(client, open_call):
    challenge, _ = open_call
    close_call(challenge.round)
    html = client.get(board_url(challenge)).content.decode()
    assert "<fieldset disabled>" not in html and NOT_CLOSED not in html


def test_a_sponsor_in_the_admin_is_told_why_not_wagtails_generic_message(client, open_call):
    challenge, (application, _) = open_call
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=challenge.sponsor, user=sponsor, role="admin", by=None)
    client.force_login(sponsor)
    for url in (
        reverse("evaluation:index"),
        board_url(challenge),
        reverse("evaluation:moderate", args=[application.pk, "application"]),
    ):
        response = client.get(url, follow=True)
        html = response.content.decode()
        assert response.status_code == 403, url
        assert "This page is for the CivTech team." in html and GENERIC not in html, url


class _Refusing(AdminRefusalMixin, View):
    def get(self, request):
        raise PermissionDenied("Because the rule says so.")

    def post(self, request):
        raise PermissionDenied  # no reason to give: Wagtail's own handling applies


def _request(rf, method="get", **headers):
    request = getattr(rf, method)("/admin/evaluation/", headers=headers)
    request.user = staff_user()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_inside_the_admin_is_shown_as_its_reason_back_where_the_person_was(rf):
    request = _request(rf)
    response = _Refusing.as_view()(request)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert [str(m) for m in get_messages(request)] == ["Because the rule says so."]
    came_from = "http://testserver" + reverse("wagtailadmin_explore_root")
    assert _Refusing.as_view()(_request(rf, referer=came_from)).url == came_from
    # Not to another site, and not back to the page itself.
    assert _Refusing.as_view()(_request(rf, referer="https://elsewhere.example/")).url == reverse("wagtailadmin_home")
    assert _Refusing.as_view()(_request(rf, referer="http://testserver/admin/evaluation/")).url == reverse(
        "wagtailadmin_home"
    )
    with pytest.raises(PermissionDenied):
        _Refusing.as_view()(_request(rf, "post"))


# --- The applicant's pages after the deadline ----------------------------------------------------------------
@pytest.fixture
def too_late(client):
    """The applicant's submitted application with a file; the deadline passed while their pages were open."""
    application = make_application()
    attachment = attachment_add(
        application=application, by=application.created_by, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    Round.objects.filter(pk=application.challenge.round_id).update(call_closes=timezone.now() - timedelta(seconds=1))
    client.force_login(application.created_by)
    return application, attachment


def url(name, application, *args):
    return reverse(f"applications:{name}", args=[application.pk, *args])


def test_saving_a_section_after_the_deadline_keeps_what_was_typed_with_the_reason(client, too_late):
    application, _ = too_late
    response = client.post(url("section", application, "idea"), {"idea": "Typed as the clock ran out."})
    html = response.content.decode()
    assert response.status_code == 403
    assert DEADLINE in html and "Typed as the clock ran out." in html and "readonly" in html
    assert "Save and continue" not in html and "data-autosave-url" not in html
    application.refresh_from_db()
    assert application.answers["idea"] == GOOD_ANSWERS["idea"]
    # Opened afterwards, the section shows the saved answer, read-only, with the same reason.
    response = client.get(url("section", application, "idea"))
    assert response.status_code == 403 and DEADLINE in response.content.decode()


@pytest.mark.parametrize(
    ("page", "data", "heading"),
    [
        ("attachments", {"file": SimpleUploadedFile("more.pdf", PDF)}, "You cannot change the files"),
        ("withdraw", {}, "You cannot withdraw this application"),
        ("check", {k: "on" for k in ALL_DECLARED}, "Your application was not sent"),
    ],
)
def test_a_refused_post_comes_back_to_the_same_page_with_the_reason(client, too_late, page, data, heading):
    application, _ = too_late
    response = client.post(url(page, application), data)
    html = response.content.decode()
    assert response.status_code == 403
    assert heading in html and DEADLINE in html
    application.refresh_from_db()
    assert application.status == "submitted" and application.attachments.count() == 1
    assert application.versions.count() == 1


def test_removing_a_file_after_the_deadline_is_refused_on_the_files_page(client, too_late):
    application, attachment = too_late
    response = client.post(url("remove", application, attachment.pk))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Supporting files" in html and DEADLINE in html and "plan.pdf" in html
    assert application.attachments.count() == 1


def test_the_withdraw_page_after_the_deadline_has_no_button_and_says_why(client, too_late):
    application, _ = too_late
    response = client.get(url("withdraw", application))
    html = response.content.decode()
    assert response.status_code == 403 and DEADLINE in html and "Withdraw application</button>" not in html


def test_someone_elses_refusal_is_still_the_403_page_with_its_reason(client, too_late):
    application, _ = too_late
    sponsor = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=application.challenge.sponsor, user=sponsor, role="member", by=None)
    client.force_login(sponsor)
    response = client.post(url("section", application, "idea"), {"idea": "Tampered"})
    assert response.status_code == 403
    assert "Only members of the applying organisation can change this application." in response.content.decode()
    assert "Tampered" not in response.content.decode()


# --- The assessor's scoring page --------------------------------------------------------------------------
def test_scoring_twice_in_two_tabs_says_the_scores_are_already_in(client):
    application = make_application()
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    close_call(application.challenge.round)
    application.refresh_from_db()
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    assignment = assignment_create(application=application, assessor=assessor, by=staff_user())
    assignment_declare(assignment=assignment, by=assessor, has_conflict=False)
    criteria = criteria_for(application)
    scores_submit(assignment=assignment, by=assessor, scores={c.pk: (2, "First tab.") for c in criteria})
    client.force_login(assessor)
    data = {f"score_{c.pk}": "5" for c in criteria} | {f"comment_{c.pk}": "Second tab." for c in criteria}
    response = client.post(reverse("applications:assess_score", args=[assignment.pk]), data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "You have already submitted your scores for this application." in html
    assert assignment.scores.filter(value=2).count() == len(criteria)
