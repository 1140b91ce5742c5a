"""The organisation rules asked directly, each refusal with its own reason (tests/test_permissions.py has the
allowed/refused table for every kind of person)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from civtech.permissions import ALLOWED, has_permission
from organisations.models import Membership, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    organisation = OrganisationFactory()
    return {
        "organisation": organisation,
        "member": MembershipFactory(organisation=organisation).user,
        "admin": MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user,
        "admin_of_other": MembershipFactory(role=Membership.Role.ADMIN).user,
        "stranger": UserFactory(),
        "staff": staff_user(),
    }


def test_registering_an_organisation():
    stranger = UserFactory()
    assert has_permission("organisation.create", AnonymousUser()) == (False, "Sign in to register an organisation.")
    assert has_permission("organisation.create", AnonymousUser(), OrganisationKind.COMPANY)[0] is False
    assert has_permission("organisation.create", stranger) == ALLOWED
    assert has_permission("organisation.create", stranger, OrganisationKind.COMPANY) == ALLOWED
    assert has_permission("organisation.create", stranger, OrganisationKind.PUBLIC_BODY) == (
        False, "Public bodies are added by the CivTech team. Contact us to register yours.",
    )  # fmt: skip
    staff = UserFactory(role=Role.PROGRAMME_STAFF)
    assert has_permission("organisation.create", staff, OrganisationKind.PUBLIC_BODY) == ALLOWED


def test_seeing_the_team(team):
    organisation = team["organisation"]
    refused = (False, "Only members of this organisation can see its team.")
    assert has_permission("organisation.view_members", AnonymousUser(), organisation) == (
        False, "Sign in to see this organisation's team.",
    )  # fmt: skip
    for who in ("member", "admin", "staff"):
        assert has_permission("organisation.view_members", team[who], organisation) == ALLOWED, who
    for who in ("admin_of_other", "stranger"):
        assert has_permission("organisation.view_members", team[who], organisation) == refused, who


def test_inviting_colleagues(team):
    organisation = team["organisation"]
    refused = (False, "Only an administrator of this organisation can invite colleagues.")
    assert has_permission("organisation.invite", AnonymousUser(), organisation) == (
        False, "Sign in to invite colleagues.",
    )  # fmt: skip
    for who in ("admin", "staff"):
        assert has_permission("organisation.invite", team[who], organisation) == ALLOWED, who
    for who in ("member", "admin_of_other", "stranger"):
        assert has_permission("organisation.invite", team[who], organisation) == refused, who


def test_the_team_is_read_once_per_organisation(team, django_assert_num_queries):
    """A page asking about several people (or several rules) reads the organisation's memberships once."""
    organisation = team["organisation"]
    has_permission("organisation.view_members", team["member"], organisation)  # reads the team
    has_permission("organisation.view_members", team["admin"], OrganisationFactory())  # the admin's own roles
    with django_assert_num_queries(0):
        assert has_permission("organisation.invite", team["admin"], organisation) == ALLOWED
        assert has_permission("organisation.view_members", team["member"], organisation) == ALLOWED
