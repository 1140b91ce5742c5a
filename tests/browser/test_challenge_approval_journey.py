"""A sponsor writes a challenge in Wagtail, their administrator signs it off, programme staff approve
it, and the public can then find it — all through the browser, with real sign-ins (password and
authenticator code).

Wagtail's admin is Wagtail's own UI, so only our public pages are audited with axe.
"""

import re
from contextlib import contextmanager

import pytest

from accounts.roles import Role
from challenges.models import ChallengePage
from challenges.services import sponsor_space_ensure
from organisations.models import Membership
from organisations.services import membership_add
from tests.browser.conftest import Page, sign_in
from tests.factories import PublicBodyFactory, UserFactory, make_challenge, make_round, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WAIT = 15_000  # ms: generous for a loaded machine, short enough to fail fast
TITLE = "Predict rural bus demand"


# --- Helpers --------------------------------------------------------------------------------------
def sponsor_of(organisation, role=Membership.Role.MEMBER):
    user = UserFactory(role=Role.SPONSOR, mfa=True)
    membership_add(organisation=organisation, user=user, role=role, by=None)
    return user


def sign_out(page) -> None:
    """Signing out is a POST: allauth's confirmation page holds the form."""
    page.goto("/accounts/logout/")
    page.pw.locator("main button[type=submit]").click()
    page.pw.wait_for_url(lambda url: "/accounts/logout/" not in url, timeout=WAIT)
    assert page.pw.get_by_role("link", name="Sign in").first.is_visible()


@contextmanager
def anonymous_visitor(browser, live_server):
    """A separate browser context: no cookies, and no console errors carried over from Wagtail's admin."""
    context = browser.new_context(base_url=live_server.url)
    try:
        yield Page(context.new_page(), live_server.url)
    finally:
        context.close()


def wait_for_autosave(pw) -> None:
    """Wagtail 8 autosaves the editor half a second after each change. Let the last autosave land
    before acting, so the action does not race it (and find the form still pointing at "add")."""
    pw.wait_for_timeout(800)  # the autosave debounce is 500ms
    pw.wait_for_function(
        "() => (document.querySelector('#w-autosave-indicator')?.dataset.wAutosaveStateValue ?? 'idle') !== 'saving'",
        timeout=WAIT,
    )


def rich_text_editor(pw, field: str):
    """The Draftail editor that Wagtail mounts beside a rich text field's hidden input."""
    return pw.locator(f"[data-field-input]:has(> #id_{field}) .public-DraftEditor-content")


def open_action_menu(pw) -> None:
    """The footer's primary button (e.g. "Save draft") has the other actions in a dropdown beside it."""
    pw.locator("footer .w-dropdown-button .w-dropdown__toggle").click()


def workflow_action(pw, name: str):
    """A workflow action button without the comment modal (e.g. "Sign off", not "Sign off with comment")."""
    return pw.locator(f"footer button[data-workflow-action-name={name}]:not([data-workflow-action-modal-url])")


def current_task(challenge_id: int) -> str:
    challenge = ChallengePage.objects.get(pk=challenge_id)
    return challenge.current_workflow_task.name if challenge.current_workflow_task else ""


