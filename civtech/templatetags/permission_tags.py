from django import template

from civtech.permissions import has_permission

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context, action: str, obj=None) -> bool:
    """`{% allowed "organisation.invite" organisation as can_invite %}`"""
    return has_permission(action, context["request"].user, obj)[0]
