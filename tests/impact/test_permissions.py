"""Every impact rule for every kind of person, in one table, and every refusal says why."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civtech.permissions import has_permission
from impact.services.benefits import benefit_record
from impact.services.returns import return_submit
from tests.factories import GOOD_FIGURES

from .test_benefits import SAVING

pytestmark = pytest.mark.django_db

# who → (return.view, return.submit, return.correct, return.verify, benefit.record, benefit.view, benefit.edit,
#        benefit.verify); the return is submitted, the benefit awaits verification.
EXPECTED = {
    "anonymous": (False, False, False, False, False, False, False, False),
    "stranger": (False, False, False, False, False, False, False, False),
    "team": (True, True, True, False, False, False, False, False),
    "other_team": (False, False, False, False, False, False, False, False),
    "sponsor": (False, False, False, False, True, True, True, False),
    "other_sponsor": (False, False, False, False, False, False, False, False),
    "staff": (True, False, True, True, True, True, True, True),
}


@pytest.mark.parametrize("who", EXPECTED)
def test_permission_table(cast, who):
    user = AnonymousUser() if who == "anonymous" else getattr(cast, who)
    impact_return = return_submit(impact_return=cast.impact_return, by=cast.team, figures=GOOD_FIGURES)
    benefit = benefit_record(challenge=cast.challenge, by=cast.sponsor, **SAVING)
    checks = [
        ("impact_return.view", impact_return), ("impact_return.submit", impact_return),
        ("impact_return.correct", impact_return), ("impact_return.verify", impact_return),
        ("benefit.record", cast.challenge), ("benefit.view", benefit), ("benefit.edit", benefit),
        ("benefit.verify", benefit),
    ]  # fmt: skip
    results = [has_permission(action, user, obj) for action, obj in checks]
    assert tuple(allowed for allowed, _ in results) == EXPECTED[who]
    assert all(allowed or reason.endswith(".") for allowed, reason in results)
