"""The form builder in the admin: programme staff compose, copy and read application forms (Applications → Forms).
Versions are never edited here: saving a form makes or updates its version (formbuilder.models)."""

from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ApplicationForm


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
    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("content")]
