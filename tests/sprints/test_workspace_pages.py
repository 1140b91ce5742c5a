"""The workspace pages added to close issue #5: ending an engagement early (staff), editing meeting notes,
changing a sprint's dates and goal; the staff portfolio's filters and export; links to the workspaces
from the decision email and the dashboards."""

import csv
import io
from datetime import timedelta
from html import unescape

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from applications.models import Application
from sprints import services
from sprints.models import Engagement, Meeting
from tests.conftest import response_text
from tests.factories import PublicBodyFactory, make_challenge, make_engagement, make_round

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return unescape(response.content.decode())


# --- Ending an engagement early -----------------------------------------------------------------------
def test_staff_end_an_engagement_early_with_a_reason(client, ws):
    url = reverse("sprints:end", args=[ws.engagement.pk])
    client.force_login(ws.staff)
    assert "End this engagement early" in text(client.get(reverse("sprints:overview", args=[ws.engagement.pk])))
    missing = client.post(url, {"reason": "  "})
    assert missing.status_code == 200 and "Say why the engagement is ending" in text(missing)
    response = client.post(url, {"reason": "The team withdrew."})
    assert response.url == reverse("sprints:overview", args=[ws.engagement.pk])
    ws.engagement.refresh_from_db()
    assert ws.engagement.status == Engagement.Status.ENDED and ws.engagement.outcome_reason == "The team withdrew."
    assert ModelLogEntry.objects.filter(action="civtech.engagement.end", object_id=str(ws.engagement.pk)).exists()
    overview = text(client.get(response.url))
    assert "Ended early: The team withdrew." in overview and "End this engagement early" not in overview
    # Ended means read-only: a second go is a message, not an error; the team can no longer post.
    again = client.post(url, {"reason": "Again"})
    assert again.status_code == 302 and "already ended early" in text(client.get(again.url))
    client.force_login(ws.team)
    sprint = ws.engagement.sprints.first()
    update = client.post(
        reverse("sprints:update", args=[ws.engagement.pk, sprint.pk]), {"done": "a", "next_steps": "b"}
    )
    assert update.status_code == 403


