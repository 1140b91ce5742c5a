"""DRF permission classes that ask civtech.permissions, so the API refuses exactly what the web pages refuse."""

from rest_framework.permissions import BasePermission

from civtech.permissions import has_permission


class StaffAPI(BasePermission):
    """Programme staff (rule `api.staff`), then each object through the view's `object_rule`.

    The view names the rule and how to reach the object the rule takes (`object_for_rule`), e.g. a score is
    checked as `application.view` on its application.
    """

    message = "Only the CivTech team can use the staff API."

    def has_permission(self, request, view) -> bool:
        allowed, reason = has_permission("api.staff", request.user)
        if not allowed:
            self.message = reason
        return allowed

    def has_object_permission(self, request, view, obj) -> bool:
        allowed, reason = has_permission(view.object_rule, request.user, view.object_for_rule(obj))
        if not allowed:
            self.message = reason
        return allowed
