"""The account journey as a new user meets it: sign up, verify, sign in, reset, sign out."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboundEmail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def only_link(message) -> str:
    (link,) = re.findall(r"https?://\S+", message.body)
    return link


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_sign_up_needs_email_verification_before_sign_in(client, on_commit):
    with on_commit():
        response = client.post(
            reverse("account_signup"),
            {"email": "New.Person@Example.com", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.com"  # one identity per address, whatever the case
    assert not EmailAddress.objects.get(user=user).verified

    # Exactly one verification email, delivered through the outbox.
    assert len(mail.outbox) == 1
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    confirm_path = path_of(only_link(mail.outbox[0]))

    # Signing in before verifying sends them back to the "check your email" page, not to their account.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new.person@example.com", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified

    response = client.post(
        reverse("account_login"), {"login": "new.person@example.com", "password": "a-long-passphrase"}
    )
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_sign_up_refuses_a_weak_password_and_keeps_the_email_typed(client):
    response = client.post(
        reverse("account_signup"), {"email": "a@example.com", "password1": "short", "password2": "short"}
    )
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()
    assert 'value="a@example.com"' in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_an_address_already_registered_tells_only_its_owner(client, on_commit):
    UserFactory(email="taken@example.com")
    with on_commit():
        response = client.post(
            reverse("account_signup"),
            {"email": "TAKEN@example.com", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        )
    # The page looks the same as for a new address (no account enumeration); the owner is emailed instead.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["taken@example.com"]]
    assert "already" in mail.outbox[0].body.lower()


def test_wrong_password_is_refused_with_a_clear_message(client):
    UserFactory(email="person@example.com")
    response = client.post(reverse("account_login"), {"login": "person@example.com", "password": "wrong-password"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert 'value="person@example.com"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    response = client.post(reverse("account_login"), {"login": "nobody@example.com", "password": "whatever-it-is"})
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_password_reset_link_sets_a_new_password(client, on_commit):
    UserFactory(email="forgetful@example.com")
    with on_commit():
        response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    response = client.get(path_of(only_link(mail.outbox[0])), follow=True)
    form_path = response.redirect_chain[-1][0]
    response = client.post(form_path, {"password1": "brand-new-passphrase", "password2": "brand-new-passphrase"})
    assert response.status_code == 302
    assert User.objects.get(email="forgetful@example.com").check_password("brand-new-passphrase")


def test_expired_password_reset_link_is_refused(client, on_commit, settings):
    UserFactory(email="late@example.com")
    with on_commit():
        client.post(reverse("account_reset_password"), {"email": "late@example.com"})
    settings.PASSWORD_RESET_TIMEOUT = -1  # every token is now older than the limit
    response = client.get(path_of(only_link(mail.outbox[0])), follow=True)
    assert response.status_code == 200
    assert "Bad Token" in response.content.decode() or "invalid" in response.content.decode().lower()
    assert User.objects.get(email="late@example.com").check_password(PASSWORD)


def test_password_reset_for_an_unknown_address_reveals_nothing(client, on_commit):
    with on_commit():
        response = client.post(reverse("account_reset_password"), {"email": "ghost@example.com"})
    assert response.status_code == 302
    assert OutboundEmail.objects.filter(to="ghost@example.com", subject__icontains="reset").count() <= 1


def test_sign_out_needs_a_post(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("account_logout")).status_code == 200  # a confirmation page
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_rate_limit_blocks_repeated_failed_sign_ins(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,3/5m/key"}
    UserFactory(email="target@example.com")
    pages = [
        client.post(
            reverse("account_login"), {"login": "target@example.com", "password": f"guess-{i}"}
        ).content.decode()
        for i in range(4)
    ]
    too_many = "Too many failed login attempts. Try again later."
    assert [too_many in page for page in pages] == [False, False, False, True]
    # Even the right password is refused while the limit applies.
    response = client.post(reverse("account_login"), {"login": "target@example.com", "password": PASSWORD})
    assert too_many in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_rate_limit_on_sign_up_answers_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    statuses = [
        client.post(
            reverse("account_signup"),
            {"email": f"flood{i}@example.com", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        ).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert User.objects.count() == 2
