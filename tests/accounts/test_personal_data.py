"""Subject access and erasure: `person_export` shows everything held about a person (never a secret), and
`person_erase` removes or anonymises it in one go while the organisation's records stay."""

import json
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from applications.models import Application, Assignment, Score
from challenges import services as challenge_services
from challenges.models import AlertSubscription, ChallengeFollow, Clarification, Criterion
from civtech.errors import DomainError
from civtech.personal_data import person_erase
from cms import services as cms_services
from cms.models import DemoDayRegistration
from impact.services.returns import return_submit
from notifications.models import OutboundEmail
from organisations.models import Invitation, Membership, hash_token
from organisations.services import invitation_accept, invitation_send, membership_add
from sprints import services as sprint_services
from sprints.models import Message, MessageNotice, MessagePreference, SprintUpdate
from tests.factories import (
    GOOD_RETURN,
    PASSWORD,
    TOTP_SECRET,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_applicant,
    make_application,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_impact_return,
    staff_user,
)

pytestmark = pytest.mark.django_db

EMAIL = "morag.quinlivan@example.com"
SECOND = "morag.home@example.net"
UNVERIFIED = "someone.else@example.org"  # typed into the account, never proved to be theirs
FIRST_NAME, LAST_NAME = "Morag", "Quinlivan"


@pytest.fixture
def person(client):
    """Someone with one of every kind of data the platform holds, signed in on `client`."""
    staff = staff_user()
    user = make_applicant(email=EMAIL, first_name=FIRST_NAME, last_name=LAST_NAME, mfa=True)
    EmailAddress.objects.create(user=user, email=SECOND, verified=True, primary=False)
    EmailAddress.objects.create(user=user, email=UNVERIFIED, verified=False, primary=False)
    SocialAccount.objects.create(user=user, provider="openid_connect", uid="sub-8841")
    token = Token.objects.create(user=user)
    UserProfile.objects.create(user=user, preferred_language="en", current_time_zone="Europe/London")

    # Records made for their organisation, and as an assessor of someone else's application.
    engagement = make_engagement(applicant=user, by=staff)
    application = engagement.application
    sprint_services.message_post(engagement=engagement, by=staff, body="Welcome to exploration.")  # told at once
    sprint_services.message_post(engagement=engagement, by=user, body="Thanks, see you on Tuesday.")
    sprint_services.sprint_update_post(
        sprint=engagement.sprints.first(), by=user, done="Interviews", next_steps="Prototype"
    )
    sprint_services.message_preference_set(user=user, frequency="daily")
    impact_return = make_impact_return(engagement=engagement)
    return_submit(impact_return=impact_return, by=user, figures=GOOD_RETURN)
    assessed = make_application()
    criterion = Criterion.objects.filter(round=assessed.challenge.round).first()
    assignment = Assignment.objects.create(application=assessed, assessor=user, assigned_by=staff, has_conflict=False)
    Score.objects.create(assignment=assignment, criterion=criterion, value=4, comment="Clear plan.")

    # Questions, follows and alerts (one by their account, one by an address alone).
    challenge = make_challenge(title="Cut food waste in schools")
    challenge_services.clarification_ask(challenge=challenge, by=user, question="Is the data anonymised?")
    challenge_services.alert_subscribe(email=EMAIL, sectors=[], keywords="health", user=user)
    challenge_services.alert_subscribe(email=SECOND, sectors=[], keywords="transport")
    challenge_services.alert_subscribe(email=UNVERIFIED, sectors=[], keywords="someone else's")

    # Invitations: one still pending, one accepted (the organisation's record of who joined).
    other = OrganisationFactory(name="Other Ltd")
    other_admin = make_applicant(organisation=other)
    invitation_send(organisation=other, email=EMAIL, role="member", by=other_admin)
    invitation_send(organisation=other, email="colleague@example.org", role="member", by=other_admin)
    joined = OrganisationFactory(name="Joined Ltd")
    make_applicant(organisation=joined)
    Invitation.objects.create(
        organisation=joined, email=EMAIL, role="member", token_hash=hash_token("joined-token"),
        expires_at=timezone.now() + timedelta(days=3),
    )  # fmt: skip
    invitation_accept(token="joined-token", user=user)

    event = make_demo_day()
    cms_services.demo_day_register(
        event=event, name=f"{FIRST_NAME} {LAST_NAME}", email=EMAIL, organisation="Quinlivan Labs",
        accessibility_needs="Step-free access, please", by=user,
    )  # fmt: skip

    client.force_login(user)
    return SimpleNamespace(
        user=user, staff=staff, token=token, application=application, challenge=challenge, other=other,
        joined=joined, session_key=client.session.session_key, password_hash=user.password,
    )  # fmt: skip


