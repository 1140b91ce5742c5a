"""Wagtail's admin template tags, with the sidebar's menu computed once per person until their permissions change.

Wagtail builds the sidebar (`{% sidebar_props %}` in wagtailadmin/base.html) on every admin page: every menu item
and search area asks whether this person may see it (permission checks, page and collection permission queries),
then the whole menu is packed to JSON. It was about a quarter of the staff application list's time (bench/pages.py,
issue #22), and it changes only when the person or their permissions do. So this library is loaded in place of
`wagtailadmin_tags` (TEMPLATES' `libraries` option in settings: Django's documented way to give a library name to a
module) with every tag and filter of Wagtail's, and `sidebar_props` kept in the shared cache under:

- the person: their id and what the sidebar shows of them (name, email, superuser, active; the profile's avatar and
  dismissed notices), so their own changes show at once;
- the versions of permissions (`PERMISSIONS_KEY`): everyone's, bumped by any change to a group, its permissions or a
  page or collection permission, and the person's own, bumped when they join or leave a group or are given or lose a
  permission (signals below), so a role given or taken away shows on their next page;
- the language.

What the menu shows is never a permission: every admin view checks its own.
"""

import hashlib
import logging
import time

from django import template
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import GroupCollectionPermission, GroupPagePermission

logger = logging.getLogger(__name__)
register = template.Library()
register.tags.update(wagtailadmin_tags.register.tags)
register.filters.update(wagtailadmin_tags.register.filters)

PERMISSIONS_KEY = "admin-permissions:version"
SIDEBAR_SECONDS = 60 * 60


def permissions_versions(user_pk) -> list:
    """The version of everyone's permissions (groups' permissions, page and collection permissions) and of this
    person's own (their groups and permissions), in one cache read."""
    keys = [PERMISSIONS_KEY, f"{PERMISSIONS_KEY}:{user_pk}"]
    found = cache.get_many(keys)
    if len(found) < len(keys):
        for key in keys:
            cache.add(key, time.time_ns(), None)
        found = cache.get_many(keys)
    return [found.get(key) for key in keys]


def _bump(key: str) -> None:
    try:
        cache.set(key, time.time_ns(), None)
    except Exception:  # an outage means no cached sidebar either
        logger.warning("Could not bump %s", key, exc_info=True)


def permissions_changed(**kwargs) -> None:
    """A group, its permissions or a page or collection permission changed: everyone's sidebar may change."""
    _bump(PERMISSIONS_KEY)


def memberships_changed(instance, action, reverse, pk_set, **kwargs) -> None:
    """People joined or left groups, or were given or lost permissions: their sidebars may change."""
    if not action.startswith("post_"):
        return
    if not reverse:  # instance is the person
        _bump(f"{PERMISSIONS_KEY}:{instance.pk}")
    elif pk_set is None:  # a group's people cleared: we no longer know whose
        _bump(PERMISSIONS_KEY)
    else:
        for user_pk in pk_set:
            _bump(f"{PERMISSIONS_KEY}:{user_pk}")


def _person(user) -> str:
    profile = getattr(user, "wagtail_userprofile", None)
    shown = [
        user.pk, user.get_full_name(), user.email, user.is_superuser, user.is_active,
        getattr(getattr(profile, "avatar", None), "name", ""), getattr(profile, "dismissibles", {}),
    ]  # fmt: skip
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:32]


@register.simple_tag(takes_context=True, name="sidebar_props")
def sidebar_props(context):
    request = context["request"]
    try:
        everyone, own = permissions_versions(request.user.pk)
        key = f"admin-sidebar:{_person(request.user)}:{everyone}:{own}:{get_language()}"
        props = cache.get(key)
    except Exception:
        logger.warning("Admin sidebar cache unavailable", exc_info=True)
        return wagtailadmin_tags.sidebar_props(context)
    if props is None:
        props = wagtailadmin_tags.sidebar_props(context)
        try:
            cache.set(key, props, SIDEBAR_SECONDS)
        except Exception:
            logger.warning("Could not store the admin sidebar", exc_info=True)
    return props


def connect_signals() -> None:
    """Every change to who may do what (CivtechConfig.ready)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(memberships_changed, sender=through, dispatch_uid=f"admin-sidebar-{through._meta.label}")
    m2m_changed.connect(permissions_changed, sender=Group.permissions.through, dispatch_uid="admin-sidebar-group-perms")
    for model in (Group, Permission, GroupPagePermission, GroupCollectionPermission):
        for signal in (post_save, post_delete):
            signal.connect(permissions_changed, sender=model, dispatch_uid=f"admin-sidebar-{model._meta.label}")
