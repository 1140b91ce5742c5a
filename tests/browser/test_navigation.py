"""The header at phone and desktop widths: the menu opens by keyboard with and without JavaScript, nothing is wider
than the screen, and axe finds nothing with the longest navigation (programme staff's)."""

import pytest

from tests.browser.conftest import Page, sign_in
from tests.factories import make_challenge, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SECTIONS = ["Challenges", "Impact", "Solutions", "Events", "News", "Search"]


def at_width(browser, live_server, width: int, **options) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800}, **options)
    return Page(context.new_page(), live_server.url)


def wider_than_the_screen(page: Page) -> bool:
    return page.pw.evaluate("document.documentElement.scrollWidth > window.innerWidth")


def test_the_header_works_at_phone_and_desktop_widths_with_and_without_javascript(browser, live_server):
    make_challenge(title="Fewer missed ferries")

    # No JavaScript, on a phone: the menu is the DS checkbox, reached with Tab and opened with Space.
    page = at_width(browser, live_server, 375, java_script_enabled=False)
    page.goto("/")
    menu = page.pw.locator("#mobile-navigation")
    assert not menu.is_visible()
    for _ in range(3):  # the skip link, the site name, then the menu
        page.pw.keyboard.press("Tab")
    assert page.pw.evaluate("document.activeElement.id") == "menu"
    page.pw.keyboard.press("Space")
    assert menu.is_visible()
    page.pw.keyboard.press("Tab")
    assert page.pw.evaluate("document.activeElement.textContent") == "Challenges"
    assert not wider_than_the_screen(page)
    page.pw.context.close()

    # Staff have the longest navigation: sign in once, then look at both widths with JavaScript.
    page = at_width(browser, live_server, 1280)
    sign_in(page, staff_user())
    state = page.pw.context.storage_state()
    page.pw.context.close()

    page = at_width(browser, live_server, 375, storage_state=state)
    page.goto("/challenges/")
    button = page.pw.get_by_role("button", name="Menu")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    links = page.pw.locator("#mobile-navigation a").all_inner_texts()
    assert links[: len(SECTIONS)] == SECTIONS and links[-1] == "Sign out" and "Impact report" in links
    assert not wider_than_the_screen(page)
    page.audit()
    page.pw.context.close()

    page = at_width(browser, live_server, 1280, storage_state=state)
    page.goto("/challenges/")
    bar = page.pw.locator(".ds_site-header__navigation")
    assert bar.get_by_role("link", name="Challenges").get_attribute("aria-current") == "page"
    assert bar.get_by_role("link", name="Admin").is_visible()
    assert not wider_than_the_screen(page)
    page.audit()
    page.pw.context.close()
