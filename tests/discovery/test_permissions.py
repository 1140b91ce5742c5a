"""Recommendations and "more like this", asked directly: each reason a person is refused, one at a time."""

import pytest
from django.contrib.auth.models import AnonymousUser

from civtech.permissions import ALLOWED, has_permission
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PublicBodyFactory,
    UserFactory,
    make_challenge,
    staff_user,
)

pytestmark = pytest.mark.django_db


def test_recommendations_are_for_signed_in_members_of_a_company_each_refusal_alone():
    company = OrganisationFactory()
    member = MembershipFactory(organisation=company).user
    body = PublicBodyFactory()
    body_member = MembershipFactory(organisation=body).user

    assert has_permission("search.recommend", member, company) == ALLOWED
    assert has_permission("search.recommend", AnonymousUser(), company) == (
        False, "Sign in to see challenges recommended for your company.",
    )  # fmt: skip
    assert has_permission("search.recommend", member, None) == (
        False, "Join or create a company profile to get recommendations.",
    )  # fmt: skip
    # A member of the public body, asking about that body: membership holds, the kind alone refuses.
    assert has_permission("search.recommend", body_member, body) == (
        False, "Recommendations are for companies; public bodies see similar past challenges instead.",
    )  # fmt: skip
    # Signed in, a company, but not its member (a member of another company, too).
    for outsider in (UserFactory(), MembershipFactory(organisation=OrganisationFactory()).user):
        assert has_permission("search.recommend", outsider, company) == (
            False, "Only members of this company can see its recommendations.",
        )  # fmt: skip


def test_similar_challenges_are_for_the_sponsor_and_staff_each_refusal_alone():
    sponsor = PublicBodyFactory()
    challenge = make_challenge(sponsor=sponsor, live=False)
    refused = (False, "Only the challenge's sponsor and the CivTech team can see this.")

    assert has_permission("search.similar", staff_user(), challenge) == ALLOWED
    assert has_permission("search.similar", MembershipFactory(organisation=sponsor).user, challenge) == ALLOWED
    assert has_permission("search.similar", AnonymousUser(), challenge) == (
        False, "Sign in to see similar challenges and solutions.",
    )  # fmt: skip
    assert has_permission("search.similar", UserFactory(), challenge) == refused
    assert (
        has_permission("search.similar", MembershipFactory(organisation=PublicBodyFactory()).user, challenge) == refused
    )
