"""Rate limits know the real client: one setting (TRUSTED_PROXY_COUNT) for the project's forms, allauth and the API.

Behind one proxy every request arrives from the proxy's address (10.0.0.1 here) with the client in X-Forwarded-For.
Two people behind it are counted apart; a header a client forges is not read, so it cannot pick a fresh bucket.
"""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from civtech.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"
ALICE, BOB = "203.0.113.7", "198.51.100.23"


def via_proxy(client_address: str, forged: str = "") -> dict:
    """What the proxy passes on: its own address as REMOTE_ADDR, the client's appended to what the client sent."""
    header = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}


def request_with(**meta):
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "meta", "expected"),
    [
        (0, via_proxy(ALICE), PROXY),  # no proxy configured: the header is the client's own words, ignored
        (1, via_proxy(ALICE), ALICE),
        (1, via_proxy(ALICE, forged="192.0.2.99"), ALICE),  # the forged entry is further left: never read
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{ALICE}, 10.0.0.2"}, ALICE),
        (2, via_proxy(ALICE), PROXY),  # fewer hops than proxies: only the nearest address can be vouched for
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": " 2001:db8::1 "}, "2001:db8::1"),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),
    ],
)
def test_the_client_address(settings, proxies, meta, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_ip(request_with(**meta)) == expected


@override_settings(TRUSTED_PROXY_COUNT=1, FORM_RATE_LIMITS={"alerts": "2/h"})
def test_project_form_limits_count_each_client_behind_the_proxy_apart(client):
    def subscribe(who, n, forged=""):
        data = {"email": f"person{n}@example.com", "keywords": "data"}
        return client.post("/alerts/", data, **via_proxy(who, forged)).status_code

    assert [subscribe(ALICE, n) for n in range(3)] == [302, 302, 429]
    assert subscribe(BOB, 3) == 302  # Bob is not locked out by Alice
    assert subscribe(ALICE, 4, forged="192.0.2.1") == 429  # a forged header does not reset Alice's limit


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_allauth_sign_in_limits_count_each_client_behind_the_proxy_apart(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    UserFactory(email="target@example.com")
    too_many = "Too many failed login attempts"

    def attempt(who, forged=""):
        data = {"login": "target@example.com", "password": "wrong-guess-1"}
        return too_many in client.post(reverse("account_login"), data, **via_proxy(who, forged)).content.decode()

    assert [attempt(ALICE), attempt(ALICE), attempt(ALICE)] == [False, False, True]
    assert attempt(ALICE, forged="192.0.2.1") is True
    assert attempt(BOB) is False


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_api_throttle_counts_each_client_behind_the_proxy_apart(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": None}}

    def get(who, forged=""):
        return client.get("/api/v1/rounds/", **via_proxy(who, forged)).status_code

    assert [get(ALICE), get(ALICE), get(ALICE)] == [200, 200, 429]
    assert get(ALICE, forged="192.0.2.1") == 429
    assert get(BOB) == 200
