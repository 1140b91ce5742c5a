"""The four signed-in roles. A role is membership of a Django group of the same name."""

from django.contrib.auth.models import Group
from django.db import models


class Role(models.TextChoices):
    PROGRAMME_STAFF = "programme_staff", "Programme staff"
    SPONSOR = "sponsor", "Sponsor"
    ASSESSOR = "assessor", "Assessor"
    APPLICANT = "applicant", "Applicant"


# Roles that can see other people's applications, scores or money: they must use two factors.
PRIVILEGED_ROLES = frozenset({Role.PROGRAMME_STAFF, Role.SPONSOR, Role.ASSESSOR})


def group_for(role: Role) -> Group:
    return Group.objects.get(name=role.label)


def user_roles(user) -> frozenset[Role]:
    """The user's roles, read once per request object and cached on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_civtech_roles", None)
    if cached is None:
        by_label = {role.label: role for role in Role}
        names = user.groups.values_list("name", flat=True)
        cached = frozenset(by_label[name] for name in names if name in by_label)
        user._civtech_roles = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached roles after the user's groups change."""
    user.__dict__.pop("_civtech_roles", None)


def has_role(user, role: Role) -> bool:
    return role in user_roles(user)


def is_programme_staff(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PROGRAMME_STAFF)


def requires_mfa(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or bool(user_roles(user) & PRIVILEGED_ROLES)
