"""List endpoints and the OCDS packages run a constant number of queries, however many rows they return."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.services import clarification_answer, clarification_ask
from ledger.services import contract_verify
from sprints.services.outcomes import outcome_record
from tests.api.conftest import make_accelerator, shift_round
from tests.factories import (
    PublicBodyFactory,
    add_pitch_criteria,
    make_applicant,  # fmt: skip
    make_challenge,
    make_round,
    make_sponsor_member,
    staff_user,
)

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/rounds/",
    "/api/v1/challenges/",
    "/api/v1/questions/",
    "/api/v1/companies/",
    "/api/v1/solutions/",
    "/api/v1/contracts/",
    "/api/v1/ocds/releases.json",
    "/api/v1/ocds/records.json",
    "/open-data/contracts.csv",
]


def add_completed_challenge(staff):
    """A published challenge with a question answered and a completed accelerator with a verified follow-on."""
    body = PublicBodyFactory()
    round_ = make_round(opened_days_ago=7)
    add_pitch_criteria(round_)
    challenge = make_challenge(sponsor=body, round=round_)
    asked = clarification_ask(challenge=challenge, by=make_applicant(), question="When?")
    clarification_answer(clarification=asked, by=make_sponsor_member(body, mfa=True), answer="Soon.")
    shift_round(round_, 93)  # then the call closed and the accelerator began
    engagement = make_accelerator(challenge, staff)
    outcome_record(engagement=engagement, by=staff, outcome="follow_on", value=Decimal("1000"))
    contract_verify(contract=engagement.organisation.contracts_won.get(kind="follow_on"), by=staff)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(queries)


def test_list_endpoints_make_the_same_queries_for_one_row_and_many(anon, django_assert_max_num_queries):
    staff = staff_user()
    add_completed_challenge(staff)
    one = {url: count_queries(anon, url) for url in URLS}
    for _ in range(3):
        add_completed_challenge(staff)
    for url in URLS:
        with django_assert_max_num_queries(one[url]):
            response = anon.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
    assert anon.get("/api/v1/solutions/").json()["count"] == 4


def test_every_open_data_file_and_staff_endpoint_costs_the_same_for_one_row_and_many(anon):
    """The other open-data CSVs (the contracts one is above) and the staff API's lists, read with a staff token."""
    from api.open_data import DATASETS
    from tests.api.conftest import token_client

    staff = staff_user()
    staff_client = token_client(staff)
    files = [f"/open-data/{dataset.slug}.csv" for dataset in DATASETS]
    staff_urls = [
        "/api/v1/staff/applications/", "/api/v1/staff/scores/", "/api/v1/staff/impact-returns/",
        "/api/v1/staff/benefits/",
    ]  # fmt: skip

    def counts() -> dict:
        return {
            **{url: count_queries(anon, url) for url in files},
            **{u: count_queries(staff_client, u) for u in staff_urls},
        }

    add_completed_challenge(staff)
    one = counts()
    for _ in range(3):
        add_completed_challenge(staff)
    many = counts()
    assert {url: (one[url], many[url]) for url in one if many[url] > one[url]} == {}  # none grew with the rows
    assert staff_client.get("/api/v1/staff/applications/").json()["count"] >= 4
