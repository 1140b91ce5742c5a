"""Site search and the solutions catalogue in a real browser: zero axe violations and no CSP errors, on a
results page with facets and a did-you-mean, after filtering without JavaScript, and on /solutions/."""

import pytest
from django.core.management import call_command

from tests.discovery.conftest import make_solution
from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_search_and_solutions_pages_are_accessible(page):
    heritage = make_sector("Culture and heritage")
    hes = PublicBodyFactory(name="Historic Environment Scotland")
    stone = make_challenge(
        sponsor=hes,
        title="Monitor historic stonework from photographs",
        summary="Spot decay in the stonework of monuments <early>.",
        sectors=[heritage],
        round=make_round(opened_days_ago=200),
    )
    make_solution(challenge=stone, reuse_by=PublicBodyFactory(name="Orkney Islands Council"))
    for n in range(12):
        make_challenge(title=f"Stonework survey {n}", sectors=[heritage])
    call_command("search_index", "--rebuild", verbosity=0)

    page.goto("/search/?q=stonwork")
    assert "Showing results for" in page.pw.locator(".ds_search-suggestions").inner_text()
    assert page.pw.locator("mark").count() > 0
    assert page.pw.locator("input[name=type]").count() >= 2
    page.audit()

    # Facets work without JavaScript: tick a box, apply.
    page.pw.locator("label.ds_checkbox__label", has_text="Solutions").click()
    page.pw.get_by_role("button", name="Apply filters").click()
    page.pw.wait_for_url("**/search/?*type=solution*")
    assert "1 result" in page.pw.locator(".ds_search-results__title").inner_text()
    page.audit()

    page.goto("/search/?q=how+can+we")
    page.audit()

    page.goto("/solutions/")
    assert "Orkney Islands Council" in page.pw.locator("main").inner_text()
    page.audit()
