"""Who reaches a workspace and its files: the team, the sponsor and staff; nobody else, by URL either."""

from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from civtech.permissions import ALLOWED, has_permission
from sprints import services
from sprints.models import Document, Engagement, Pitch, PitchScore
from tests.factories import add_pitch_criteria

from .conftest import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(ws):
    """Every workspace page (GET) and a shared document, for the first workspace."""
    version = services.deliverable_submit(
        engagement=ws.engagement, by=ws.team, title="Prototype", description="Try it", files=[pdf()]
    )
    document = Document.objects.get(version=version)
    e = ws.engagement.pk
    sprint = ws.engagement.sprints.first()
    urls = [
        reverse(name, args=[e])
        for name in (
            "sprints:overview",
            "sprints:plan",
            "sprints:deliverables",
            "sprints:messages",
            "sprints:meetings",
            "sprints:documents",
            "sprints:pitch",
            "sprints:lessons",
        )
    ]
    urls += [
        reverse("sprints:deliverable", args=[e, version.deliverable_id]),
        reverse("sprints:document", args=[e, document.pk]),
    ]
    return {"urls": urls, "document": document, "version": version, "sprint": sprint}


@pytest.mark.parametrize("who", ["team", "sponsor", "staff"])
def test_the_team_the_sponsor_and_staff_see_every_page_and_file(client, ws, pages, who):
    client.force_login(getattr(ws, who))
    for url in pages["urls"]:
        response = client.get(url)
        assert response.status_code == 200, url
    download = client.get(pages["urls"][-1])
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert download["Content-Disposition"].startswith('attachment; filename="prototype.pdf"')


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("other_team", "Only the team, the challenge's sponsor and the CivTech team"),
        ("other_sponsor", "Only the team, the challenge's sponsor and the CivTech team"),
        ("stranger", "Only the team, the challenge's sponsor and the CivTech team"),
    ],
)
def test_everyone_else_is_refused_with_the_reason(client, ws, pages, who, reason):
    client.force_login(getattr(ws, who))
    for url in pages["urls"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert reason in unescape(response.content.decode())


def test_anonymous_people_are_sent_to_sign_in(client, pages):
    for url in pages["urls"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), url


def test_a_member_removed_from_the_company_loses_access_at_once(client, ws, pages):
    client.force_login(ws.team)
    assert client.get(pages["urls"][0]).status_code == 200
    ws.team.memberships.all().delete()
    for url in pages["urls"]:
        assert client.get(url).status_code == 403, url


def test_a_member_removed_from_the_sponsor_loses_access_at_once(client, ws, pages):
    client.force_login(ws.sponsor)
    assert client.get(pages["urls"][-1]).status_code == 200
    ws.sponsor.memberships.all().delete()
    assert client.get(pages["urls"][-1]).status_code == 403


def test_another_engagements_ids_in_my_workspace_url_are_not_found(client, ws, pages):
    """The other team's document, deliverable or sprint through *my* workspace's URL: 404, nothing leaks."""
    other_version = services.deliverable_submit(
        engagement=ws.other, by=ws.other_team, title="Theirs", description="Secret", files=[pdf("secret.pdf")]
    )
    other_document = Document.objects.get(version=other_version)
    other_sprint = ws.other.sprints.first()
    client.force_login(ws.team)
    e = ws.engagement.pk
    for url in [
        reverse("sprints:document", args=[e, other_document.pk]),
        reverse("sprints:deliverable", args=[e, other_version.deliverable_id]),
        reverse("sprints:version_new", args=[e, other_version.deliverable_id]),
        reverse("sprints:update", args=[e, other_sprint.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    # …and through their own workspace's URL: refused with the reason.
    response = client.get(reverse("sprints:document", args=[ws.other.pk, other_document.pk]))
    assert response.status_code == 403
    assert client.get(reverse("sprints:overview", args=[999999])).status_code == 404


def test_writes_are_refused_to_the_wrong_side(client, ws, pages):
    e = ws.engagement.pk
    client.force_login(ws.sponsor)
    assert client.get(reverse("sprints:update", args=[e, pages["sprint"].pk])).status_code == 403
    assert client.get(reverse("sprints:deliverable_new", args=[e])).status_code == 403
    client.force_login(ws.team)
    response = client.post(
        reverse("sprints:deliverable", args=[e, pages["version"].deliverable_id]),
        {"decision": "accept", "comments": "I accept my own work"},
    )
    assert response.status_code == 403
    assert "Only the challenge's sponsor" in unescape(response.content.decode())
    assert client.post(reverse("sprints:plan", args=[e]), {}).status_code == 403
    assert client.get(reverse("sprints:pitch_decision", args=[ws.challenge.pk])).status_code == 403
    assert client.get(reverse("sprints:outcome", args=[e])).status_code == 403


def test_the_workspace_list_shows_only_ones_own(client, ws):
    client.force_login(ws.sponsor)
    listing = client.get(reverse("sprints:list")).content.decode()
    assert ws.engagement.application.organisation.name in listing
    assert ws.other.application.organisation.name not in listing
    client.force_login(ws.staff)
    listing = client.get(reverse("sprints:list")).content.decode()
    assert ws.other.application.organisation.name in listing


RULES = [
    "engagement.view",
    "engagement.collaborate",
    "engagement.report",
    "engagement.review",
    "engagement.plan",
    "engagement.manage",
    "lesson.record",
]
TABLE = {
    "team": (True, True, True, False, False, False, True),
    "sponsor": (True, True, False, True, True, False, True),
    "staff": (True, True, False, False, True, True, False),
    "other_team": (False,) * 7,
    "other_sponsor": (False,) * 7,
    "stranger": (False,) * 7,
    "anonymous": (False,) * 7,
}


@pytest.mark.parametrize("who", TABLE)
def test_the_workspace_permission_table(ws, who):
    from django.contrib.auth.models import AnonymousUser

    from civtech.permissions import has_permission

    user = AnonymousUser() if who == "anonymous" else getattr(ws, who)
    results = [has_permission(rule, user, ws.engagement) for rule in RULES]
    assert tuple(allowed for allowed, _ in results) == TABLE[who]
    assert all(allowed or reason.endswith(".") for allowed, reason in results)


# --- Each rule asked directly, everyone with the exact reason (mutation testing, docs/testing.md) ---------------------
PEOPLE = ["anonymous", "stranger", "team", "other_team", "sponsor", "other_sponsor", "staff"]
VIEW = "Only the team, the challenge's sponsor and the CivTech team can see this workspace."
REPORT = "Only members of the team can do this."
REVIEW = "Only the challenge's sponsor can accept deliverables or request changes."
PLAN = "Only the sponsor and the CivTech team can change the plan."
MANAGE = "Only the CivTech team can do this."
LESSON = "Only the team and the sponsor record their lessons."
OK = ""

# rule → what each person in PEOPLE gets: "" for allowed, else the reason.
REASONS = {
    "engagement.view": ["Sign in to see this workspace.", VIEW, OK, VIEW, OK, VIEW, OK],
    "engagement.collaborate": ["Sign in to see this workspace.", VIEW, OK, VIEW, OK, VIEW, OK],
    "engagement.report": [REPORT, REPORT, OK, REPORT, REPORT, REPORT, REPORT],
    "engagement.review": [REVIEW, REVIEW, REVIEW, REVIEW, OK, REVIEW, REVIEW],
    "engagement.plan": [PLAN, PLAN, PLAN, PLAN, OK, PLAN, OK],
    "engagement.manage": [MANAGE, MANAGE, MANAGE, MANAGE, MANAGE, MANAGE, OK],
    "lesson.record": [LESSON, LESSON, OK, LESSON, OK, LESSON, LESSON],
}


def person(ws, who):
    return AnonymousUser() if who == "anonymous" else getattr(ws, who)


@pytest.mark.parametrize("action", REASONS)
def test_each_rule_for_everyone_with_the_reason(ws, action):
    got = {who: has_permission(action, person(ws, who), ws.engagement) for who in PEOPLE}
    expected = {
        who: (ALLOWED if reason == OK else (False, reason)) for who, reason in zip(PEOPLE, REASONS[action], strict=True)
    }
    assert got == expected


@pytest.mark.parametrize(
    ("status", "shown"), [(Engagement.Status.COMPLETED, "completed"), (Engagement.Status.ENDED, "ended early")]
)
@pytest.mark.parametrize(
    ("action", "who"),
    [("engagement.collaborate", "team"), ("engagement.collaborate", "sponsor"), ("engagement.report", "team"),
     ("engagement.review", "sponsor"), ("engagement.plan", "staff"), ("engagement.plan", "sponsor")],
)  # fmt: skip
def test_an_engagement_that_has_ended_can_no_longer_change(ws, status, shown, action, who):
    engagement = ws.engagement
    engagement.status = status
    assert has_permission(action, person(ws, who), engagement) == (
        False, f"This engagement is {shown}, so it can no longer change.",
    )  # fmt: skip
    # Seeing it, managing it and recording its lessons go on.
    assert has_permission("engagement.view", person(ws, who), engagement) == ALLOWED
    assert has_permission("engagement.manage", ws.staff, engagement) == ALLOWED


def test_a_pitch_is_scored_by_the_sponsor_and_staff_once_each_until_it_is_decided(ws):
    pitch = Pitch.objects.create(engagement=ws.engagement, summary="Go on", submitted_by=ws.team)
    refused = (False, "Only the sponsor and the CivTech team score pitches.")
    for who in ("anonymous", "stranger", "team", "other_team", "other_sponsor"):
        assert has_permission("pitch.score", person(ws, who), pitch) == refused, who
    assert has_permission("pitch.score", ws.sponsor, pitch) == ALLOWED
    assert has_permission("pitch.score", ws.staff, pitch) == ALLOWED

    criterion = add_pitch_criteria(ws.challenge.round)[0]
    PitchScore.objects.create(pitch=pitch, scorer=ws.sponsor, criterion=criterion, value=3)
    assert has_permission("pitch.score", ws.sponsor, pitch) == (False, "You have already scored this pitch.")
    assert has_permission("pitch.score", ws.staff, pitch) == ALLOWED  # another scorer's score is not theirs

    for progressed in (True, False):
        pitch.progressed = progressed
        assert has_permission("pitch.score", ws.staff, pitch) == (
            False, "The pitches for this challenge have been decided.",
        )  # fmt: skip


def test_a_user_object_without_is_authenticated_is_signed_out(ws):
    """`None` (or any object without `is_authenticated`) is asked to sign in, never taken for someone."""
    assert has_permission("engagement.view", None, ws.engagement) == (False, "Sign in to see this workspace.")
