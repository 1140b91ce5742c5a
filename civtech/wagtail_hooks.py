from wagtail import hooks

from .audit import ACTIONS


@hooks.register("register_log_actions")
def register_civtech_actions(actions):
    for action, (label, message) in ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("insert_global_admin_css")
def admin_css():
    """Our admin views' few additions (wide tables scroll in their own box)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
