"""Template tags for pages of other apps that name companies (news stories, for one)."""

from django import template
from django.urls import reverse

from ..sources import company_queryset

register = template.Library()


@register.simple_tag
def company_profiles(organisations) -> list[tuple]:
    """(organisation, URL of its public profile or "") for each of `organisations`, by name, in one query: only a
    company known publicly (`company_queryset`: in a team on a public challenge) has a profile to link to."""
    organisations = sorted(organisations, key=lambda o: o.name)
    if not organisations:
        return []
    known = company_queryset().prefetch_related(None).filter(pk__in=[o.pk for o in organisations])
    public = set(known.values_list("slug", flat=True))
    return [(o, reverse("discovery:company", args=[o.slug]) if o.slug in public else "") for o in organisations]
