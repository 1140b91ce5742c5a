"""Sponsor authoring and approval: own challenges only; live only after sign-off and programme approval."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry, Workflow
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.roles import Role
from challenges.services import sponsor_space_ensure
from cms.tasks import publish_scheduled_pages
from organisations.models import Membership
from tests.factories import PublicBodyFactory, UserFactory, make_challenge, staff_user

pytestmark = pytest.mark.django_db


def sponsor_of(organisation, role=Membership.Role.MEMBER):
    user = UserFactory(role=Role.SPONSOR, mfa=True)
    from organisations.services import membership_add

    membership_add(organisation=organisation, user=user, role=role, by=None)
    return user


@pytest.fixture
def world():
    transport, nhs = PublicBodyFactory(name="Transport Scotland"), PublicBodyFactory(name="NHS NSS")
    sponsor_space_ensure(organisation=transport)
    sponsor_space_ensure(organisation=nhs)
    return {
        "transport": transport,
        "nhs": nhs,
        "author": sponsor_of(transport),
        "signer": sponsor_of(transport, Membership.Role.ADMIN),
        "other_sponsor": sponsor_of(nhs, Membership.Role.ADMIN),
        "staff": staff_user(),
        "draft": make_challenge(sponsor=transport, title="Predict rural bus demand", live=False),
    }


def edit_form_data(page, **extra) -> dict:
    """What the Wagtail editor posts for a challenge, built with Wagtail's own test helpers."""
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "round": page.round_id,
            "summary": page.summary,
            "problem_statement": streamfield([("paragraph", rich_text("<p>The problem.</p>"))]),
            "users": rich_text("<p>Passengers.</p>"),
            "success": rich_text("<p>Buses where people need them.</p>"),
            "sponsor_provides": rich_text("<p>Ticket data.</p>"),
            "attachments": streamfield([]),
            "application_questions": streamfield([]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def submit(page, user):
    workflow = page.get_workflow()
    assert workflow.name == "Challenge approval"
    return workflow.start(page, user)


def act(client, user, page, action, comment=""):
    client.force_login(user)
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, {"comment": comment})


# --- Who may see and edit what ------------------------------------------------------------------
def test_sponsor_edits_their_own_organisations_draft(client, world):
    client.force_login(world["author"])
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world["draft"].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("view", ["edit", "preview_on_edit", "revisions_index", "history"])
def test_sponsor_cannot_open_another_sponsors_draft_by_url(client, world, view):
    client.force_login(world["other_sponsor"])
    response = client.get(reverse(f"wagtailadmin_pages:{view}", args=[world["draft"].pk]))
    assert response.status_code in (302, 403)
    assert "Predict rural bus demand" not in response.content.decode()


def test_sponsor_cannot_see_another_sponsors_drafts_in_the_explorer_or_search(client, world):
    client.force_login(world["other_sponsor"])
    space = world["transport"].challenge_space
    explorer = client.get(reverse("wagtailadmin_explore", args=[space.pk]))
    assert "Predict rural bus demand" not in explorer.content.decode()
    search = client.get(reverse("wagtailadmin_pages:search"), {"q": "bus"})
    assert "Predict rural bus demand" not in search.content.decode()


def test_sponsor_cannot_add_a_challenge_to_another_sponsors_space(client, world):
    client.force_login(world["other_sponsor"])
    space = world["transport"].challenge_space
    response = client.get(reverse("wagtailadmin_pages:add", args=["challenges", "challengepage", space.pk]))
    assert response.status_code in (302, 403)


