"""Every page each kind of person can reach, in a real browser, with zero axe violations, no console error, and
nothing wider than the screen at 1,280 px and at 375 px (a phone).

The pages come from the URL matrix (tests/test_url_matrix.py): for each person, every GET URL whose outcome is
"ok", plus the public Wagtail pages. Our own views inside Wagtail's admin are audited within their content area
(Wagtail's own chrome is Wagtail's); Wagtail's native admin views are not ours to audit. Signing in goes through
a session made by Django's test client (the sign-in pages themselves are audited in the sign-in journeys).
"""

import pytest
from django.urls import reverse
from wagtail.models import Page

from challenges.models import ChallengePage, Round
from cms.models import DemoDayPage, NewsIndexPage, NewsPage, StandardPage
from impact.models import ImpactPage
from tests.clients import SignInClient
from tests.factories import make_demo_day
from tests.test_url_matrix import EXPECTED, OK, world  # noqa: F401 - the shared world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ROLES = ["anonymous", "applicant_a", "sponsor_x", "assessor_assigned", "staff"]
OUR_ADMIN = ("evaluation:", "impact_report:", "contracts_manage:", "impact_verification:", "sprints_portfolio",
             "sprints_challenge_timeline")  # fmt: skip
NOT_PAGES = (
    "healthz",
    "applications:download",
    "sprints:document",
    "impact:benefit_evidence",
    "impact_report:export_download",
    "challenge_pipeline:",
    "api:",  # JSON (the API's HTML docs page is audited in test_open_data)
    "open_data_csv",
    "sitemap",  # XML and plain text, not pages (a browser renders the sitemap as a tree and axe never returns)
    "robots_txt",
    "discovery:autocomplete",
    "challenges:feed",  # RSS
    "challenges:calendar",  # iCalendar
)  # files, JSON and Wagtail-native views


def pages_for(role: str, args: dict) -> list[tuple[str, str | None]]:
    """(path, the CSS selector to audit within, or None for the whole page)."""
    paths = []
    for name, (arg_key, method, outcomes) in EXPECTED.items():
        if method != "get" or outcomes[role] != OK or name.startswith(NOT_PAGES):
            continue
        paths.append(
            (reverse(name, kwargs=args[arg_key]), "main .nice-padding" if name.startswith(OUR_ADMIN) else None)
        )
    challenge = ChallengePage.objects.live().first()
    paths += [("/", None), ("/challenges/", None), (challenge.url, None), (challenge.url + "questions/", None),
              (f"/challenges/rounds/{Round.objects.first().slug}/", None), ("/impact/", None), ("/events/", None),
              (DemoDayPage.objects.live().first().url, None), (challenge.get_parent().url, None)]  # fmt: skip
    paths += [(NewsIndexPage.objects.live().get().url, None), (NewsPage.objects.live().get().url, None),
              (StandardPage.objects.live().get().url, None)]  # fmt: skip
    return paths


def publish_public_pages():
    home = Page.objects.get(depth=2)
    impact = ImpactPage(title="Our impact", slug="impact", intro="What the programme has achieved.")
    home.add_child(instance=impact)
    impact.save_revision().publish()
    make_demo_day(round=Round.objects.first())
    body = '[{"type": "paragraph", "value": "<p>What happened, in full.</p>"}]'
    about = StandardPage(
        title="How CivTech works", slug="how-it-works", summary="The programme, step by step.", body=body
    )
    home.add_child(instance=about)
    about.save_revision().publish()
    news = NewsIndexPage(title="News and case studies", slug="news", intro="What is new.")
    home.add_child(instance=news)
    news.save_revision().publish()
    challenge = ChallengePage.objects.live().first()
    story = NewsPage(title="A ferry app goes live", summary="The team built it with the sponsor.", body=body,
                     kind=NewsPage.Kind.CASE_STUDY)  # fmt: skip
    story.tags.add("transport")
    story.related_challenges = [challenge]
    story.related_organisations = [challenge.sponsor]
    news.add_child(instance=story)
    story.save_revision().publish()


@pytest.mark.parametrize("role", ROLES)
def test_every_reachable_page_is_accessible(page, world, live_server, role):  # noqa: F811
    people, args = world
    publish_public_pages()
    if role != "anonymous":
        client = SignInClient()
        client.force_login(people[role])
        host = live_server.url.split("//")[1].split(":")[0]
        page.pw.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
        )
    visited, too_wide = [], []
    for path, within in pages_for(role, args):
        page.pw.set_viewport_size(DESKTOP)
        response = page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        page.pw.wait_for_load_state("load")
        page.audit(within=within)  # axe, and no console error (a script error fails here)
        # The same page laid out again at each width (no reload needed). Our views in the admin are held to the
        # desktop: on a phone the admin's own frame (Wagtail's) is wider than the screen around any content.
        for viewport in (DESKTOP,) if within else (DESKTOP, PHONE):
            page.pw.set_viewport_size(viewport)
            page.pw.evaluate(AFTER_LAYOUT)  # charts redraw for the new width on the next frames
            if culprits := overflows(page, within):
                too_wide.append(f"{path} at {viewport['width']} px: {', '.join(culprits)}")
        # A script error raised by the new layout (a resize handler, a chart redrawn) belongs to this page: it
        # fails here, not at the next page's audit (or, on the last page, never).
        assert page.errors == [], f"console errors on {path} after resizing: {page.errors}"
        visited.append(path)
    assert len(visited) >= 10, visited
    assert too_wide == [], f"wider than the screen: {too_wide}"


DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 375, "height": 800}


def overflows(page, within: str | None) -> list[str]:
    """What makes the page scroll sideways (empty when nothing does), named by tag and class. In the admin, only
    our own content area is ours to lay out, so it must fit the width Wagtail gives it."""
    return page.pw.evaluate(WIDER_THAN_THE_SCREEN, within)


AFTER_LAYOUT = (
    "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))"
)

# The innermost elements that reach past the right edge (of the window, or of `within`): none of their children do.
WIDER_THAN_THE_SCREEN = """(within) => {
    const area = within ? document.querySelector(within) : document.documentElement;
    const scope = within ? area : (document.querySelector("main") || area);  // the header only moves with the page
    const limit = within ? area.getBoundingClientRect().right : window.innerWidth;
    if ((within ? area.scrollWidth <= area.clientWidth : area.scrollWidth <= window.innerWidth)) return [];
    const past = (e) => e.getBoundingClientRect().right > limit + 1;
    return [...scope.querySelectorAll("*")].filter((e) => past(e) && ![...e.children].some(past))
        .slice(0, 3).map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim()
        .split(/\\s+/).join(".") : ""));
}"""
