"""A "Has this been solved already?" button on a challenge in the Wagtail editor, for its sponsor and staff."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from challenges.models import ChallengePage
from civtech.permissions import has_permission


@hooks.register("register_page_header_buttons")
def similar_challenges_button(page, user, view_name, next_url=None):
    if not isinstance(page.specific_deferred, ChallengePage):
        return
    if has_permission("search.similar", user, page.specific_deferred)[0]:
        yield Button(
            "Similar challenges and solutions",
            f"{reverse('discovery:similar')}?challenge={page.pk}",
            icon_name="search",
            priority=80,
        )
