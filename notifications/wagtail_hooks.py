from wagtail.snippets.views.snippets import SnippetViewSet

from .models import OutboundEmail


class OutboundEmailViewSet(SnippetViewSet):
    """The outbox, so staff can see what was sent, what is waiting and what failed."""

    model = OutboundEmail
    icon = "mail"
    menu_label = "Outbound email"
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject"]
    inspect_view_enabled = True
    copy_view_enabled = False
    list_export = ["to", "subject", "status", "attempts", "created_at", "sent_at", "last_error"]
