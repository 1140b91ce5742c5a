"""Two-factor authentication: available to everyone, required for staff, sponsors and assessors."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory, sign_in, totp_now

pytestmark = pytest.mark.django_db

PRIVILEGED = [Role.PROGRAMME_STAFF, Role.SPONSOR, Role.ASSESSOR]


@pytest.mark.parametrize("role", PRIVILEGED)
@pytest.mark.parametrize("path", ["/dashboard/", "/organisations/", "/admin/", "/"])
def test_privileged_user_without_mfa_is_sent_to_set_it_up(client, role, path):
    client.force_login(UserFactory(role=role))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_user_can_still_reach_account_pages_to_set_up_mfa(client, role):
    sign_in(client, UserFactory(role=role))
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    assert client.get(reverse("account_logout")).status_code == 200


def test_superuser_without_mfa_is_sent_to_set_it_up(client):
    user = UserFactory()
    user.is_superuser = user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/").url.startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("role", PRIVILEGED)
def test_privileged_user_with_mfa_gets_through(client, role):
    client.force_login(UserFactory(role=role, mfa=True))
    assert client.get("/dashboard/").status_code == 200


def test_applicant_without_mfa_is_not_asked_for_it(client):
    client.force_login(UserFactory(role=Role.APPLICANT))
    assert client.get("/dashboard/").status_code == 200


def test_anyone_can_turn_on_mfa_with_an_authenticator_code(client):
    user = UserFactory(role=Role.APPLICANT)
    sign_in(client, user)
    client.get(reverse("mfa_activate_totp"))  # puts the new secret in the session
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_sign_in_with_mfa_asks_for_the_code_and_refuses_a_wrong_one(client):
    UserFactory(email="staff@example.com", role=Role.PROGRAMME_STAFF, mfa=True)
    response = client.post(reverse("account_login"), {"login": "staff@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert "Incorrect code" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = client.post(reverse("mfa_authenticate"), {"code": totp_now()})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert client.get("/admin/").status_code == 200


def test_wagtail_admin_is_for_programme_staff_and_sponsors_only(client):
    """Sponsors write their challenges in the admin (limited to their own pages); others never enter it."""
    for role in (Role.APPLICANT, Role.ASSESSOR):
        client.force_login(UserFactory(role=role, mfa=True))
        response = client.get("/admin/")
        assert response.status_code == 302, role
        assert reverse("account_login") in response.url or response.url.startswith("/admin/login")
    for role in (Role.PROGRAMME_STAFF, Role.SPONSOR):
        client.force_login(UserFactory(role=role, mfa=True))
        assert client.get("/admin/").status_code == 200


def test_anonymous_visitor_is_sent_to_sign_in_for_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
