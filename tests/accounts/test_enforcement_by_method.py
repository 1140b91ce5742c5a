"""Enforcement middleware refuses every HTTP method, not just GET (#23).

A check written as `if request.method == "GET"` (or placed in a view's `get`) passes every GET-only test while a
POST goes straight through. The skipped-second-factor branch and the admin scope are already walked with GET and
POST (test_sign_in_doors, test_admin_scope); these cover the no-authenticator branch and the NUL refusal.
"""

import time

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory, make_challenge, staff_user

pytestmark = pytest.mark.django_db

PRIVILEGED = [Role.PROGRAMME_STAFF, Role.SPONSOR, Role.ASSESSOR]
METHODS = ["post", "put", "patch", "delete"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", PRIVILEGED)
@pytest.mark.parametrize("path", ["/dashboard/", "/organisations/", "/admin/", "/admin/pages/"])
def test_without_an_authenticator_every_method_is_sent_to_set_one_up(client, role, path, method):
    client.force_login(UserFactory(role=role))
    response = getattr(client, method)(path)
    assert response.status_code == 302, (method, path, response.status_code)
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("url", ["/challenges/?q=%00", "/?%00=1", "/api/v1/challenges/?sponsor=%00"])
def test_a_null_character_in_the_query_string_is_refused_for_every_method(client, url, method):
    make_challenge()
    response = getattr(client, method)(url)
    assert response.status_code == 400, (method, url, response.status_code)
    assert "null character" in response.content.decode()


def test_a_null_character_is_refused_on_an_admin_post_too(client):
    client.force_login(staff_user())
    assert client.post("/admin/pages/search/?q=%00").status_code == 400


# --- The two-factor middleware's own edges (mutation testing, docs/testing.md) ------------------------------------
# A password alone is not a second factor; the two pages a session without one may use; the paths it never stops;
# where (and with what message) it sends people, for GET and POST alike.


def signed_in_with(client, user, *methods: str) -> None:
    """A session whose sign-in used exactly these methods, as allauth records them."""
    client.force_login(user, second_factor=False)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": m, "at": time.time()} for m in methods]
    session.save()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_password_alone_is_not_the_second_factor(client, method):
    staff = staff_user()
    signed_in_with(client, staff, "password")
    response = getattr(client, method)("/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fdashboard%2F"
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Enter a code from your authenticator app to continue."
    ]
    signed_in_with(client, staff, "password", "mfa")
    assert client.get("/dashboard/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_without_the_second_factor_only_the_code_step_and_signing_out_answer(client, method):
    staff = staff_user()
    signed_in_with(client, staff, "password")
    step = getattr(client, method)(reverse("mfa_reauthenticate"))
    assert step.status_code == 200, step.get("Location")
    sign_out = getattr(client, method)(reverse("account_logout"))
    assert not sign_out.get("Location", "").startswith(reverse("mfa_reauthenticate"))
    assert sign_out.status_code in (200, 302)


@pytest.mark.parametrize("method", ["get", "post"])
def test_without_an_authenticator_people_are_sent_to_set_one_up_and_brought_back(client, method):
    client.force_login(UserFactory(role=Role.SPONSOR))
    response = getattr(client, method)("/dashboard/?tab=mine")
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fdashboard%2F%3Ftab%3Dmine"
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        "Your role needs two-factor authentication. Set up an authenticator app to continue."
    ]


@pytest.mark.parametrize("path", ["/healthz", f"{settings.STATIC_URL}civtech/missing.css"])
def test_health_checks_and_static_files_are_never_stopped(client, path):
    """A privileged person without an authenticator (or without using it) still gets static files and health."""
    client.force_login(UserFactory(role=Role.PROGRAMME_STAFF))
    response = client.get(path)
    assert not response.get("Location", "").startswith(reverse("mfa_activate_totp")), path
    signed_in_with(client, staff_user(), "password")
    response = client.get(path)
    assert not response.get("Location", "").startswith(reverse("mfa_reauthenticate")), path
