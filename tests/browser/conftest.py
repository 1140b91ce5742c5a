"""Browser tests: Playwright (Python) driving Debian's Chromium against pytest-django's live server.

Every page a journey visits is checked with axe-core for WCAG 2.2 A/AA, and with the page's own
Content-Security-Policy in force (axe is loaded from our static files, not injected inline), so a
CSP violation or an uncaught script error fails the test too.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the live server's database work happens in
# its own thread, but Django's guard cannot tell, so allow it for the browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    """One Chromium per test module; each test still gets a fresh context (`page`, `new_page`), so no cookies or
    storage carry over between tests. Launching costs about a second, which every test used to pay.

    While Playwright's sync API has a browser open, an asyncio loop counts as running in this thread, and Django's
    database connections are then held per context, not per thread: the test gets a second connection object to
    the same test database, lacking the serialized contents that `serialized_rollback` restores after each flush
    (without them the next test would find the migrations' data gone). So the launch hands them over.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests: Chromium is missing at /usr/bin/chromium")
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()
        with django_db_blocker.unblock():
            connections.close_all()  # the loop's connections, before the loop (and the context holding them) ends


class Page:
    """A Playwright page that records console errors and can audit itself with axe."""

    def __init__(self, page, base_url: str):
        self.pw = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str):
        response = self.pw.goto(self.base_url + path if path.startswith("/") else path)
        return response

    def audit(self, within: str | None = None) -> None:
        """Zero axe violations and zero console errors (CSP reports land in the console).

        `within` limits axe to our own markup inside someone else's frame (our views in Wagtail's admin).
        """
        if within is not None:
            assert self.pw.locator(within).count(), f"nothing matches {within!r} on {self.pw.url}"
        self.pw.add_script_tag(url=f"{self.base_url}/static/vendor/axe.min.js")
        # Every rule of the tags still runs; resultTypes only spares axe the details of what passed, and only the
        # violations cross back to Python (the passes of a long page were megabytes of JSON: half an audit's time).
        found = self.pw.evaluate(AXE_RUN, [AXE_TAGS, within])
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}" for v in found
        ]
        assert violations == [], f"axe on {self.pw.url}:\n" + "\n".join(violations)
        assert self.errors == [], f"console errors on {self.pw.url}: {self.errors}"


AXE_RUN = """([tags, within]) => axe.run(within || document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
}).then((results) => results.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target}))})))"""

WAIT = 15_000  # ms: generous for a loaded machine, short enough to fail fast


def sign_in(page: Page, user, next_path: str = "") -> None:
    """Password, then (for a user with an authenticator) the code, through allauth's real pages.

    Waits for each navigation rather than sleeping, and takes a TOTP code with time left in its window:
    a code read a moment before a 30-second boundary expires before the browser submits it."""
    from tests.factories import PASSWORD, totp_fresh

    page.goto("/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.pw.fill("input[name=login]", user.email)
    page.pw.fill("input[name=password]", PASSWORD)
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url(lambda url: "/accounts/login/" not in url, timeout=WAIT)
    if "/accounts/2fa/authenticate/" in page.pw.url:
        page.pw.fill("input[name=code]", totp_fresh())
        # The code page also has a "Cancel" submit button belonging to another form.
        page.pw.locator("main button[type=submit]:not([form])").click()
        page.pw.wait_for_url(lambda url: "/accounts/" not in url, timeout=WAIT)
    assert "/accounts/" not in page.pw.url, f"sign-in for {user.email} ended at {page.pw.url}"


def new_page(browser, live_server) -> Page:
    """Another person's browser (its own cookies), for journeys with two people at once."""
    context = browser.new_context(base_url=live_server.url)
    return Page(context.new_page(), live_server.url)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    wrapped = Page(context.new_page(), live_server.url)
    yield wrapped
    context.close()
