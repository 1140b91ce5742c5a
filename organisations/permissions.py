from accounts.roles import is_programme_staff
from civtech.permissions import ALLOWED, Result, denied, rule

from .models import Membership, OrganisationKind


def _membership_role(user, organisation) -> str | None:
    if not user.is_authenticated:
        return None
    roles = getattr(organisation, "_member_roles", None)
    if roles is None:
        # An explicit filter, not organisation.memberships: on an organisation loaded with a Prefetch of its
        # memberships, values_list() on the related manager returns every membership in the database
        # (Django 5.2), which would make any member of any organisation a member of this one.
        memberships = Membership.objects.filter(organisation_id=organisation.pk)
        roles = dict(memberships.values_list("user_id", "role"))
        organisation._member_roles = roles
    return roles.get(user.pk)


@rule("organisation.create")
def can_create_organisation(user, kind=None) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to register an organisation.")
    if kind == OrganisationKind.PUBLIC_BODY and not is_programme_staff(user):
        return denied("Public bodies are added by the CivTech team. Contact us to register yours.")
    return ALLOWED


@rule("organisation.view_members")
def can_view_members(user, organisation) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to see this organisation's team.")
    if is_programme_staff(user) or _membership_role(user, organisation):
        return ALLOWED
    return denied("Only members of this organisation can see its team.")


@rule("organisation.invite")
def can_invite(user, organisation) -> Result:
    if not user.is_authenticated:
        return denied("Sign in to invite colleagues.")
    if is_programme_staff(user) or _membership_role(user, organisation) == Membership.Role.ADMIN:
        return ALLOWED
    return denied("Only an administrator of this organisation can invite colleagues.")