def export_of(email: str) -> tuple[str, dict]:
    out = StringIO()
    call_command("person_export", email, stdout=out)
    return out.getvalue(), json.loads(out.getvalue())


def erase(email: str, *extra: str) -> str:
    out = StringIO()
    call_command("person_erase", email, "--requested-by", "Data protection officer", "--reason", "SAR-2025-014",
                 *extra, stdout=out)  # fmt: skip
    return out.getvalue()


def audit_text() -> str:
    """Every audit entry's label and data, as one string to search."""
    return json.dumps([[e.label, e.data] for e in ModelLogEntry.objects.all()])


# --- Export -----------------------------------------------------------------------------------------
def test_the_export_holds_every_kind_of_data_about_the_person(person):
    text, data = export_of(EMAIL)
    assert data["user"]["email"] == EMAIL and data["user"]["last_name"] == LAST_NAME
    assert "Applicant" in data["user"]["groups"]
    assert {a["email"] for a in data["email_addresses"]} == {EMAIL, SECOND, UNVERIFIED}
    assert [a["type"] for a in data["mfa_authenticators"]] == ["totp"]
    assert data["social_accounts"][0] | {"date_joined": None} == {
        "provider": "openid_connect", "uid": "sub-8841", "date_joined": None,
    }  # fmt: skip
    assert len(data["api_tokens"]) == 1 and data["api_tokens"][0]["created"]
    assert data["admin_profile"]["current_time_zone"] == "Europe/London"
    assert {m["organisation"] for m in data["memberships"]} == {person.application.organisation.name, "Joined Ltd"}
    assert {(i["organisation"], bool(i["accepted_at"])) for i in data["invitations"]} == {
        ("Other Ltd", False), ("Joined Ltd", True),
    }  # fmt: skip
    assert {(s["email"], s["keywords"]) for s in data["alert_subscriptions"]} == {
        (EMAIL, "health"), (SECOND, "transport"),
    }  # fmt: skip
    assert [f["challenge"] for f in data["challenge_follows"]] == ["Cut food waste in schools"]
    assert data["clarification_questions"][0]["question"] == "Is the data anonymised?"
    assert data["demo_day_registrations"][0]["accessibility_needs"] == "Step-free access, please"
    sent_to = {e["to"] for e in data["emails_sent_to_them"]}
    assert sent_to == {EMAIL, SECOND}  # the invitation and message emails, and the alert confirmation
    assert all(e["subject"] and "body_text" in e for e in data["emails_sent_to_them"])
    assert data["message_preference"] == "daily"
    assert len(data["message_notices"]) == 1
    actions = {e["action"] for e in data["audit_log"]}
    assert {"civtech.clarification.ask", "civtech.sprint.update", "civtech.role.grant"} <= actions
    records = data["records_for_organisations"]
    assert records["applications_created"][0]["reference"] == person.application.reference
    assert records["applications_created"][0]["status"] == "selected"
    assert len(records["impact_returns_submitted"]) == 1
    assert len(records["sprint_updates_posted"]) == 1
    assert len(records["messages_written"]) == 1
    assert records["assessments"][0]["scores"] == 1
    # No secrets: not the password hash, the TOTP secret or the API token's key.
    assert person.password_hash not in text and "pbkdf2" not in text and "password" not in data["user"]
    assert TOTP_SECRET not in text and person.token.key not in text
    assert "Thanks, see you on Tuesday." not in text  # records are referenced, not copied
    # What is held only by an address they never verified may be someone else's: not theirs to read.
    assert "someone else's" not in text


