from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import DemoDayRegistration


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff read and export registrations; nobody adds, edits or deletes them here (guests register
    through the page, so capacity, the closing time and the confirmation email always apply)."""

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "publish", "lock", "unlock"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE_ACTIONS])


register_permission_policy(DemoDayRegistration, ReadOnlyPolicy(DemoDayRegistration), exact_class=True)


class DemoDayRegistrationViewSet(SnippetViewSet):
    """Who is coming to each Demo Day, with their access needs, for the organisers (CSV/XLSX)."""

    model = DemoDayRegistration
    icon = "group"
    menu_label = "Demo Day registrations"
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["name", "organisation", "email", "event", "registered_at"]
    list_filter = ["event"]
    list_export = ["event.title", "name", "email", "organisation", "accessibility_needs", "registered_at"]
    export_headings = {"event.title": "Event"}
    export_filename = "demo-day-registrations"
    search_fields = ["name", "email", "organisation"]
    search_backend_name = None  # plain database search: registrations are not in the search index
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return DemoDayRegistration.objects.select_related("event")


register_snippet(DemoDayRegistrationViewSet)
