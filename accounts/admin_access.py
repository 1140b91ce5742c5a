"""What the programme staff's own pages in the Wagtail admin share, defined once for every app (issue #19).

- `StaffOnlyMixin`: a view for programme staff only; anyone else is refused with the view's `staff_only_reason`,
  shown back in the admin as every refusal is (civtech.errors.AdminRefusalMixin). The admin's scope middleware
  (accounts.admin_scope) refuses other people earlier still; this is the view's own lock.
- `StaffMenuItem`: a menu item only programme staff see.
- `ReadOnlyPermissionPolicy`: records staff read (and export) in the admin but nobody, superusers included, adds,
  changes or deletes there, so every write goes through the owning app's services (validation, history, audit).
"""

from django.core.exceptions import PermissionDenied
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from civtech.errors import AdminRefusalMixin

from .roles import is_programme_staff


class StaffOnlyMixin(AdminRefusalMixin):
    staff_only_reason = "Only the CivTech team uses this page."

    def dispatch(self, request, *args, **kwargs):
        if not is_programme_staff(request.user):
            raise PermissionDenied(self.staff_only_reason)
        return super().dispatch(request, *args, **kwargs)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_programme_staff(request.user)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing needs the model's `view_` permission; no write action is ever granted here."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "publish", "lock", "unlock"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE_ACTIONS])
