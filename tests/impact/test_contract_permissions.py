"""Contracts and payments are the CivTech team's alone: each rule, for everyone who might ask, with its reason."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civtech.permissions import ALLOWED, has_permission
from tests.factories import PublicBodyFactory, make_applicant, make_sponsor_member, staff_user

pytestmark = pytest.mark.django_db

REASONS = {
    "contract.record": "Only the CivTech team records contracts.",
    "contract.verify": "Only the CivTech team verifies contracts.",
    "contract.vary": "Only the CivTech team approves contract variations.",
    "contract.pay": "Only the CivTech team schedules and records payments.",
}


@pytest.mark.parametrize("action", REASONS)
def test_only_programme_staff_handle_contracts_and_money(action):
    assert has_permission(action, staff_user(), None) == ALLOWED
    for who in (AnonymousUser(), make_applicant(), make_sponsor_member(PublicBodyFactory())):
        assert has_permission(action, who, None) == (False, REASONS[action])
