"""The public page cache (civtech/cache.py): anonymous visitors get shared copies, nobody else does, and a
publish or a published answer is visible on the very next request."""

import time

import pytest
from django.core.cache import cache

from accounts.roles import Role
from challenges import services as challenge_services
from civtech.cache import HEADER, VERSION_KEY
from tests.factories import UserFactory, make_challenge, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(settings):
    settings.PUBLIC_CACHE_SECONDS = 60


@pytest.fixture
def challenge(client):
    page = make_challenge(title="Reduce missed hospital appointments")
    client.get("/")  # the first page view creates the site settings row, which (rightly) bumps the version
    return page


def test_an_anonymous_visitor_gets_the_shared_copy_on_the_second_request(client, challenge):
    first = client.get(challenge.url)
    second = client.get(challenge.url)

    assert first[HEADER] == "miss"
    assert second[HEADER] == "hit"
    assert second.content == first.content
    # The security headers set inside the cache are kept with the copy.
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_the_query_string_is_part_of_the_key(client, challenge):
    client.get("/challenges/")
    assert client.get("/challenges/")[HEADER] == "hit"
    assert client.get("/challenges/?q=nothing-matches-this")[HEADER] == "miss"


def test_a_signed_in_visitor_is_never_served_or_stored(client, challenge):
    client.get(challenge.url)  # an anonymous copy exists
    user = UserFactory(role=Role.APPLICANT, first_name="Morag")
    client.force_login(user)

    response = client.get(challenge.url)

    assert HEADER not in response
    assert "Sign out" in response.content.decode()
    client.logout()
    client.cookies.clear()
    assert "Sign out" not in client.get(challenge.url).content.decode()


def test_pages_with_a_csrf_token_or_that_set_cookies_are_not_stored(client):
    response = client.get("/alerts/")  # the subscription form carries a CSRF token

    assert response.status_code == 200
    assert HEADER not in response
    assert HEADER not in client.get("/alerts/")


def test_a_visitor_with_messages_waiting_bypasses_the_cache(client, challenge):
    client.get(challenge.url)
    client.cookies["messages"] = "anything"
    assert HEADER not in client.get(challenge.url)


def test_health_admin_and_api_are_never_cached(client):
    for path in ("/healthz", "/admin/", "/api/v1/"):
        client.get(path)
        assert HEADER not in client.get(path), path


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_publishing_a_change_is_visible_within_a_second(client, challenge):
    assert client.get(challenge.url)[HEADER] == "miss"
    assert client.get(challenge.url)[HEADER] == "hit"
    version = cache.get(VERSION_KEY)

    page = challenge.specific
    page.title = "Reduce missed dental appointments"
    page.save_revision().publish()
    published_at = time.monotonic()
    response = client.get(page.url)
    listing = client.get("/challenges/")

    assert time.monotonic() - published_at < 1
    assert cache.get(VERSION_KEY) != version
    assert "Reduce missed dental appointments" in response.content.decode()
    assert "Reduce missed dental appointments" in listing.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_unpublishing_removes_the_page_at_once(client, challenge):
    assert client.get(challenge.url).status_code == 200
    assert client.get(challenge.url)[HEADER] == "hit"

    challenge.specific.unpublish()

    assert client.get(challenge.url).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_published_answer_is_visible_at_once(client, challenge):
    asker = UserFactory(role=Role.APPLICANT)
    question = challenge_services.clarification_ask(
        challenge=challenge, by=asker, question="Can the pilot use synthetic data at first?"
    )
    client.get(challenge.url)
    assert client.get(challenge.url)[HEADER] == "hit"

    challenge_services.clarification_answer(
        clarification=question, by=staff_user(), answer="Yes, synthetic data is fine for exploration."
    )

    assert "Yes, synthetic data is fine for exploration." in client.get(challenge.url).content.decode()
