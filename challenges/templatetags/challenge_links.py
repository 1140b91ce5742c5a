"""Template tags for pages of other apps that link to challenges (news stories, for one)."""

from django import template

from ..selectors import public_challenges

register = template.Library()


@register.simple_tag
def public_only(challenges) -> list:
    """Those of `challenges` that anyone may see (`public_challenges()`), by title, in one query.

    Takes any iterable of challenges (a related manager's `.all`, or a preview's unsaved relation), so an editor's
    link to a challenge that is a draft, unpublished or restricted is never shown on a public page."""
    ids = [challenge.pk for challenge in challenges]
    if not ids:
        return []
    return list(public_challenges().filter(pk__in=ids).select_related("sponsor").order_by("title"))