def test_the_export_finds_the_person_by_any_of_their_addresses_and_writes_a_private_file(person, tmp_path):
    path = tmp_path / "sar.json"
    call_command("person_export", SECOND.upper(), "--output", str(path), stderr=StringIO())
    assert json.loads(path.read_text())["user"]["email"] == EMAIL
    assert path.stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError, match="No account has the address"):
        call_command("person_export", UNVERIFIED)  # an unverified address does not identify anyone


def test_an_unknown_address_is_a_command_error():
    with pytest.raises(CommandError, match=r"No account has the address nobody@example\.com"):
        call_command("person_export", "nobody@example.com")
    with pytest.raises(CommandError, match="No account has the address"):
        erase("nobody@example.com", "--yes")


# --- Erasure ----------------------------------------------------------------------------------------
def test_erasure_removes_what_is_personal_and_keeps_the_organisations_records(person):
    output = erase(EMAIL, "--yes")
    user = person.user
    user.refresh_from_db()
    assert "Erased: account" in output and "emails_to_them" in output

    assert user.email == f"erased-{user.pk}@invalid"
    assert (user.first_name, user.last_name, user.last_login) == ("", "", None)
    assert not user.is_active and not user.has_usable_password() and not user.groups.exists()
    for model in (EmailAddress, Authenticator, SocialAccount, Token, UserProfile, Membership, ChallengeFollow,
                  MessagePreference):  # fmt: skip
        assert not model.objects.filter(user=user).exists(), model
    # By account and by their second address alone; not by an address they never proved was theirs.
    assert list(AlertSubscription.objects.values_list("email", flat=True)) == [UNVERIFIED]
    assert not DemoDayRegistration.objects.exists()
    assert not OutboundEmail.objects.filter(to__in=[EMAIL, SECOND]).exists()
    assert OutboundEmail.objects.filter(to="colleague@example.org").exists()  # other people's email stays
    assert OutboundEmail.objects.filter(to=UNVERIFIED).exists()
    assert not Invitation.objects.filter(email=EMAIL).exists()
    assert Invitation.objects.get(organisation=person.joined).email == user.email  # accepted: kept, anonymised

    # The organisation's and the procurement record stay, pointing at the anonymised account.
    application = Application.objects.get(pk=person.application.pk)
    assert application.created_by_id == user.pk and application.reference == person.application.reference
    assert SprintUpdate.objects.get().posted_by_id == user.pk
    assert Message.objects.filter(author=user).count() == 1
    assert Score.objects.get(assignment__assessor=user).value == 4
    assert Clarification.objects.get().asked_by_id == user.pk
    assert MessageNotice.objects.filter(user=user).exists()
    assert "applications.Application.created_by" in output


def test_erasure_signs_the_person_out_everywhere_but_leaves_other_sessions(person, client):
    other = UserFactory()
    other_client = client.__class__()
    other_client.force_login(other)
    other_key = other_client.session.session_key
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    erase(EMAIL, "--yes")

    assert not Session.objects.filter(session_key=person.session_key).exists()
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert Session.objects.filter(session_key=other_key).exists()
    assert other_client.get(reverse("accounts:dashboard")).status_code == 200


def test_the_erased_person_cannot_sign_in(person, client):
    erase(EMAIL, "--yes")
    for login in (EMAIL, f"erased-{person.user.pk}@invalid"):
        fresh = client.__class__()
        fresh.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in fresh.session


