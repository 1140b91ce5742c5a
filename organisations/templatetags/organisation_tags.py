"""Panels other apps' pages show about organisations: the account dashboard's list of the person's own."""

from django import template

from ..selectors import memberships_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def my_memberships(context):
    """`{% my_memberships as memberships %}`: the signed-in person's memberships with their organisations."""
    return memberships_for_user(context["request"].user)
