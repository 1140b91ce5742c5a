"""The form builder in the admin: programme staff compose, copy and read application forms (Applications → Forms).
Versions are never edited here: saving a form makes or updates its version (formbuilder.models)."""

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import CopyView, SnippetViewSet

from .models import ApplicationForm


class KeptPermissionPolicy(ModelPermissionPolicy):
    """Nobody deletes a form, superusers included: its versions are the questions of every application and version
    that answered it (the database protects them; this keeps the admin from offering a delete that would fail)."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action != "delete"])


register_permission_policy(ApplicationForm, KeptPermissionPolicy(ApplicationForm), exact_class=True)


class CopyAsNewView(CopyView):
    """Wagtail's copy view fills the new form from the original, and its page posts to the add view; a post to the
    copy URL itself would save onto the original (its form's instance). Here a post always makes a new form."""

    def get_initial_form_instance(self):
        return None if self.request.method == "POST" else super().get_initial_form_instance()

    def get_form_kwargs(self):
        if self.request.method == "POST":
            self.object = None  # set to the original by the view's setup; a new form is what is being made
        return super().get_form_kwargs()


class ApplicationFormViewSet(SnippetViewSet):
    model = ApplicationForm
    icon = "form"
    menu_label = "Application forms"
    url_prefix = "application-forms"
    list_display = ["name", Column("is_default", label="Default"), "updated_at"]
    search_fields = ["name"]
    search_backend_name = None  # the database's own "contains": a handful of forms
    inspect_view_enabled = True
    copy_view_enabled = True  # start next round's form from this one's
    copy_view_class = CopyAsNewView
    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("content")]
