"""Demo Day: a published event page listing the round's accelerator demos (public facts only), with
registration that refuses, on the server, a full event, a started event and a second registration,
emails each guest once, and keeps everything typed when it refuses."""

import csv
import io
from datetime import timedelta
from html import unescape
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from civtech.errors import DomainError
from cms import services as cms_services
from cms.models import DemoDayPage, DemoDayRegistration
from notifications.models import OutboundEmail
from sprints import services
from tests.conftest import response_text
from tests.factories import (
    OrganisationFactory,
    PublicBodyFactory,
    make_applicant,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_round,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

GUEST = {
    "name": "Morag Campbell",
    "email": "Morag.Campbell@Example.org",
    "organisation": "Fife Council",
    "accessibility_needs": "Step-free access",
}
REGISTRATIONS = "wagtailsnippets_cms_demodayregistration:list"


def text(response) -> str:
    return unescape(response.content.decode())


def _accelerator_team(round_, body, *, title: str, company: str, description: str = "", by=None):
    challenge = make_challenge(sponsor=body, round=round_, title=title)
    team = make_applicant(OrganisationFactory(name=company, description=description))
    return make_engagement(stage="accelerator", challenge=challenge, applicant=team, by=by or staff_user())


@pytest.fixture
def demo():
    staff = staff_user()
    body = PublicBodyFactory(name="Transport Scotland")
    round_ = make_round(opened_days_ago=60)
    engagement = _accelerator_team(
        round_,
        body,
        title="Rural bus demand",
        company="Ferry Good Ltd",
        description="We build booking tools for rural transport.",
        by=staff,
    )
    team = engagement.application.created_by
    # Private work that must never reach the public page.
    services.message_post(engagement=engagement, by=team, body="Confidential pricing discussion")
    services.deliverable_submit(engagement=engagement, by=team, title="Private prototype build", description="d")
    page = make_demo_day(round=round_, capacity=2)
    return SimpleNamespace(
        page=page,
        round=round_,
        body=body,
        engagement=engagement,
        team=team,
        staff=staff,
        challenge=engagement.challenge,
    )


# --- The page ---------------------------------------------------------------------------------------
def test_the_page_lists_the_rounds_demos_with_public_facts_only(client, demo):
    explorer = make_engagement(challenge=make_challenge(sponsor=demo.body, round=demo.round, title="Explored only"))
    page = text(client.get(demo.page.url))
    assert "Ferry Good Ltd" in page and "We build booking tools for rural transport." in page
    assert "Rural bus demand" in page and demo.challenge.url in page and "Transport Scotland" in page
    assert "(UK time)" in page and "Dynamic Earth, Edinburgh" in page and "Streamed live" in page
    assert "Confidential pricing" not in page and "Private prototype build" not in page
    assert explorer.application.organisation.name not in page  # exploration teams do not demo
    assert page.count("<h1") == 1


def test_ended_engagements_do_not_demo_and_lessons_are_linked_once_published(client, demo):
    other = _accelerator_team(demo.round, demo.body, title="Dropped challenge", company="Gone Ltd", by=demo.staff)
    services.engagement_end(engagement=other, reason="The team withdrew.", by=demo.staff)
    lessons_link = f"/lessons/?challenge={demo.challenge.pk}"
    page = text(client.get(demo.page.url))
    assert "Gone Ltd" not in page and lessons_link not in page
    lesson = services.lesson_record(
        engagement=demo.engagement, by=demo.team, what_worked="a", what_did_not="b", differently="c"
    )
    assert lessons_link not in text(client.get(demo.page.url))  # submitted, not yet published
    services.lesson_publish(lesson=lesson, by=demo.staff)
    assert lessons_link in text(client.get(demo.page.url))


def test_the_page_runs_a_constant_number_of_queries(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(40) as few:
        client.get(demo.page.url)
    for n in range(3):
        _accelerator_team(demo.round, demo.body, title=f"Challenge {n}", company=f"Team {n} Ltd", by=demo.staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = text(client.get(demo.page.url))
    assert all(f"Team {n} Ltd" in page for n in range(3))


def test_a_draft_demo_day_is_not_public(client):
    page = make_demo_day(live=False)
    assert client.get(page.url or f"/events/{page.slug}/").status_code == 404
    with pytest.raises(DomainError, match="not open"):
        cms_services.demo_day_register(event=page, name="A", email="a@example.org", organisation="B")


def test_the_event_index_lists_coming_and_past_demo_days(client, demo):
    past = make_demo_day(round=make_round(opened_days_ago=300), starts_in_days=-30, title="Old Demo Day")
    page = text(client.get("/events/"))
    assert page.index(demo.page.title) < page.index("Past events") < page.index(past.title)


def test_editors_cannot_give_a_round_two_demo_days_or_end_one_before_it_starts(demo):
    second = DemoDayPage(
        title="Again", slug="again", round=demo.round, starts_at=demo.page.starts_at, ends_at=demo.page.starts_at
    )
    with pytest.raises(ValidationError) as error:
        second.clean()
    assert set(error.value.message_dict) == {"round", "ends_at"}


# --- Registration -----------------------------------------------------------------------------------
def test_a_guest_registers_once_and_is_emailed_once(client, demo):
    response = client.post(demo.page.url, GUEST)
    assert response.status_code == 302 and response.url.endswith("#register")
    assert "You are registered for" in text(client.get(response.url))
    registration = DemoDayRegistration.objects.get()
    assert registration.email == "morag.campbell@example.org"  # one address registers once, whatever its case
    assert registration.accessibility_needs == "Step-free access"
    email = OutboundEmail.objects.get(to="morag.campbell@example.org")
    assert demo.page.title in email.subject
    assert "(UK time)" in email.body_text and demo.page.url in email.body_text and "Step-free" in email.body_text
    entry = ModelLogEntry.objects.get(action="civtech.demo_day.register")
    assert entry.object_id == str(registration.pk) and entry.data["event"] == demo.page.pk

    again = client.post(demo.page.url, {**GUEST, "email": "MORAG.campbell@example.org", "name": "Morag C"})
    assert again.status_code == 200
    page = text(again)
    assert "already registered" in page and 'value="Morag C"' in page and 'value="Fife Council"' in page
    assert DemoDayRegistration.objects.count() == 1
    assert OutboundEmail.objects.filter(to="morag.campbell@example.org").count() == 1


def test_bad_input_is_explained_and_kept(client, demo):
    empty = client.post(demo.page.url, {})
    assert empty.status_code == 200
    page = text(empty)
    assert "There is a problem" in page
    for message in ("Enter your name", "Enter your email address", "Enter your organisation"):
        assert message in page
    bad = client.post(demo.page.url, {**GUEST, "email": "not-an-email", "accessibility_needs": "x" * 2001})
    page = text(bad)
    assert "Enter an email address in the correct format" in page and 'value="Morag Campbell"' in page
    assert "at most 2000 characters" in page
    assert not DemoDayRegistration.objects.exists()
    assert not OutboundEmail.objects.filter(subject__contains="You are registered").exists()


def test_a_full_event_refuses_on_the_server_and_keeps_what_was_typed(client, demo):
    for n in range(2):
        assert client.post(demo.page.url, {**GUEST, "email": f"guest{n}@example.org"}).status_code == 302
    page = text(client.get(demo.page.url))
    assert "This event is full" in page and 'name="email"' not in page  # no form to fill in for nothing
    refused = client.post(demo.page.url, {**GUEST, "email": "late@example.org"})  # a form opened earlier
    assert refused.status_code == 200
    page = text(refused)
    assert "this event is now full" in page and 'value="late@example.org"' in page
    assert DemoDayRegistration.objects.count() == 2
    assert not OutboundEmail.objects.filter(to="late@example.org").exists()


def test_registration_closes_when_the_event_starts(client, demo):
    with pytest.raises(DomainError, match="Registration closed"):
        cms_services.demo_day_register(event=demo.page, now=demo.page.starts_at, **GUEST)
    DemoDayPage.objects.filter(pk=demo.page.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    page = text(client.get(demo.page.url))
    assert "Registration closed when the event started" in page and 'name="email"' not in page
    refused = client.post(demo.page.url, GUEST)
    assert refused.status_code == 200 and "Registration closed when the event started" in text(refused)
    assert not DemoDayRegistration.objects.exists()
    assert not OutboundEmail.objects.filter(subject__contains="You are registered").exists()


def test_a_signed_in_guest_is_recorded_with_their_account(client, demo):
    client.force_login(demo.team)
    client.post(demo.page.url, GUEST)
    assert DemoDayRegistration.objects.get().user == demo.team
    assert ModelLogEntry.objects.get(action="civtech.demo_day.register").user == demo.team


# --- Staff in the admin -----------------------------------------------------------------------------
def test_staff_read_and_export_registrations_but_cannot_change_them(client, demo):
    cms_services.demo_day_register(event=demo.page, **GUEST)
    client.force_login(demo.staff)
    listing = text(client.get(reverse(REGISTRATIONS)))
    assert "Morag Campbell" in listing and "Fife Council" in listing
    response = client.get(reverse(REGISTRATIONS), {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(response_text(response))))
    assert rows == [
        {
            "Event": demo.page.title,
            "Name": "Morag Campbell",
            "Email": "morag.campbell@example.org",
            "Organisation": "Fife Council",
            "Accessibility needs": "Step-free access",
            "Registered at": rows[0]["Registered at"],
        }
    ]
    xlsx = client.get(reverse(REGISTRATIONS), {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    registration = DemoDayRegistration.objects.get()
    assert client.get(reverse("wagtailsnippets_cms_demodayregistration:add")).status_code in (302, 403)
    edit = reverse("wagtailsnippets_cms_demodayregistration:edit", args=[registration.pk])
    assert client.get(edit).status_code in (302, 403)
    delete = reverse("wagtailsnippets_cms_demodayregistration:delete", args=[registration.pk])
    client.post(delete)
    assert DemoDayRegistration.objects.filter(pk=registration.pk).exists()


@pytest.mark.parametrize("who", ["sponsor", "team"])
def test_sponsors_and_teams_cannot_see_registrations(client, demo, who):
    cms_services.demo_day_register(event=demo.page, **GUEST)
    user = make_sponsor_member(demo.body, mfa=True) if who == "sponsor" else demo.team
    client.force_login(user)
    response = client.get(reverse(REGISTRATIONS), {"export": "csv"})
    assert response.status_code in (302, 403) and not response.streaming
    assert b"morag" not in response.content


# --- The challenge page -----------------------------------------------------------------------------
def test_the_challenge_page_links_to_its_lessons_and_demo_day_when_there_are_any(client, demo):
    lonely = make_challenge(sponsor=demo.body, round=make_round(opened_days_ago=60), title="Nothing yet")
    page = text(client.get(lonely.url))
    assert "Demos and lessons" not in page and "/lessons/?challenge=" not in page

    page = text(client.get(demo.challenge.url))
    assert demo.page.url in page and f"/lessons/?challenge={demo.challenge.pk}" not in page
    lesson = services.lesson_record(
        engagement=demo.engagement, by=demo.team, what_worked="a", what_did_not="b", differently="c"
    )
    services.lesson_publish(lesson=lesson, by=demo.staff)
    page = text(client.get(demo.challenge.url))
    assert f"/lessons/?challenge={demo.challenge.pk}" in page
    demo.page.unpublish()
    assert demo.page.url not in text(client.get(demo.challenge.url))
