from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Application


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Staff read applications in the admin; every change goes through applications.services.

    Nobody (superusers included) may add, edit or delete an application here, so no admin form can
    bypass the deadline, the reference sequence or the audit trail. Viewing needs `view_application`.
    """

    WRITE_ACTIONS = frozenset({"add", "change", "delete", "publish", "lock", "unlock"})

    def user_has_permission(self, user, action):
        return action not in self.WRITE_ACTIONS and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in self.WRITE_ACTIONS])


register_permission_policy(Application, ReadOnlyPermissionPolicy(Application), exact_class=True)


class ApplicationViewSet(SnippetViewSet):
    """Every application, for programme staff: filter by round, challenge and status, export for reporting."""

    model = Application
    icon = "form"
    menu_label = "Applications"
    list_display = ["reference", "challenge", "organisation", "status", "submitted_at"]
    list_filter = ["challenge__round", "status", "challenge"]
    list_export = [
        "reference", "challenge", "challenge.sponsor", "organisation", "organisation.is_sme",
        "organisation.get_region_display", "get_status_display", "submitted_at",
    ]  # fmt: skip
    export_headings = {
        "challenge.sponsor": "Sponsor",
        "organisation.is_sme": "SME",
        "organisation.get_region_display": "Region",
        "get_status_display": "Status",
    }
    export_filename = "applications"
    search_fields = ["reference", "organisation__name"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        return Application.objects.select_related("challenge__round", "challenge__sponsor", "organisation")


class ApplicationsGroup(ViewSetGroup):
    menu_label = "Applications"
    menu_icon = "form"
    menu_order = 210
    items = (ApplicationViewSet,)


@hooks.register("register_admin_viewset")
def register_applications_group():
    return ApplicationsGroup()
