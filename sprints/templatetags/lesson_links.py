"""Links into the public lessons library, for pages of the apps below that cannot import stage work."""

from django import template
from django.urls import reverse

from sprints.selectors import has_published_lessons

register = template.Library()


@register.simple_tag
def challenge_lessons_url(challenge_id: int | None) -> str:
    """The lessons library narrowed to this challenge, or "" when it has no published lesson (one query).

    The challenge page: `{% challenge_lessons_url page.pk as lessons_url %}`. A page previewed before its first save
    has no id and no lessons."""
    if not challenge_id or not has_published_lessons(challenge_id):
        return ""
    return f"{reverse('sprints:lessons_library')}?challenge={challenge_id}"
