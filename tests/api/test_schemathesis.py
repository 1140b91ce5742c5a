"""Fuzz the API against its own OpenAPI description: no server errors, no response outside the schema.

Bounded for CI: a few examples per operation (about a minute in all). Staff operations are called with a
programme staff token so their responses are checked too; without one they must answer 401 (checked by
schemathesis's `ignored_auth` check and by tests/api/test_staff_api.py).
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from tests.factories import staff_user

# One worker, in file order: the last test reads what the fuzz tests recorded in this process (STAFF_CALLS).
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("schemathesis")]

MAX_EXAMPLES = 12
# Generating the description touches no database, so it can load as the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())


@pytest.fixture
def in_process(settings):
    # The fuzzer makes hundreds of requests in a few seconds: lift the limits (their own test checks them).
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
    # As Django's test client does: keep the test's transaction (and its data) open across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


TOKEN: dict[str, str] = {}
STAFF_CALLS: list[int] = []  # statuses of calls made with the token, to prove it was sent and accepted


@pytest.fixture
def staff_token(db):
    TOKEN["key"] = Token.objects.create(user=staff_user()).key
    yield TOKEN["key"]
    TOKEN.clear()


@schema.auth(cache_by_key=lambda case, context: TOKEN.get("key", "")).apply_to(path_regex="^/api/v1/staff/")
class StaffToken:
    """The staff fixture's token (schemathesis asks once at collection too, before any database exists); it also
    sends cases without it, which must be refused."""

    def get(self, case, context):
        return TOKEN.get("key", "no-token-yet")

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case, programme, staff_token, in_process):
    response = case.call_and_validate()
    if (case.headers or {}).get("Authorization") == f"Token {staff_token}":
        assert response.status_code != 401, "the staff token must be accepted"
        STAFF_CALLS.append(response.status_code)


def test_the_fuzzer_called_the_staff_endpoints_with_the_token():
    """Runs after the fuzz test (same module, file order): staff operations were exercised, not only refused."""
    assert 200 in STAFF_CALLS