def test_applicant_cannot_reach_the_admin(client, world):
    client.force_login(UserFactory(role=Role.APPLICANT))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[world["draft"].pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


# --- Nobody publishes without both approvals ------------------------------------------------------
@pytest.mark.parametrize("who", ["author", "signer", "staff"])
def test_nobody_publishes_a_challenge_directly(client, world, who):
    draft = world["draft"]
    client.force_login(world[who])
    edit_url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    page = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in page
    # Even a hand-made POST is refused on the server.
    response = client.post(edit_url, edit_form_data(draft, **{"action-publish": "action-publish"}), follow=True)
    if who == "staff":  # sponsors lack publish rights entirely; staff are stopped by our guard
        assert "Challenges go live only after sponsor sign-off and programme approval" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.live
    assert draft.revisions.count() >= 1


def test_sign_off_then_programme_approval_publishes(client, world):
    draft = world["draft"]
    submit(draft, world["author"])
    draft.refresh_from_db()
    assert draft.current_workflow_task.name == "Sponsor sign-off"

    # A member who is not an administrator cannot sign off; nor can another sponsor; nor staff at this step.
    for user in (world["author"], world["other_sponsor"], world["staff"]):
        assert act(client, user, draft, "approve").status_code in (302, 403)
        draft.refresh_from_db()
        assert draft.current_workflow_task.name == "Sponsor sign-off"
    assert act(client, world["signer"], draft, "approve").status_code == 302
    draft.refresh_from_db()
    assert draft.current_workflow_task.name == "Programme approval"
    assert not draft.live

    # Sponsors cannot give programme approval.
    assert act(client, world["signer"], draft, "approve").status_code in (302, 403)
    draft.refresh_from_db()
    assert draft.current_workflow_task.name == "Programme approval"
    assert act(client, world["staff"], draft, "approve").status_code == 302
    draft.refresh_from_db()
    assert draft.live
    assert client.get(draft.url).status_code == 200

    actions = list(PageLogEntry.objects.filter(page=draft).values_list("action", flat=True))
    for action in ["wagtail.workflow.start", "wagtail.workflow.approve", "wagtail.publish"]:
        assert action in actions


def test_rejection_returns_it_with_comments(client, world):
    draft = world["draft"]
    submit(draft, world["author"])
    assert act(client, world["signer"], draft, "reject", comment="Say what data you can share.").status_code == 302
    draft.refresh_from_db()
    state = draft.current_workflow_state
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert not draft.live
    assert draft.approval_step == "Changes requested at Sponsor sign-off"
    task_state = state.current_task_state
    assert task_state.comment == "Say what data you can share."
    assert PageLogEntry.objects.filter(page=draft, action="wagtail.workflow.reject").exists()


def test_publication_can_wait_for_the_call_opening(client, world, monkeypatch):
    draft = world["draft"]
    # An hour ahead, then the clock is moved past it: with a go-live a few real seconds ahead, a loaded machine could
    # reach it before the "still too early" check (and the test slept out the rest).
    go_live = timezone.now() + timedelta(hours=1)
    draft.go_live_at = go_live
    draft.save_revision(user=world["author"])
    submit(draft, world["author"])
    act(client, world["signer"], draft, "approve")
    act(client, world["staff"], draft, "approve")
    draft.refresh_from_db()
    assert not draft.live  # approved, and waiting for its time
    assert abs(draft.latest_revision.approved_go_live_at - go_live) < timedelta(seconds=1)

    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert not draft.live  # still too early
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=1, seconds=1))
    publish_scheduled_pages.delay()  # what Celery beat runs every minute
    draft.refresh_from_db()
    assert draft.live


def test_the_challenge_index_uses_the_two_step_workflow():
    workflow = Workflow.objects.get(name="Challenge approval")
    assert [task.name for task in workflow.tasks] == ["Sponsor sign-off", "Programme approval"]


def test_revisions_are_kept_and_comparable(client, world):
    draft = world["draft"]
    draft.title = "Predict rural bus demand in the Highlands"
    draft.save_revision(user=world["author"])
    revisions = list(draft.revisions.order_by("created_at"))
    assert len(revisions) >= 2
    client.force_login(world["author"])
    url = reverse("wagtailadmin_pages:revisions_compare", args=[draft.pk, revisions[0].pk, revisions[-1].pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Highlands" in response.content.decode()


def test_a_membership_of_a_public_body_grants_editing_rights_only_there(world):
    author = world["author"]
    draft = world["draft"]
    assert draft.permissions_for_user(author).can_edit()
    assert not draft.permissions_for_user(author).can_publish()
    other_draft = make_challenge(sponsor=world["nhs"], title="Other", live=False)
    assert not other_draft.permissions_for_user(author).can_edit()
