"""Every permission rule, for every kind of person, in one table (allowed and refused alike)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.roles import Role
from civtech import permissions
from civtech.permissions import has_permission, registered_actions
from organisations.models import Membership, OrganisationKind
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

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
