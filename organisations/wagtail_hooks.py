from django import forms
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from notifications.wagtail_hooks import OutboundEmailViewSet

from .models import Organisation
from .services import organisation_saved_in_admin


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisations"
    list_display = ["name", "kind", "region", "employees", "is_sme", "created_at"]
    list_filter = ["kind", "region"]
    list_export = ["name", "kind", "company_number", "region", "website", "employees", "turnover", "is_sme"]
    export_filename = "organisations"
    search_fields = ["name", "company_number"]
    ordering = ["name"]
    inspect_view_enabled = True
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("slug"),
                FieldPanel("kind"),
                FieldPanel("company_number"),
                FieldPanel("website"),
                FieldPanel("address"),
                FieldPanel("region"),
                FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                FieldPanel("description"),
            ],
            heading="Organisation",
        ),
        FieldRowPanel([FieldPanel("employees"), FieldPanel("turnover")], heading="SME evidence"),
        InlinePanel("memberships", heading="Members", label="Member"),
    ]


class DirectoryGroup(ViewSetGroup):
    menu_label = "Directory"
    menu_icon = "group"
    menu_order = 300
    items = (OrganisationViewSet, OutboundEmailViewSet)


register_snippet(DirectoryGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def organisation_saved_here(request, instance):
    """The admin saves an organisation with its own form, not the service: finish what the service does."""
    if isinstance(instance, Organisation):
        organisation_saved_in_admin(organisation=instance, by=request.user)
