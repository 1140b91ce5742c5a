"""The lists people see of their own things cost the same queries for a few rows and for many (issue #22 item 4):
their organisations (and the dashboard that lists them), an organisation's members and invitations, an application's
supporting files, and the public lessons library and events page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.services.submission import attachment_add
from organisations.services import invitation_send, membership_add
from sprints.services.outcomes import lesson_publish, lesson_record
from tests.factories import (
    OrganisationFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_demo_day,
    make_engagement,
    make_round,
    staff_user,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def queries(client, url: str) -> int:
    client.get(url)  # shared parts made again after new public content, then kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_flat(client, urls: dict[str, str], grow, few: int, many: int) -> None:
    """Grow to `few`, count each page's queries, grow by `many` more: no page runs more queries than it did."""
    grow(few)
    before = {label: queries(client, url) for label, url in urls.items()}
    grow(many)
    after = {label: queries(client, url) for label, url in urls.items()}
    assert {label: (before[label], after[label]) for label in urls if after[label] > before[label]} == {}


def test_a_persons_organisations_members_and_files_cost_the_same_for_few_and_many(client):
    applicant = make_applicant()
    own = applicant.memberships.get().organisation
    application = make_application(applicant=applicant)
    made = []

    def grow(times: int) -> None:
        for _ in range(times):
            n = len(made)
            membership_add(
                organisation=OrganisationFactory(name=f"Partner {n}"), user=applicant, role="member", by=None
            )
            membership_add(organisation=own, user=UserFactory(), role="member", by=None)
            invitation_send(organisation=own, email=f"invitee{n}@example.com", role="member", by=applicant)
            upload = SimpleUploadedFile(f"evidence-{n}.pdf", PDF, content_type="application/pdf")
            attachment_add(application=application, by=applicant, upload=upload)
            made.append(n)

    urls = {
        "organisations": reverse("organisations:list"),
        "an organisation": reverse("organisations:detail", args=[own.slug]),
        "dashboard": reverse("accounts:dashboard"),
        "supporting files": reverse("applications:attachments", args=[application.pk]),
    }
    client.force_login(applicant)
    assert_flat(client, urls, grow, few=1, many=7)
    assert "Partner 7" in client.get(urls["organisations"]).content.decode()
    assert "invitee7@example.com" in client.get(urls["an organisation"]).content.decode()


def test_the_lessons_library_and_the_events_page_cost_the_same_for_few_and_many(client):
    staff = staff_user()
    made = []

    def grow(times: int) -> None:
        for _ in range(times):
            n = len(made)
            team = make_applicant()
            engagement = make_engagement(applicant=team, by=staff)
            lesson = lesson_record(
                engagement=engagement, by=team, what_worked=f"Worked {n}", what_did_not="Slow", differently="Sooner"
            )
            lesson_publish(lesson=lesson, by=staff)
            make_demo_day(round=make_round(opened_days_ago=200), title=f"Demo Day {n}", slug=f"demo-day-{n}")
            made.append(n)

    urls = {"lessons": reverse("sprints:lessons_library"), "events": "/events/"}
    assert_flat(client, urls, grow, few=1, many=6)
    assert "Worked 6" in client.get(urls["lessons"]).content.decode()
    assert "Demo Day 6" in client.get(urls["events"]).content.decode()
