import os
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import PublicBodyFactory, make_challenge, make_engagement, make_round, make_sector, staff_user


def rebuild() -> None:
    call_command("search_index", "--rebuild", stdout=StringIO())


def make_solution(*, challenge=None, staff=None, reuse_by=None, verified=True, applicant=None):
    """A completed accelerator (a product) and, optionally, a reuse contract with another public body."""
    from ledger.services import contract_record_follow_on, contract_verify
    from sprints.services import outcome_record

    staff = staff or staff_user()
    challenge = challenge or make_challenge(round=make_round(opened_days_ago=120))
    engagement = make_engagement(stage="accelerator", challenge=challenge, by=staff, applicant=applicant)
    engagement = outcome_record(engagement=engagement, by=staff, outcome="follow_on", value=Decimal("100000"))
    if reuse_by is not None:
        today = date.today()
        contract = contract_record_follow_on(
            challenge=challenge,
            supplier=engagement.application.organisation,
            kind="reuse",
            buyer=reuse_by,
            title="Reuse",
            value=Decimal("123456"),
            starts_on=today,
            ends_on=today + timedelta(days=100),
            awarded_on=today,
            evidence="Award notice.",
            by=staff,
        )
        if verified:
            contract_verify(contract=contract, by=staff)
    return engagement


needs_postgres = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="PostgreSQL-only (tsvector, pg_trgm): set DATABASE_URL=postgres://… to run",
)


@pytest.fixture
def vendor():
    return connection.vendor


__all__ = ["PublicBodyFactory", "make_sector", "make_solution", "needs_postgres", "rebuild"]
