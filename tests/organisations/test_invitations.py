"""Inviting colleagues by email, and what happens to every kind of bad link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from accounts.roles import Role, user_roles
from organisations.models import Invitation, Membership
from tests.factories import MembershipFactory, OrganisationFactory, PublicBodyFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_membership():
    return MembershipFactory(role=Membership.Role.ADMIN, user=UserFactory(role=Role.APPLICANT))


def invite(client, on_commit, membership, email="colleague@example.com", role="member"):
    client.force_login(membership.user)
    with on_commit():
        response = client.post(
            reverse("organisations:invite", args=[membership.organisation.slug]), {"email": email, "role": role}
        )
    return response


def accept_path() -> str:
    (link,) = re.findall(r"https?://\S+", mail.outbox[-1].body)
    return re.sub(r"^https?://[^/]+", "", link)


def as_someone_else(client, user=None):
    """Sign the browser out of the inviter's session, flash message ("We have emailed an invitation to …") and
    all, and in as `user` (no one if None): the link is being opened by someone else, on their own browser."""
    client.cookies.clear()
    if user is not None:
        client.force_login(user)


def test_admin_invites_a_colleague_who_joins_with_the_same_email(client, on_commit, admin_membership):
    response = invite(client, on_commit, admin_membership)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["colleague@example.com"]
    assert str(admin_membership.organisation) in mail.outbox[0].subject
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in mail.outbox[0].body  # only the hash is stored; the link holds the token

    colleague = UserFactory(email="colleague@example.com")
    client.force_login(colleague)
    path = accept_path()
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    membership = Membership.objects.get(user=colleague)
    assert membership.organisation == admin_membership.organisation
    assert membership.role == Membership.Role.MEMBER
    assert Role.APPLICANT in user_roles(colleague)
    actions = set(ModelLogEntry.objects.values_list("action", flat=True))
    assert {"civtech.invitation.send", "civtech.invitation.accept", "civtech.membership.add"} <= actions


def test_joining_a_public_body_makes_you_a_sponsor(client, on_commit):
    body = PublicBodyFactory()
    staff = staff_user()
    client.force_login(staff)
    with on_commit():
        client.post(
            reverse("organisations:invite", args=[body.slug]), {"email": "officer@gov.example", "role": "admin"}
        )
    officer = UserFactory(email="officer@gov.example")
    client.force_login(officer)
    client.post(accept_path())
    assert Role.SPONSOR in user_roles(officer)


def test_invitation_cannot_be_used_by_someone_with_another_email(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    as_someone_else(client, UserFactory(email="intruder@example.com"))
    response = client.post(accept_path())
    assert response.status_code == 409
    page = response.content.decode()
    assert "This invitation is for a different email address. Sign out and sign in as the invited address" in page
    assert "colleague@example.com" not in page  # the refusal names nobody
    assert not Membership.objects.filter(user__email="intruder@example.com").exists()
    assert not Invitation.objects.get().accepted_at  # still there for the invitee


# --- Who sees the invited address (issue 16) --------------------------------------------------------------------
def test_the_invitee_sees_the_invitation_and_who_sent_it(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    as_someone_else(client, UserFactory(email="Colleague@Example.com"))  # the same address, however it is written
    response = client.get(accept_path())
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague@example.com" in page and str(admin_membership.user) in page
    assert "Accept and join" in page and str(admin_membership.organisation) in page


def test_another_signed_in_user_with_the_link_does_not_see_the_address(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    path = accept_path()
    for someone in (UserFactory(email="intruder@example.com"), admin_membership.user, staff_user()):
        as_someone_else(client, someone)  # a stranger, the person who sent it (not as the invitee), staff
        response = client.get(path)
        assert response.status_code == 403
        page = response.content.decode()
        assert "colleague" not in page.lower(), someone  # neither the address nor any part of it
        assert "This invitation is for a different email address. Sign out and sign in as the invited address" in page
        assert str(admin_membership.organisation) in page  # which organisation: nothing more
        assert "Accept and join" not in page and reverse("account_logout") in page
    assert not Membership.objects.filter(user__email="intruder@example.com").exists()


def test_anonymous_with_the_link_sees_the_organisation_and_how_to_sign_in_not_the_address(
    client, on_commit, admin_membership
):
    invite(client, on_commit, admin_membership)
    path = accept_path()
    as_someone_else(client)
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague" not in page.lower() and str(admin_membership.user) not in page  # nor who sent it
    assert str(admin_membership.organisation) in page
    assert "sign in or create an account with the email address this invitation was sent to" in page
    assert f"{reverse('account_login')}?next={path}" in page and f"{reverse('account_signup')}?next={path}" in page
    assert "Accept and join" not in page


def test_a_used_or_expired_link_says_so_and_names_nobody(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    path = accept_path()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    for someone in (None, UserFactory(email="intruder@example.com"), UserFactory(email="colleague@example.com")):
        as_someone_else(client, someone)
        response = client.get(path)
        assert response.status_code == 409 and "expired" in response.content.decode()
        assert "colleague@" not in response.content.decode()


def test_expired_invitation_is_refused(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(UserFactory(email="colleague@example.com"))
    response = client.post(accept_path())
    assert response.status_code == 409
    assert "expired" in response.content.decode()


def test_invitation_can_be_used_once(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    path = accept_path()
    client.force_login(UserFactory(email="colleague@example.com"))
    assert client.post(path).status_code == 302
    response = client.post(path)
    assert response.status_code == 409
    assert "already been used" in response.content.decode()


def test_reinviting_replaces_the_earlier_link(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    first = accept_path()
    invite(client, on_commit, admin_membership)
    client.force_login(UserFactory(email="colleague@example.com"))
    response = client.post(first)
    assert response.status_code == 409
    assert "replaced or withdrawn" in response.content.decode()
    assert client.post(accept_path()).status_code == 302


def test_a_made_up_token_is_a_clear_404(client):
    client.force_login(UserFactory())
    response = client.get(reverse("organisations:invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_accepting_needs_sign_in(client, on_commit, admin_membership):
    invite(client, on_commit, admin_membership)
    path = accept_path()
    client.logout()
    response = client.post(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login")) and "next=" in response.url
    assert not Invitation.objects.get().accepted_at


def test_an_ordinary_member_cannot_invite(client):
    member = MembershipFactory(role=Membership.Role.MEMBER)
    client.force_login(member.user)
    url = reverse("organisations:invite", args=[member.organisation.slug])
    assert client.get(url).status_code == 403
    response = client.post(url, {"email": "x@example.com", "role": "admin"})
    assert response.status_code == 403
    assert "Only an administrator of this organisation can invite colleagues." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_outsider_cannot_see_an_organisations_team(client):
    organisation = OrganisationFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("organisations:detail", args=[organisation.slug])).status_code == 403


def test_inviting_an_existing_member_explains_and_keeps_the_input(client, on_commit, admin_membership):
    MembershipFactory(organisation=admin_membership.organisation, user=UserFactory(email="already@example.com"))
    response = invite(client, on_commit, admin_membership, email="Already@Example.com")
    assert response.status_code == 200
    page = response.content.decode()
    assert "already@example.com is already a member" in page
    assert 'value="Already@Example.com"' in page
    assert not mail.outbox


def test_bad_email_is_refused_with_a_specific_message(client, on_commit, admin_membership):
    response = invite(client, on_commit, admin_membership, email="not-an-email")
    assert response.status_code == 200
    assert "Enter an email address in the correct format" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_member_of_another_organisation_is_not_a_member_of_this_one(client):
    """Regression: with the team prefetched (as the organisation page loads it), membership was read from every
    organisation in the database, so any admin anywhere could see this team and invite people into it."""
    from organisations.models import Membership

    ours = MembershipFactory(role=Membership.Role.ADMIN).organisation
    outsider = MembershipFactory(role=Membership.Role.ADMIN).user  # admin of a different organisation
    client.force_login(outsider)
    assert client.get(reverse("organisations:detail", args=[ours.slug])).status_code == 403
    assert client.get(reverse("organisations:invite", args=[ours.slug])).status_code == 403
    response = client.post(reverse("organisations:invite", args=[ours.slug]), {"email": "friend@example.com"})
    assert response.status_code == 403
    assert not ours.invitations.exists()
