"""Every permission rule, for every kind of person, in one table (allowed and refused alike)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from civtech import permissions
from civtech.permissions import ALLOWED, has_permission, registered_actions
from organisations.models import Membership, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db

# who → (organisation.create[company], organisation.create[public body], view_members, invite)
EXPECTED = {
    "anonymous": (False, False, False, False),
    "stranger": (True, False, False, False),
    "member": (True, False, True, False),
    "admin": (True, False, True, True),
    "admin_of_other": (True, False, False, False),
    "programme_staff": (True, True, True, True),
    "superuser": (True, True, True, True),
}


@pytest.fixture
def people():
    organisation = OrganisationFactory()
    other = OrganisationFactory()
    superuser = UserFactory()
    superuser.is_superuser = True
    superuser.save()
    return organisation, {
        "anonymous": AnonymousUser(),
        "stranger": UserFactory(),
        "member": MembershipFactory(organisation=organisation).user,
        "admin": MembershipFactory(organisation=organisation, role=Membership.Role.ADMIN).user,
        "admin_of_other": MembershipFactory(organisation=other, role=Membership.Role.ADMIN).user,
        "programme_staff": UserFactory(role=Role.PROGRAMME_STAFF),
        "superuser": superuser,
    }


def test_every_rule_is_in_the_table():
    assert registered_actions() == [
        "api.staff",
        "application.edit",
        "application.start",
        "application.view",
        "application_form.move_drafts",
        "assessment.assign",
        "assessment.declare",
        "assessment.moderate",
        "assessment.score",
        "benefit.edit",
        "benefit.record",
        "benefit.verify",
        "benefit.view",
        "challenge.answer",
        "challenge.ask",
        "challenge.follow",
        "contract.pay",
        "contract.record",
        "contract.vary",
        "contract.verify",
        "engagement.collaborate",
        "engagement.manage",
        "engagement.plan",
        "engagement.report",
        "engagement.review",
        "engagement.view",
        "impact_return.correct",
        "impact_return.submit",
        "impact_return.verify",
        "impact_return.view",
        "lesson.record",
        "organisation.create",
        "organisation.invite",
        "organisation.view_members",
        "pitch.score",
        "search.recommend",
        "search.similar",
    ]


@pytest.mark.parametrize("who", EXPECTED)
def test_permission_table(people, who):
    organisation, users = people
    user = users[who]
    got = (
        has_permission("organisation.create", user, OrganisationKind.COMPANY)[0],
        has_permission("organisation.create", user, OrganisationKind.PUBLIC_BODY)[0],
        has_permission("organisation.view_members", user, organisation)[0],
        has_permission("organisation.invite", user, organisation)[0],
    )
    assert got == EXPECTED[who]


def test_every_refusal_says_why(people):
    organisation, users = people
    for user in users.values():
        for action, obj in [
            ("organisation.create", OrganisationKind.PUBLIC_BODY),
            ("organisation.view_members", organisation),
            ("organisation.invite", organisation),
        ]:
            allowed, reason = has_permission(action, user, obj)
            assert allowed or reason.endswith("."), (action, reason)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(LookupError, match=r"^No permission rule named 'organisation\.fly'$"):
        has_permission("organisation.fly", AnonymousUser())


def test_a_rule_is_registered_under_its_name_once(monkeypatch):
    """`@rule` registers the function itself under its action, and a second rule for the same action is refused
    (two apps answering one question differently would be a silent hole)."""
    monkeypatch.setattr(permissions, "_RULES", dict(permissions._RULES))  # the test's rule leaves no trace

    def can_fly(user, obj) -> permissions.Result:
        return permissions.denied("Nobody flies.")

    assert permissions.rule("organisation.fly")(can_fly) is can_fly
    assert has_permission("organisation.fly", AnonymousUser()) == (False, "Nobody flies.")
    with pytest.raises(ValueError, match=r"^Permission rule 'organisation\.fly' is defined twice$"):
        permissions.rule("organisation.fly")(can_fly)
    with pytest.raises(ValueError, match="defined twice"):
        permissions.rule("organisation.create")(can_fly)


# --- The organisation rules, each refusal with its own reason ---------------------------------------------------------
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
