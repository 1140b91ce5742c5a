"""One sign-in, one second factor: every way into a privileged account, found by walking the URL resolver.

Every route the product answers (ours, allauth's, Wagtail's, DRF's) is requested; any that offers a password field
is a door. Each door is tried with the real password of staff, a sponsor and an assessor who all have an
authenticator: afterwards nothing that needs the role may answer. A new library view that signs people in with a
password alone fails here the day it is mounted, with no list to update.
"""

import json
import re
import time
from html.parser import HTMLParser

import pytest
from django.test.client import MULTIPART_CONTENT
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.roles import Role
from tests.factories import (
    PASSWORD,
    PublicBodyFactory,
    UserFactory,
    make_sponsor_member,
    sign_in,
    staff_user,
    totp_now,
)

pytestmark = pytest.mark.django_db

# Pages only a privileged person may open: none may answer 200 to a session that skipped the second factor.
PRIVILEGED_PAGES = ["/admin/", "/sponsor/applications/", "/assess/", "/workspaces/", "/accounts/2fa/totp/deactivate/"]
CONVERTER_VALUES = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}


def every_route() -> list[str]:
    """A concrete path for every pattern in the resolver, route arguments filled with placeholder values."""
    paths = []

    def fill(pattern: str) -> str:
        pattern = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)  # regex groups: a value most accept
        pattern = re.sub(r"<(?:(\w+):)?\w+>", lambda m: CONVERTER_VALUES.get(m.group(1) or "str", "x"), pattern)
        return pattern.replace("^", "").replace("$", "").replace("\\", "").replace("?", "")

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            route = prefix + fill(str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                walk(pattern, route)
            elif isinstance(pattern, URLPattern):
                paths.append("/" + route)

    walk(get_resolver(), "")
    return sorted({p for p in paths if ".*" not in p and "*" not in p})


class FormFields(HTMLParser):
    """The named inputs of the form that holds a password field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action") or "", "fields": {}, "password": False}
            self.forms.append(self.current)
        elif tag in ("input", "textarea", "select") and self.current is not None and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            self.current["fields"][attrs["name"]] = (kind, attrs.get("value") or "")
            self.current["password"] |= kind == "password"

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def password_forms(html: str) -> list[dict]:
    parser = FormFields()
    parser.feed(html)
    return [form for form in parser.forms if form["password"]]


def credentials_for(form: dict, user) -> dict:
    """Fill every field: the password into password inputs, the email into anything that names a person."""
    data = {}
    for name, (kind, value) in form["fields"].items():
        if kind == "password":
            data[name] = PASSWORD
        elif kind in ("hidden", "submit", "checkbox"):
            data[name] = value or "on"
        else:
            data[name] = user.email
    return data


@pytest.fixture
def privileged():
    body = PublicBodyFactory()
    return {
        "staff": staff_user(),
        "sponsor": make_sponsor_member(body, mfa=True),
        "assessor": UserFactory(role=Role.ASSESSOR, mfa=True),
    }


_found_doors: dict = {}


@pytest.fixture
def doors():
    """Every route that shows an anonymous visitor a password field (GET), found by walking the resolver once per
    process (the answer depends on the code, not on the data) inside the asking test's transaction."""
    from django.test import Client

    if not _found_doors:
        client = Client()
        for path in every_route():  # a route that redirects is not a door; where it leads is walked too
            response = client.get(path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                forms = password_forms(response.content.decode(errors="replace"))
                if forms:
                    _found_doors[path] = forms
    return _found_doors


def test_the_walk_finds_the_doors_we_know_of(doors):
    """The detector works: allauth's sign-in and sign-up are found; the libraries' own logins lead only there."""
    assert reverse("account_login") in doors
    assert reverse("account_signup") in doors
    assert "/admin/login/" not in doors and "/_util/login/" not in doors  # redirected to allauth's sign-in


@pytest.mark.parametrize("role", ["staff", "sponsor", "assessor"])
def test_no_door_signs_a_privileged_person_in_without_the_second_factor(client, privileged, doors, role):
    user = privileged[role]
    for path, forms in doors.items():
        for form in forms:
            client.logout()
            action = form["action"] or path
            client.post(action, credentials_for(form, user))
            for page in PRIVILEGED_PAGES:
                response = client.get(page)
                assert response.status_code != 200, f"{path} → {page} answered without a second factor ({role})"
    # and the same password with the code does sign them in (the refusals above were not for a bad password)
    sign_in(client, user)
    assert client.get("/dashboard/").status_code == 200


def test_no_route_signs_anyone_in_or_issues_a_token_for_credentials_posted_without_the_code(client, privileged):
    """Doors with no form to find (a POST-only view, a JSON sign-in API, a token endpoint such as DRF's
    obtain_auth_token) are found by posting staff's real email and password to every route, as a form and as JSON,
    under every name a sign-in view reads. None may leave a signed-in session or an API token."""
    user = privileged["staff"]
    fields = {"username": user.email, "email": user.email, "login": user.email, "password": PASSWORD}
    for path in every_route():
        for body, kind in ((fields, MULTIPART_CONTENT), (json.dumps(fields), "application/json")):
            client.logout()
            response = client.post(path, body, content_type=kind)
            assert "_auth_user_id" not in client.session, f"POST {path} ({kind}) signed staff in without a code"
            assert not Token.objects.exists(), f"POST {path} ({kind}) issued an API token"
            assert response.status_code < 500, f"POST {path} ({kind}) answered {response.status_code}"
    # The check can fail: the same post signs in a person who has no second factor to give.
    applicant = UserFactory(role=Role.APPLICANT)
    client.post(reverse("account_login"), {**fields, "login": applicant.email})
    assert client.session["_auth_user_id"] == str(applicant.pk)


@pytest.mark.parametrize("door", ["/admin/login/", "/_util/login/", "/admin/password_reset/"])
def test_library_doors_send_every_request_to_allauth_credentials_unread(client, privileged, door):
    user = privileged["staff"]
    response = client.post(door, {"username": user.email, "email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(("/accounts/login/", "/accounts/password/reset/"))
    assert "_auth_user_id" not in client.session


def test_admin_login_keeps_a_safe_next_and_drops_an_outside_one(client):
    assert client.get("/admin/login/?next=/admin/pages/")["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/accounts/login/"


def test_forty_wrong_passwords_at_the_admin_door_then_the_right_one_signs_nobody_in(client, privileged):
    user = privileged["staff"]
    for _ in range(40):
        client.post("/admin/login/", {"username": user.email, "password": "wrong-password-1"})
    client.post("/admin/login/", {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.fixture
def production_rate_limits(settings):
    """The test settings switch allauth's limits off; these tests run with the ones the product ships."""
    from civtech.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.mark.usefixtures("production_rate_limits")
def test_allauth_sign_in_is_rate_limited_per_account_then_refuses_even_the_right_password(client, privileged):
    user = privileged["staff"]
    for _ in range(5):  # ACCOUNT_RATE_LIMITS login_failed: 5 per 5 minutes per account
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong-password-1"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


TOO_MANY_SIGN_INS = "Too many failed login attempts"


def failed_sign_in(client, email: str) -> bool:
    """One wrong password for `email`; True when allauth refused it as one attempt too many."""
    response = client.post(reverse("account_login"), {"login": email, "password": "wrong-password-1"})
    return TOO_MANY_SIGN_INS in response.content.decode()


@pytest.mark.usefixtures("production_rate_limits")
def test_the_fifth_failed_sign_in_to_one_account_is_still_checked_and_the_sixth_is_refused(client):
    """The shipped "5/5m/key": attempts 1 to 5 are each checked (and fail on the password), the sixth is refused."""
    UserFactory(email="target@example.com")
    assert [failed_sign_in(client, "target@example.com") for _ in range(6)] == [False] * 5 + [True]


@pytest.mark.usefixtures("production_rate_limits")
def test_after_four_failures_the_fifth_attempt_with_the_right_password_signs_in(client):
    user = UserFactory(email="target@example.com")
    assert [failed_sign_in(client, user.email) for _ in range(4)] == [False] * 4
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.usefixtures("production_rate_limits")
def test_the_tenth_failed_sign_in_from_one_address_is_still_checked_and_the_eleventh_is_refused(client):
    """The shipped "10/m/ip", alone: every attempt names a different account, so no account's own limit is met."""
    results = [failed_sign_in(client, f"person{n}@example.com") for n in range(11)]
    assert results == [False] * 10 + [True]


@pytest.mark.usefixtures("production_rate_limits")
def test_the_twentieth_sign_up_from_one_address_is_taken_and_the_twenty_first_refused(client):
    """The shipped "signup": "20/m/ip"."""
    statuses = [
        client.post(
            reverse("account_signup"),
            {"email": f"flood{n}@example.com", "password1": "a-long-passphrase", "password2": "a-long-passphrase"},
        ).status_code
        for n in range(21)
    ]
    assert statuses == [302] * 20 + [429]
    assert User.objects.filter(email__startswith="flood").count() == 20


@pytest.mark.parametrize("role", ["staff", "sponsor", "assessor"])
def test_a_session_that_skipped_the_second_factor_is_sent_to_it_from_every_route(client, privileged, role):
    """Whatever made the session (a door nobody thought of), every route but the code step and sign-out sends it
    to the code step: the library's account pages too, where a password alone could remove the authenticator."""
    client.force_login(privileged[role], second_factor=False)
    step, sign_out = reverse("mfa_reauthenticate"), reverse("account_logout")
    for path in every_route():
        if path in (step, sign_out) or path.startswith(("/static/", "/healthz")):
            continue
        for response in (client.get(path), client.post(path)):
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith(step), (path, response["Location"])


def test_the_code_step_records_the_factor_and_opens_the_session(client, privileged):
    user = privileged["sponsor"]
    client.force_login(user, second_factor=False)
    response = client.get("/admin/")
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    assert client.post(reverse("mfa_reauthenticate"), {"code": "000000"}).status_code == 200  # wrong: asked again
    assert client.get("/admin/").status_code == 302
    response = client.post(f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": totp_now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.usefixtures("production_rate_limits")
def test_the_code_step_is_rate_limited(client, privileged):
    user = privileged["assessor"]
    client.force_login(user, second_factor=False)
    for _ in range(5):
        client.post(reverse("mfa_reauthenticate"), {"code": "000000"})
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_now()})
    assert "Too many failed" in response.content.decode()
    assert client.get("/assess/").status_code == 302


def test_a_second_factor_recorded_for_someone_else_does_not_count(client, privileged):
    """allauth ties its records to the user: a session switched to another account starts again."""
    client.force_login(privileged["staff"])
    assert client.get("/admin/").status_code == 200
    client.force_login(privileged["sponsor"], second_factor=False)
    assert client.get("/admin/").status_code == 302


def test_setting_up_an_authenticator_counts_as_using_it(client):
    """Someone who has just typed a code from their new authenticator is not asked for another. allauth announces
    the new authenticator (authenticator_added) after its transaction commits, which in a test's transaction is
    after the response; so the activation is made through the page and the announcement delivered as it would be
    within that request, to the same session."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.signals import authenticator_added
    from django.test import RequestFactory

    user = UserFactory(role=Role.SPONSOR)
    sign_in(client, user)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session["mfa.totp.secret"]
    assert client.post(reverse("mfa_activate_totp"), {"code": totp_now(secret)}).status_code == 302
    assert client.get("/dashboard/").status_code == 302  # the announcement has not reached this session yet
    request = RequestFactory().post(reverse("mfa_activate_totp"))
    request.session, request.user = client.session, user
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    authenticator_added.send(sender=Authenticator, request=request, user=user, authenticator=authenticator)
    request.session.save()
    assert client.get("/dashboard/").status_code == 200


def test_applicants_are_never_asked_for_a_code(client):
    client.force_login(UserFactory(role=Role.APPLICANT), second_factor=False)
    assert client.get("/dashboard/").status_code == 200


def test_a_session_made_by_openid_connect_still_needs_the_second_factor(client, privileged):
    """A single sign-on through the OpenID Connect provider is one factor for our purposes: allauth records it as
    a `socialaccount` authentication, and the privileged pages still ask for the code."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    from tests.clients import _RECORDS_USER_KEY

    user = privileged["staff"]
    client.force_login(user, second_factor=False)
    session = client.session
    session[_RECORDS_USER_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "socialaccount", "at": time.time(), "provider": "scotaccount", "uid": "abc"}
    ]
    session.save()
    response = client.get("/admin/")
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    response = client.post(f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": totp_now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
