"""Who reaches a workspace and its files: the team, the sponsor and staff; nobody else, by URL either."""

from html import unescape

import pytest
from django.urls import reverse

from sprints import services
from sprints.models import Document

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
