"""The workspace pages: forms keep what was typed on error, writes go through, lists stay cheap."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from sprints import services
from sprints.models import Deliverable, Engagement, Meeting, Message, Pitch, Risk, SprintUpdate
from tests.factories import add_pitch_criteria, make_engagement

from .conftest import pdf

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


def test_an_update_with_a_gap_keeps_what_was_typed(client, ws):
    client.force_login(ws.team)
    sprint = ws.engagement.sprints.first()
    url = reverse("sprints:update", args=[ws.engagement.pk, sprint.pk])
    response = client.post(url, {"done": "User interviews with six clinic staff", "next_steps": ""})
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and "User interviews with six clinic staff" in page
    assert page.count("Error:") >= 1
    response = client.post(url, {"done": "Interviews", "next_steps": "Prototype", "help_needed": "Data"})
    assert response.status_code == 302
    assert SprintUpdate.objects.get().help_needed == "Data"
    assert "Interviews" in text(client.get(reverse("sprints:plan", args=[ws.engagement.pk])))


def test_the_team_submits_and_resubmits_a_prototype_and_the_sponsor_decides(client, ws):
    e = ws.engagement.pk
    client.force_login(ws.team)
    bad = client.post(
        reverse("sprints:deliverable_new", args=[e]),
        {"title": "Prototype", "description": "Clickable", "demo_url": "not a url", "file": pdf(content=b"nope")},
    )
    assert bad.status_code == 200 and "Enter a valid URL" in text(bad) and 'value="Prototype"' in text(bad)
    response = client.post(
        reverse("sprints:deliverable_new", args=[e]),
        {"title": "Prototype", "description": "Clickable", "demo_url": "https://demo.example", "file": pdf()},
    )
    deliverable = Deliverable.objects.get()
    assert response.url == reverse("sprints:deliverable", args=[e, deliverable.pk])
    assert "prototype.pdf" in text(client.get(response.url))

    client.force_login(ws.sponsor)
    url = reverse("sprints:deliverable", args=[e, deliverable.pk])
    missing = client.post(url, {"decision": "changes", "comments": ""})
    assert "Give the team your feedback" in text(missing)
    client.post(url, {"decision": "changes", "comments": "Add rebooking"})
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.CHANGES_REQUESTED
    again = client.post(url, {"decision": "accept", "comments": "changed my mind"})
    assert again.status_code == 302  # nothing to decide until a new version arrives
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.CHANGES_REQUESTED

    client.force_login(ws.team)
    new_version = reverse("sprints:version_new", args=[e, deliverable.pk])
    assert 'value="https://demo.example"' in text(client.get(new_version))  # starts from the last version
    client.post(new_version, {"title": "Prototype", "description": "With rebooking", "notes": "Rebooking added"})
    client.force_login(ws.sponsor)
    client.post(url, {"decision": "accept", "comments": "Lovely"})
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED
    page = text(client.get(url))
    assert "Version 2 (latest)" in page and "Version 1" in page and "Add rebooking" in page


def test_messages_meetings_and_documents(client, ws):
    e = ws.engagement.pk
    client.force_login(ws.sponsor)
    assert "Write a message" in text(client.post(reverse("sprints:messages", args=[e]), {"body": " "}))
    client.post(reverse("sprints:messages", args=[e]), {"body": "Welcome aboard"})
    assert Message.objects.get().body == "Welcome aboard"
    client.post(reverse("sprints:message_preference", args=[e]), {"frequency": "daily"})
    assert ws.sponsor.message_preference.frequency == "daily"

    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post(reverse("sprints:meetings", args=[e]), {"title": "", "starts_at": when, "notes": "Agenda"})
    assert "Agenda" in text(bad) and "Enter a title" in text(bad)
    client.post(reverse("sprints:meetings", args=[e]), {"title": "Kick-off", "starts_at": when, "notes": "Agenda"})
    assert Meeting.objects.get().title == "Kick-off"

    refused = client.post(reverse("sprints:documents", args=[e]), {"file": pdf("evil.pdf", b"<script>")})
    assert "not really a PDF" in text(refused)
    assert 'href="#id_file"' in text(refused)  # the error summary links to the file input
    client.post(reverse("sprints:documents", args=[e]), {"file": pdf("data-sharing.pdf")})
    assert "data-sharing.pdf" in text(client.get(reverse("sprints:documents", args=[e])))


def test_pitch_submitted_by_the_team_scored_by_the_sponsor_and_decided_by_staff(client, ws):
    e = ws.engagement.pk
    criteria = add_pitch_criteria(ws.challenge.round)
    client.force_login(ws.team)
    missing = client.post(reverse("sprints:pitch", args=[e]), {"summary": "Our plan"})
    assert "Upload your pitch deck" in text(missing) and "Our plan" in text(missing)
    bad_deck = client.post(reverse("sprints:pitch", args=[e]), {"summary": "Our plan", "deck": pdf("d.pdf", b"no")})
    assert "not really a PDF" in text(bad_deck) and 'href="#id_deck"' in text(bad_deck)
    client.post(reverse("sprints:pitch", args=[e]), {"summary": "Our plan", "deck": pdf("deck.pdf")})
    assert Pitch.objects.get().deck.name == "deck.pdf"

    client.force_login(ws.sponsor)
    form = {f"score_{c.pk}": "4" for c in criteria} | {f"comment_{c.pk}": "Good" for c in criteria}
    client.post(reverse("sprints:pitch", args=[e]), form)
    assert Pitch.objects.get().scores.count() == 2
    assert client.post(reverse("sprints:pitch", args=[e]), form).status_code == 403  # once

    client.force_login(ws.staff)
    url = reverse("sprints:pitch_decision", args=[ws.challenge.pk])
    assert ws.team.memberships.get().organisation.name in text(client.get(url))
    client.post(url, {"chosen": [str(ws.engagement.pk)]})
    accelerator = Engagement.objects.get(application=ws.engagement.application, stage="accelerator")
    assert client.get(reverse("sprints:accelerator", args=[accelerator.pk])).status_code == 200


def test_accelerator_pages_for_milestones_risks_outcome_and_lessons(client, ws):
    accelerator = make_engagement(stage="accelerator", by=ws.staff)
    team = accelerator.application.created_by
    a = accelerator.pk
    client.force_login(ws.staff)
    due = (accelerator.contract.starts_on + timedelta(days=20)).isoformat()  # tranches fall due once it starts
    client.post(
        reverse("sprints:accelerator", args=[a]),
        {"form": "milestone", "title": "Alpha", "due_on": due, "tranche_amount": "50000"},
    )
    assert accelerator.milestones.get().title == "Alpha"
    client.force_login(team)
    bad = client.post(reverse("sprints:accelerator", args=[a]), {"form": "risk", "kind": "risk", "title": ""})
    assert bad.status_code == 200 and "Enter a title" in text(bad)
    client.post(
        reverse("sprints:accelerator", args=[a]),
        {"form": "risk", "kind": "issue", "title": "Supplier late", "severity": "high"},
    )
    risk = Risk.objects.get()
    client.post(reverse("sprints:risk_close", args=[a, risk.pk]))
    risk.refresh_from_db()
    assert risk.status == "closed"
    assert (
        client.post(
            reverse("sprints:accelerator", args=[a]),
            {"form": "milestone", "title": "Mine", "due_on": due, "tranche_amount": "1"},
        ).status_code
        == 403
    )

    client.force_login(ws.staff)
    bad = client.post(reverse("sprints:outcome", args=[a]), {"outcome": "not_progressed", "reason": ""})
    assert "Say why" in text(bad)
    client.post(reverse("sprints:outcome", args=[a]), {"outcome": "follow_on", "value": "250000"})
    accelerator.refresh_from_db()
    assert accelerator.status == "completed"

    client.force_login(team)
    lessons = {"what_worked": "Demos", "what_did_not": "Data", "differently": "Earlier access"}
    client.post(reverse("sprints:lessons", args=[a]), lessons)
    lesson = accelerator.lessons.get()
    client.force_login(ws.staff)
    client.post(reverse("sprints:lesson_publish", args=[a, lesson.pk]))
    assert "Earlier access" in text(client.get(reverse("sprints:lessons_library")))


def test_rag_is_set_on_the_overview_by_the_sponsor(client, ws):
    client.force_login(ws.sponsor)
    url = reverse("sprints:overview", args=[ws.engagement.pk])
    bad = client.post(url, {"rag": "red", "note": ""})
    assert "Say why" in text(bad)
    client.post(url, {"rag": "red", "note": "No data yet"})
    assert "Red: off track" in text(client.get(url))
    client.force_login(ws.team)
    assert client.post(url, {"rag": "green"}).status_code == 403


def _many_engagements(ws, n):
    for _ in range(n):
        engagement = make_engagement(by=ws.staff)
        services.deliverable_submit(
            engagement=engagement, by=engagement.application.created_by, title="D", description="d"
        )


def test_the_portfolio_runs_a_constant_number_of_queries(client, ws, django_assert_max_num_queries):
    client.force_login(ws.staff)
    admin_url, list_url = reverse("sprints_portfolio"), reverse("sprints:list")
    with django_assert_max_num_queries(40) as few:
        assert client.get(admin_url).status_code == 200
    with django_assert_max_num_queries(40) as few_list:
        client.get(list_url)
    _many_engagements(ws, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(admin_url))
    assert page.count("Reduce missed hospital appointments") >= 7
    with django_assert_max_num_queries(len(few_list.captured_queries)):
        client.get(list_url)


def test_the_admin_portfolio_and_timeline_are_for_staff_only(client, ws):
    client.force_login(ws.sponsor)
    assert client.get(reverse("sprints_portfolio")).status_code in (302, 403)
    client.force_login(ws.staff)
    page = text(client.get(reverse("sprints_portfolio")))
    assert ws.engagement.application.organisation.name in page
    timeline = text(client.get(reverse("sprints_challenge_timeline", args=[ws.challenge.pk])))
    assert "Challenge published" in timeline and "Engagement started" in timeline