def test_the_erasure_is_audited_without_the_persons_details(person):
    erase(EMAIL, "--yes")
    entry = ModelLogEntry.objects.get(action="civtech.person.erase")
    assert entry.object_id == str(person.user.pk)
    assert entry.data["requested_by"] == "Data protection officer" and entry.data["reason"] == "SAR-2025-014"
    assert entry.data["deleted"]["email_addresses"] == 3
    recorded = json.dumps([entry.label, entry.data]).lower()
    for detail in (EMAIL, SECOND, FIRST_NAME, LAST_NAME):
        assert detail.lower() not in recorded
    # Nor does any older entry still quote them: addresses, the account's name and the guest's name are gone.
    everything = audit_text().lower()
    for detail in (EMAIL, SECOND, LAST_NAME):
        assert detail.lower() not in everything
    assert UNVERIFIED in everything  # the owner of that address subscribed; their record is not ours to change
    assert ModelLogEntry.objects.filter(action="civtech.membership.remove").count() == 2
    assert ModelLogEntry.objects.filter(action="civtech.clarification.ask", user=person.user).exists()


def snapshot() -> dict:
    """Enough of the database to see any change an erasure would make."""
    models = [
        EmailAddress, Authenticator, SocialAccount, Token, Membership, Invitation, AlertSubscription, ChallengeFollow,
        MessagePreference, DemoDayRegistration, OutboundEmail, Session, ModelLogEntry,
    ]  # fmt: skip
    user = UserFactory._meta.model.objects.get(email=EMAIL)
    return {
        "counts": {m.__name__: m.objects.count() for m in models},
        "user": (user.email, user.first_name, user.last_name, user.password, user.is_active, user.groups.count()),
        "invitations": sorted(Invitation.objects.values_list("email", flat=True)),
        "audit": audit_text(),
    }


def test_without_yes_it_shows_the_counts_and_changes_nothing(person):
    before = snapshot()
    output = erase(EMAIL)
    assert snapshot() == before
    assert "Would delete:" in output and "Nothing has been changed" in output
    counts = dict(line.split() for line in output.splitlines() if line.startswith("  ") and len(line.split()) == 2)
    assert counts["email_addresses"] == "3" and counts["alert_subscriptions"] == "2" and counts["sessions"] == "1"
    assert counts["invitations"] == "1" and counts["accepted_invitations"] == "1"


def test_a_superuser_is_refused(client):
    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    for extra in ((), ("--yes",)):
        with pytest.raises(CommandError, match="superuser"):
            erase("root@example.com", *extra)
    admin.refresh_from_db()
    assert admin.is_active and admin.email == "root@example.com"


def test_the_only_administrator_of_an_organisation_with_members_is_refused():
    organisation = OrganisationFactory(name="Busy Ltd")
    sole = make_applicant(organisation=organisation, email="sole@example.com")
    MembershipFactory(organisation=organisation)
    with pytest.raises(DomainError, match="only administrator of Busy Ltd"):
        person_erase(user=sole, requested_by="DPO", reason="request")
    membership_add(organisation=organisation, user=UserFactory(), role="admin", by=None)
    assert person_erase(user=sole, requested_by="DPO", reason="request")["deleted"]["memberships"] == 1


def test_erasing_twice_is_harmless(person):
    erase(EMAIL, "--yes")
    entries = ModelLogEntry.objects.count()
    with pytest.raises(CommandError, match="No account has the address"):
        erase(EMAIL, "--yes")  # the address is gone with the data
    output = erase(f"erased-{person.user.pk}@invalid", "--yes")
    assert "already erased: nothing to do" in output
    assert ModelLogEntry.objects.count() == entries
    assert person_erase(user=person.user, requested_by="DPO", reason="again") == {"already_erased": True}


def test_who_asked_and_why_are_required():
    user = UserFactory()
    with pytest.raises(DomainError, match="who asked"):
        person_erase(user=user, requested_by=" ", reason="request")
