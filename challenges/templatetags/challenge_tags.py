from django import template
from django.utils import timezone

from ..selectors import public_challenges
from ..status import Status, status_filter

register = template.Library()


@register.simple_tag
def open_challenge_count() -> int:
    """`{% open_challenge_count as count %}`: public challenges open for applications now (one query)."""
    return public_challenges().filter(status_filter(Status.OPEN, timezone.now())).count()
