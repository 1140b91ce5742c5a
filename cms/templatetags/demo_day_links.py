"""A round's Demo Day page, for pages of the apps below that cannot import the public site's pages."""

from django import template

from cms.models import DemoDayPage
from cms.selectors import demo_day_for_round

register = template.Library()


@register.simple_tag
def round_demo_day(round_id: int | None) -> DemoDayPage | None:
    """The round's live Demo Day page, or None (one query). The challenge page:
    `{% round_demo_day page.round_id as demo_day %}`."""
    if not round_id:
        return None
    return demo_day_for_round(round_id)
