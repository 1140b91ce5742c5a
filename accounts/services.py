from django.db import transaction

from civtech.audit import audit

from .models import User
from .roles import Role, forget_roles, group_for, user_roles


@transaction.atomic
def user_grant_role(*, user: User, role: Role, by: User | None = None) -> User:
    """Give a role. Programme staff also become Django staff so the Wagtail admin lets them in."""
    forget_roles(user)
    if role in user_roles(user):
        return user
    user.groups.add(group_for(role))
    if role == Role.PROGRAMME_STAFF and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_roles(user)
    audit(user, "civtech.role.grant", by=by, data={"role": role.value})
    return user


@transaction.atomic
def user_revoke_role(*, user: User, role: Role, by: User | None = None) -> User:
    forget_roles(user)
    if role not in user_roles(user):
        return user
    user.groups.remove(group_for(role))
    if role == Role.PROGRAMME_STAFF and user.is_staff and not user.is_superuser:
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    forget_roles(user)
    audit(user, "civtech.role.revoke", by=by, data={"role": role.value})
    return user