# --- The journey ----------------------------------------------------------------------------------
def test_sponsor_writes_a_challenge_that_goes_live_after_sign_off_and_approval(page, browser, live_server):
    transport = PublicBodyFactory(name="Transport Scotland")
    space = sponsor_space_ensure(organisation=transport)
    round_ = make_round()  # open now
    author = sponsor_of(transport)
    signer = sponsor_of(transport, Membership.Role.ADMIN)
    staff = staff_user()
    pw = page.pw

    # 1. The author writes the challenge in Wagtail's editor and submits it for sign-off.
    add_path = f"/admin/pages/add/challenges/challengepage/{space.pk}/"
    sign_in(page, author, next_path=add_path)
    pw.wait_for_url(f"**{add_path}", timeout=WAIT)
    pw.fill("#id_title", TITLE)

    pw.locator("#id_round-chooser").get_by_role("button", name="Choose round").click()
    modal = pw.locator(".modal-dialog")
    modal.get_by_role("link", name=round_.name).click()
    modal.wait_for(state="detached", timeout=WAIT)
    pw.fill("#id_summary", "Buses where and when people in rural Scotland need them.")

    pw.locator("#problem_statement-root .c-sf-add-button").click()
    pw.get_by_role("option", name="Paragraph").click()
    paragraph = pw.locator("#problem_statement-root .public-DraftEditor-content")
    paragraph.click()
    pw.keyboard.type("Rural bus timetables do not match when people travel.")

    for field, text in [
        ("users", "Passengers in rural areas, and the councils that fund their buses."),
        ("success", "Fewer empty buses and fewer people left waiting."),
        ("sponsor_provides", "Ticket data and time with our network planners."),
    ]:
        rich_text_editor(pw, field).click()
        pw.keyboard.type(text)

    wait_for_autosave(pw)
    open_action_menu(pw)
    pw.get_by_role("button", name="Submit to Challenge approval").click()
    pw.wait_for_url(f"**/admin/pages/{space.pk}/", timeout=WAIT)

    challenge = ChallengePage.objects.get(title=TITLE)
    assert challenge.live is False
    assert current_task(challenge.pk) == "Sponsor sign-off"
    content = challenge.latest_revision.content
    assert "Rural bus timetables" in content["problem_statement"]
    assert "network planners" in content["sponsor_provides"]
    sign_out(page)

    # 2. An administrator of the sponsor signs it off.
    edit_path = f"/admin/pages/{challenge.pk}/edit/"
    sign_in(page, signer, next_path=edit_path)
    pw.wait_for_url(f"**{edit_path}", timeout=WAIT)
    open_action_menu(pw)
    workflow_action(pw, "approve").click()
    pw.wait_for_url(f"**/admin/pages/{space.pk}/", timeout=WAIT)  # back to the sponsor's space
    assert current_task(challenge.pk) == "Programme approval"
    assert ChallengePage.objects.get(pk=challenge.pk).live is False
    sign_out(page)

    # 3. Programme staff approve it, which publishes it.
    sign_in(page, staff, next_path=edit_path)
    pw.wait_for_url(f"**{edit_path}", timeout=WAIT)
    open_action_menu(pw)
    workflow_action(pw, "approve").click()
    pw.wait_for_url(f"**/admin/pages/{space.pk}/", timeout=WAIT)  # back to the sponsor's space
    assert ChallengePage.objects.get(pk=challenge.pk).live is True
    sign_out(page)

    # 4. A visitor, in a fresh browser, finds it in the listing and reads it.
    with anonymous_visitor(browser, live_server) as visitor:
        visitor.goto("/challenges/")
        listing = visitor.pw.locator("main")
        assert TITLE in listing.inner_text()
        visitor.audit()
        listing.get_by_role("link", name=TITLE).first.click()
        visitor.pw.wait_for_url(re.compile(r".*/predict-rural-bus-demand/$"), timeout=WAIT)
        assert visitor.pw.locator("h1").inner_text().strip() == TITLE
        visitor.audit()


def test_another_sponsor_cannot_open_the_draft_by_its_address(page):
    transport, nhs = PublicBodyFactory(name="Transport Scotland"), PublicBodyFactory(name="NHS NSS")
    sponsor_space_ensure(organisation=nhs)
    draft = make_challenge(sponsor=transport, title=TITLE, live=False)
    outsider = sponsor_of(nhs, Membership.Role.ADMIN)

    sign_in(page, outsider)
    response = page.goto(f"/admin/pages/{draft.pk}/edit/")
    page.pw.wait_for_load_state()
    assert response.status == 403  # refused before Wagtail's editor runs (accounts/admin_scope.py), saying why
    assert "only your own organisation's challenges" in page.pw.content()
    assert TITLE not in page.pw.content()
    page.errors.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")  # the 403
    page.audit()
