"""A workspace's pages cost the same queries for a few entries and for many (issue #22 item 4): its sprints and their
updates, deliverables and their versions, messages, meetings, documents, risks and the sponsor's view of each, as the
team and as the sponsor see them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sprints import services

pytestmark = pytest.mark.django_db

PAGES = ["overview", "plan", "deliverables", "messages", "meetings", "documents", "lessons"]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def grow(ws, times: int) -> None:
    e = ws.engagement
    for n in range(times):
        sprint = services.sprint_plan(
            engagement=e, by=ws.sponsor, starts_on=e.starts_on, ends_on=e.ends_on, goal=f"G{n}"
        )
        services.sprint_update_post(sprint=sprint, by=ws.team, done=f"Done {n}", next_steps="Next")
        version = services.deliverable_submit(engagement=e, by=ws.team, title=f"Deliverable {n}", description="It.")
        services.deliverable_submit(
            engagement=e, by=ws.team, deliverable=version.deliverable, title=f"Deliverable {n}", description="Again."
        )
        services.message_post(engagement=e, by=ws.team if n % 2 else ws.sponsor, body=f"Message {n}")
        services.meeting_record(engagement=e, by=ws.sponsor, title=f"Meeting {n}", starts_at=timezone.now())
        upload = SimpleUploadedFile(f"notes-{n}.pdf", PDF, content_type="application/pdf")
        services.document_upload(engagement=e, by=ws.team, upload=upload)
        services.risk_log(engagement=e, by=ws.team, kind="risk", title=f"Risk {n}", severity="medium")


def counts(client, user, engagement) -> dict[str, int]:
    client.force_login(user)
    found = {}
    for name in PAGES:
        url = reverse(f"sprints:{name}", args=[engagement.pk])
        client.get(url)  # shared parts made again after new content, then kept
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = len(queries)
    return found


@pytest.mark.parametrize("who", ["team", "sponsor"])
def test_the_workspace_pages_cost_the_same_for_few_entries_and_many(client, ws, who):
    user = getattr(ws, who)
    grow(ws, 1)
    few = counts(client, user, ws.engagement)
    grow(ws, 6)
    many = counts(client, user, ws.engagement)
    assert {name: (few[name], many[name]) for name in PAGES if many[name] > few[name]} == {}
    messages = client.get(reverse("sprints:messages", args=[ws.engagement.pk])).content.decode()
    assert messages.count("Message 5") == 1 and messages.count("Message 0") == 2  # the entries really did grow


def test_a_challenges_timeline_and_pitch_decision_cost_the_same_for_one_team_and_three(client, ws):
    """Staff's timeline of a challenge's teams and their pitch decision list every exploration team."""
    from tests.factories import make_applicant, make_engagement

    pages = [
        reverse("sprints_challenge_timeline", args=[ws.challenge.pk]),
        reverse("sprints:pitch_decision", args=[ws.challenge.pk]),
    ]
    client.force_login(ws.staff)

    def counts() -> list[int]:
        found = []
        for url in pages:
            client.get(url)  # shared parts made again after new content, then kept
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            found.append(len(queries))
        return found

    one = counts()
    teams = [make_applicant() for _ in range(2)]  # the round takes three teams into exploration
    for team in teams:
        make_engagement(challenge=ws.challenge, applicant=team, by=ws.staff)
    many = counts()
    assert [m <= o for o, m in zip(one, many, strict=True)] == [True, True], (one, many)
    for url in pages:
        listed = client.get(url).content.decode()
        assert all(team.memberships.get().organisation.name in listed for team in teams), url
