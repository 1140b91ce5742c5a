"""Panels pages show about challenges: the home page's count, the sponsor's dashboard, a sponsor space's list."""

from django import template
from django.urls import reverse
from django.utils import timezone

from organisations.models import Organisation

from ..selectors import challenges_for_listing, public_challenges, sponsor_challenges_by_state
from ..status import Status, status_filter

register = template.Library()


@register.simple_tag
def open_challenge_count() -> int:
    """`{% open_challenge_count as count %}`: public challenges open for applications now (one query)."""
    return public_challenges().filter(status_filter(Status.OPEN, timezone.now())).count()


@register.simple_tag
def space_challenges(organisation: Organisation):
    """`{% space_challenges page.organisation as challenges %}`: a public body's published challenges, as the listing
    shows them (selectors.challenges_for_listing, so their rows cost no query)."""
    return challenges_for_listing().filter(sponsor=organisation)


@register.inclusion_tag("challenges/_sponsor_challenges.html", takes_context=True)
def sponsor_challenges(context) -> dict:
    """`{% sponsor_challenges %}`: the signed-in sponsor's challenges by state, and a way into the editor to draft
    one in each of their bodies' spaces. Two queries, however many challenges and bodies."""
    request = context["request"]
    bodies = (
        Organisation.objects.public_bodies()
        .filter(memberships__user=request.user)
        .select_related("challenge_space")
        .order_by("name")
    )
    spaces = []
    for body in bodies:
        space = getattr(body, "challenge_space", None)
        add_url = reverse("wagtailadmin_pages:add", args=["challenges", "challengepage", space.pk]) if space else ""
        spaces.append((body, add_url))
    return {
        "request": request,
        "service_name": context.get("service_name"),
        "spaces": spaces,
        "groups": sponsor_challenges_by_state(request.user),
    }
