"""The header's links and the default breadcrumb trail (civtech.navigation), for base.html."""

from django import template

from civtech import navigation

register = template.Library()


@register.simple_tag(takes_context=True)
def site_navigation(context) -> dict:
    """`{% site_navigation as nav %}`: nav.sections (the public sections) and nav.personal (sign in, or the
    signed-in person's own places and sign out). Empty outside a request (an email, say)."""
    request = context.get("request")
    if request is None:
        return {"sections": [], "personal": []}
    return {"sections": navigation.section_links(request.path), "personal": navigation.personal_links(request)}


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context):
    """`{% breadcrumb_trail as trail %}`: trail.links and trail.current, or None for a page without one."""
    request = context.get("request")
    return navigation.breadcrumb_trail(request) if request is not None else None