@pytest.mark.parametrize("who", ["team", "sponsor", "other_team", "other_sponsor", "stranger"])
def test_only_staff_may_end_an_engagement_by_url_too(client, ws, who):
    client.force_login(getattr(ws, who))
    url = reverse("sprints:end", args=[ws.engagement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Because"}).status_code == 403
    ws.engagement.refresh_from_db()
    assert ws.engagement.status == Engagement.Status.ACTIVE
    assert "End this engagement early" not in text(client.get(reverse("sprints:overview", args=[ws.engagement.pk])))


def test_ending_needs_a_signed_in_person(client, ws):
    response = client.get(reverse("sprints:end", args=[ws.engagement.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- Meeting notes ------------------------------------------------------------------------------------
@pytest.fixture
def meeting(ws):
    return services.meeting_record(
        engagement=ws.engagement, by=ws.sponsor, title="Kick-off", starts_at=timezone.now(), notes="Agenda"
    )


@pytest.mark.parametrize("who", ["team", "sponsor", "staff"])
def test_anyone_in_the_workspace_edits_meeting_notes(client, ws, meeting, who):
    client.force_login(getattr(ws, who))
    meetings = text(client.get(reverse("sprints:meetings", args=[ws.engagement.pk])))
    url = reverse("sprints:meeting_notes", args=[ws.engagement.pk, meeting.pk])
    assert url in meetings
    form = text(client.get(url))
    assert "Agenda</textarea>" in form
    response = client.post(url, {"notes": "Decided: weekly demos.\nAction: share data."})
    assert response.url == reverse("sprints:meetings", args=[ws.engagement.pk])
    meeting.refresh_from_db()
    assert meeting.notes == "Decided: weekly demos.\nAction: share data."
    entry = ModelLogEntry.objects.get(action="civtech.engagement.meeting_notes")
    assert entry.data == {"meeting": meeting.pk} and entry.user == getattr(ws, who)


def test_overlong_notes_are_refused_and_kept(client, ws, meeting):
    client.force_login(ws.team)
    url = reverse("sprints:meeting_notes", args=[ws.engagement.pk, meeting.pk])
    response = client.post(url, {"notes": "n" * 20001})
    assert response.status_code == 200 and "at most 20000 characters" in text(response)
    assert "n" * 20001 in text(response)
    meeting.refresh_from_db()
    assert meeting.notes == "Agenda"


@pytest.mark.parametrize("who", ["other_team", "other_sponsor", "stranger"])
def test_outsiders_cannot_read_or_edit_notes_by_url(client, ws, meeting, who):
    client.force_login(getattr(ws, who))
    url = reverse("sprints:meeting_notes", args=[ws.engagement.pk, meeting.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"notes": "Overwritten"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.notes == "Agenda"


def test_another_workspaces_meeting_is_not_found_and_an_ended_one_is_read_only(client, ws, meeting):
    client.force_login(ws.other_team)
    assert client.get(reverse("sprints:meeting_notes", args=[ws.other.pk, meeting.pk])).status_code == 404
    services.engagement_end(engagement=ws.engagement, reason="Withdrew", by=ws.staff)
    client.force_login(ws.team)
    url = reverse("sprints:meeting_notes", args=[ws.engagement.pk, meeting.pk])
    assert client.post(url, {"notes": "Late"}).status_code == 403
    assert url not in text(client.get(reverse("sprints:meetings", args=[ws.engagement.pk])))
    assert Meeting.objects.get(pk=meeting.pk).notes == "Agenda"


# --- Changing a sprint --------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["sponsor", "staff"])
def test_the_sponsor_and_staff_change_a_sprints_dates_and_goal(client, ws, who):
    sprint = ws.engagement.sprints.order_by("number").first()
    url = reverse("sprints:sprint_edit", args=[ws.engagement.pk, sprint.pk])
    client.force_login(getattr(ws, who))
    assert url in text(client.get(reverse("sprints:plan", args=[ws.engagement.pk])))
    assert f'value="{sprint.starts_on.isoformat()}"' in text(client.get(url))
    new_end = sprint.ends_on - timedelta(days=1)
    response = client.post(
        url, {"starts_on": sprint.starts_on.isoformat(), "ends_on": new_end.isoformat(), "goal": "Map the journey"}
    )
    assert response.url == reverse("sprints:plan", args=[ws.engagement.pk])
    sprint.refresh_from_db()
    assert (sprint.ends_on, sprint.goal) == (new_end, "Map the journey")
    assert ws.engagement.sprints.count() == len(list(ws.engagement.sprints.all()))  # changed, not added
    assert ModelLogEntry.objects.filter(action="civtech.sprint.plan").exists()


def test_impossible_sprint_dates_are_explained_and_kept(client, ws):
    sprint = ws.engagement.sprints.order_by("number").first()
    url = reverse("sprints:sprint_edit", args=[ws.engagement.pk, sprint.pk])
    client.force_login(ws.sponsor)
    backwards = client.post(url, {"starts_on": "2030-05-10", "ends_on": "2030-05-01", "goal": "Kept goal"})
    page = text(backwards)
    assert backwards.status_code == 200 and "must end on or after" in page and "Kept goal" in page
    outside = ws.engagement.ends_on + timedelta(days=30)
    response = client.post(url, {"starts_on": sprint.starts_on.isoformat(), "ends_on": outside.isoformat()})
    assert "Sprints must fall within the stage" in text(response)
    nonsense = client.post(url, {"starts_on": "31/02/2030", "ends_on": ""})
    assert "Enter a valid date" in text(nonsense) and "Enter an end date" in text(nonsense)
    before = (sprint.starts_on, sprint.ends_on, sprint.goal)
    sprint.refresh_from_db()
    assert (sprint.starts_on, sprint.ends_on, sprint.goal) == before


@pytest.mark.parametrize("who", ["team", "other_team", "other_sponsor", "stranger"])
def test_others_cannot_change_a_sprint_by_url(client, ws, who):
    sprint = ws.engagement.sprints.order_by("number").first()
    url = reverse("sprints:sprint_edit", args=[ws.engagement.pk, sprint.pk])
    client.force_login(getattr(ws, who))
    assert client.get(url).status_code == 403
    data = {"starts_on": sprint.starts_on.isoformat(), "ends_on": sprint.starts_on.isoformat(), "goal": "Mine"}
    assert client.post(url, data).status_code == 403
    sprint.refresh_from_db()
    assert sprint.goal != "Mine"


def test_another_engagements_sprint_is_not_found(client, ws):
    client.force_login(ws.staff)
    other_sprint = ws.other.sprints.first()
    assert client.get(reverse("sprints:sprint_edit", args=[ws.engagement.pk, other_sprint.pk])).status_code == 404


# --- Staff portfolio: filters and export ----------------------------------------------------------------
@pytest.fixture
def portfolio(ws):
    """Beside the two exploration engagements: an accelerator on a third sponsor's challenge, set amber."""
    body = PublicBodyFactory(name="Zero Waste Scotland")
    round_ = make_round(opened_days_ago=60, name="Sprint round")
    accelerator = make_engagement(
        stage="accelerator", challenge=make_challenge(sponsor=body, round=round_, title="Circular economy"), by=ws.staff
    )
    services.engagement_set_rag(engagement=accelerator, rag="amber", note="Data access late", by=ws.staff)
    return {"accelerator": accelerator, "body": body, "round": round_}


def _teams(page: str, *engagements) -> list[bool]:
    return [e.application.organisation.name in page for e in engagements]


def test_the_portfolio_filters_by_round_stage_rag_and_sponsor(client, ws, portfolio):
    client.force_login(ws.staff)
    url = reverse("sprints_portfolio")
    acc = portfolio["accelerator"]
    assert _teams(text(client.get(url)), ws.engagement, ws.other, acc) == [True, True, True]
    assert _teams(text(client.get(url, {"round": portfolio["round"].pk})), ws.engagement, acc) == [False, True]
    assert _teams(text(client.get(url, {"stage": "exploration"})), ws.engagement, ws.other, acc) == [True, True, False]
    assert _teams(text(client.get(url, {"rag": "amber"})), ws.engagement, acc) == [False, True]
    assert _teams(text(client.get(url, {"sponsor": ws.challenge.sponsor_id})), ws.engagement, ws.other) == [True, False]
    none = text(client.get(url, {"stage": "accelerator", "rag": "red"}))
    assert "No live engagements match these filters." in none
    bad = client.get(url, {"round": "nonsense", "stage": "unknown"})
    assert bad.status_code == 200 and _teams(text(bad), ws.engagement, acc) == [True, True]  # ignored, not a 500


def test_the_portfolio_exports_what_is_filtered(client, ws, portfolio):
    client.force_login(ws.staff)
    url = reverse("sprints_portfolio")
    response = client.get(url, {"rag": "amber", "export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="engagement-portfolio.csv"'
    rows = list(csv.DictReader(io.StringIO(response_text(response))))
    assert len(rows) == 1
    row = rows[0]
    acc = portfolio["accelerator"]
    assert row["Team"] == acc.application.organisation.name and row["Sponsor"] == "Zero Waste Scotland"
    assert row["Round"] == "Sprint round" and row["Stage"] == "Accelerator" and row["RAG"] == "Amber: at risk"
    assert row["RAG note"] == "Data access late" and row["Deliverables awaiting feedback"] == "0"
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page = client.get(url, {"stage": "accelerator"}).content.decode()
    assert "?stage=accelerator&amp;export=csv" in page and "?stage=accelerator&amp;export=xlsx" in page


def test_the_portfolio_export_is_for_staff_only(client, ws, portfolio):
    client.force_login(ws.sponsor)
    response = client.get(reverse("sprints_portfolio"), {"export": "csv"})
    assert response.status_code in (302, 403)
    assert not response.streaming


def test_filtered_and_exported_portfolios_run_a_constant_number_of_queries(
    client, ws, portfolio, django_assert_max_num_queries
):
    client.force_login(ws.staff)
    url = reverse("sprints_portfolio")
    params = {"round": portfolio["round"].pk, "stage": "accelerator", "rag": "amber", "sponsor": portfolio["body"].pk}
    with django_assert_max_num_queries(40) as few:
        client.get(url, params)
    with django_assert_max_num_queries(40) as few_export:
        response_text(client.get(url, {"export": "csv"}))
    for n in range(4):
        more = make_engagement(
            stage="accelerator",
            challenge=make_challenge(sponsor=portfolio["body"], round=portfolio["round"], title=f"More {n}"),
            by=ws.staff,
        )
        services.engagement_set_rag(engagement=more, rag="amber", note="Late", by=ws.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(url, params))
    assert page.count("More ") >= 4
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert response_text(client.get(url, {"export": "csv"})).count("More ") == 4


# --- Links to the workspaces ------------------------------------------------------------------------------
def test_the_selected_email_links_to_the_workspaces(ws):
    application = ws.engagement.application
    body = render_to_string(
        "applications/email/decision_selected_message.txt",
        {"application": application, "site_url": "https://civtech.example"},
    )
    assert "https://civtech.example/workspaces/" in body


def test_applicants_and_sponsors_find_their_workspaces_from_their_dashboards(client, ws):
    workspaces = reverse("sprints:list")
    client.force_login(ws.team)
    assert workspaces in text(client.get(reverse("accounts:dashboard")))
    listing = text(client.get(reverse("applications:list")))
    assert ws.engagement.application.status == Application.Status.SELECTED
    assert f'href="{workspaces}"' in listing and "Go to your workspaces" in listing
    client.force_login(ws.sponsor)
    dashboard = text(client.get(reverse("accounts:dashboard")))
    assert workspaces in dashboard and "Your portfolio" in dashboard
    assert workspaces in text(client.get(reverse("applications:sponsor_dashboard")))
