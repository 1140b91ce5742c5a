"""Enforcement middleware refuses every HTTP method, not just GET (#23).

A check written as `if request.method == "GET"` (or placed in a view's `get`) passes every GET-only test while a
POST goes straight through. The skipped-second-factor branch and the admin scope are already walked with GET and
POST (test_sign_in_doors, test_admin_scope); these cover the no-authenticator branch and the NUL refusal.
"""

import pytest
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
