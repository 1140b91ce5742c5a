"""Every application URL, requested by every kind of person after the call has closed: one table of outcomes.

An application with a private file, three assessors (undeclared, conflicted, cleared) and one who is not
assigned. Refusals are checked by URL, so a view that forgot its permission check fails here.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.services import application_submit, attachment_add
from applications.services.assessment import assignment_create, assignment_declare
from organisations.services import membership_add
from tests.applications.evaluation import close_call
from tests.factories import (
    ALL_DECLARED,
    PublicBodyFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
    staff_user,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Outcome per person for (read pages, private file, pages that change it, sponsor view, evaluation admin).
# "login": sent to sign in; 200/302: allowed; 403: refused with the reason. Nobody may change it after closing.
OK, LOGIN, NO = "ok", "login", "no"
EXPECTED = {
    "anonymous": (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    "owner": (OK, OK, NO, OK, NO),
    "other_company": (NO, NO, NO, NO, NO),
    "sponsor_of_this_challenge": (OK, OK, NO, OK, NO),
    "sponsor_of_another": (NO, NO, NO, NO, NO),
    "assessor_unassigned": (NO, NO, NO, NO, NO),
    "assessor_undeclared": (NO, NO, NO, NO, NO),
    "assessor_conflicted": (NO, NO, NO, NO, NO),
    "assessor_cleared": (OK, OK, NO, OK, NO),
    "programme_staff": (OK, OK, NO, OK, OK),
}


@pytest.fixture
def world():
    sponsor_body = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor_body)
    application = make_application(challenge=challenge)
    attachment = attachment_add(
        application=application, by=application.created_by, upload=SimpleUploadedFile("plan.pdf", PDF)
    )
    application_submit(application_id=application.pk, by=application.created_by, declarations=ALL_DECLARED)
    application.refresh_from_db()
    close_call(challenge.round)
    staff = staff_user()

    def person(role, organisation=None):
        user = UserFactory(role=role, mfa=True)
        if organisation is not None:
            membership_add(organisation=organisation, user=user, role="member", by=None)
        return user

    people = {
        "owner": application.created_by,
        "other_company": make_applicant(),
        "sponsor_of_this_challenge": person(Role.SPONSOR, sponsor_body),
        "sponsor_of_another": person(Role.SPONSOR, PublicBodyFactory()),
        "assessor_unassigned": person(Role.ASSESSOR),
        "assessor_undeclared": person(Role.ASSESSOR),
        "assessor_conflicted": person(Role.ASSESSOR),
        "assessor_cleared": person(Role.ASSESSOR),
        "programme_staff": staff,
    }
    for who in ("assessor_undeclared", "assessor_conflicted", "assessor_cleared"):
        assignment = assignment_create(application=application, assessor=people[who], by=staff)
        if who != "assessor_undeclared":
            conflicted = who == "assessor_conflicted"
            assignment_declare(assignment=assignment, by=people[who], has_conflict=conflicted, details="Adviser.")
    return application, attachment, people


def urls(application, attachment) -> tuple[list[str], list[str], list[tuple[str, dict]], list[str], list[str]]:
    pk = application.pk
    read = [reverse("applications:overview", args=[pk]), reverse("applications:check", args=[pk])]
    files = [reverse("applications:download", args=[pk, attachment.pk])]
    change = [
        (reverse("applications:section", args=[pk, "idea"]), {"idea": "Tampered"}),
        (reverse("applications:autosave", args=[pk, "idea"]), {"idea": "Tampered"}),
        (reverse("applications:remove", args=[pk, attachment.pk]), {}),
        (reverse("applications:withdraw", args=[pk]), {}),
        (reverse("applications:check", args=[pk]), {**{k: "on" for k in ALL_DECLARED}}),
    ]
    sponsor = [reverse("applications:sponsor_application", args=[pk])]
    admin = [
        reverse("evaluation:index"),
        reverse("evaluation:board", args=[application.challenge_id]),
        reverse("evaluation:moderate", args=[pk, "application"]),
    ]
    return read, files, change, sponsor, admin


def outcome(response) -> str:
    if response.status_code in (200, 302) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    if response.status_code == 302 and "/admin/login/" in response.get("Location", ""):
        return LOGIN
    if response.status_code == 302 and response["Location"] == "/admin/":
        return NO  # Wagtail turns a refusal inside the admin into a redirect home with the message
    if response.status_code == 200 or (response.status_code == 302 and "login" not in response["Location"]):
        return OK
    assert response.status_code in (403, 404), response.status_code
    return NO


@pytest.mark.parametrize("who", EXPECTED)
def test_every_application_url_for_every_person(client, world, who):
    application, attachment, people = world
    if who != "anonymous":
        client.force_login(people[who])
    read, files, change, sponsor, admin = urls(application, attachment)
    expected = dict(zip(["read", "files", "change", "sponsor", "admin"], EXPECTED[who], strict=True))
    for url in read:
        assert outcome(client.get(url)) == expected["read"], url
    for url in files:
        response = client.get(url)
        assert outcome(response) == expected["files"], url
        if expected["files"] == OK:
            assert b"".join(response.streaming_content) == PDF
    for url, data in change:
        got = outcome(client.post(url, data))
        assert got in ({LOGIN, NO} if expected["change"] == LOGIN else {NO}), (url, got)
    for url in sponsor:
        assert outcome(client.get(url)) == expected["sponsor"], url
    for url in admin:
        got = outcome(client.get(url))
        # Wagtail sends people without admin access to its own sign-in: that counts as a refusal here
        assert got == expected["admin"] or (expected["admin"] == NO and got == LOGIN), (url, got)
    application.refresh_from_db()
    assert application.answers["idea"] != "Tampered" and application.status == "submitted"
    assert application.attachments.count() == 1
