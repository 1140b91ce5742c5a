from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.admin_access import ReadOnlyPermissionPolicy

from .models import DemoDayRegistration

# Staff read and export registrations; nobody adds, edits or deletes them here (guests register through the page,
# so capacity, the closing time and the confirmation email always apply).
register_permission_policy(DemoDayRegistration, ReadOnlyPermissionPolicy(DemoDayRegistration), exact_class=True)


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
