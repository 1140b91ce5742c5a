"""A team and its sponsor work through a deliverable in the workspace, accessibly and within the CSP:
the team posts a sprint update and a prototype, the sponsor requests changes, the team resubmits, the
sponsor accepts."""

import pytest

from sprints.models import Deliverable
from tests.browser.conftest import WAIT, new_page, sign_in
from tests.factories import (
    PublicBodyFactory,
    make_applicant,
    make_challenge,
    make_engagement,
    make_round,
    make_sponsor_member,
    staff_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_team_and_sponsor_take_a_prototype_from_submission_to_acceptance(browser, live_server, tmp_path):
    body = PublicBodyFactory(name="Transport Scotland")
    challenge = make_challenge(sponsor=body, round=make_round(opened_days_ago=60), title="Rural bus demand")
    team_member = make_applicant(email="team@example.com")
    engagement = make_engagement(challenge=challenge, applicant=team_member, by=staff_user())
    sponsor = make_sponsor_member(body, email="sponsor@example.com", mfa=True)
    prototype = tmp_path / "prototype.pdf"
    prototype.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    workspace = f"/workspaces/{engagement.pk}/"

    team = new_page(browser, live_server)
    sign_in(team, team_member, workspace)
    team.pw.wait_for_url(f"**{workspace}", timeout=WAIT)
    team.audit()
    team.pw.get_by_role("link", name="Sprint plan", exact=True).click()
    team.pw.wait_for_url(f"**{workspace}sprints/", timeout=WAIT)
    team.audit()
    team.pw.get_by_role("link", name="Post an update on sprint 1").click()
    team.pw.wait_for_url("**/update/", timeout=WAIT)
    team.pw.locator("main button[type=submit]").click()  # nothing typed: errors, accessibly
    team.pw.wait_for_selector(".ds_error-summary", timeout=WAIT)
    team.audit()
    team.pw.get_by_label("What did you do in this sprint?").fill("Design sprint with the sponsor's drivers.")
    team.pw.get_by_label("What will you do next?").fill("A clickable prototype of demand booking.")
    team.pw.locator("main button[type=submit]").click()
    team.pw.wait_for_url(f"**{workspace}sprints/", timeout=WAIT)
    assert "Design sprint with the sponsor's drivers." in team.pw.content()

    team.pw.get_by_role("link", name="Deliverables", exact=True).click()
    team.pw.wait_for_url(f"**{workspace}deliverables/", timeout=WAIT)
    team.pw.get_by_role("link", name="Submit a deliverable").click()
    team.pw.wait_for_url(f"**{workspace}deliverables/new/", timeout=WAIT)
    team.audit()
    team.pw.get_by_label("Title").fill("Demand booking prototype")
    team.pw.get_by_label("Description").fill("Book a bus by text message.")
    team.pw.get_by_label("Demo URL").fill("https://demo.example/booking")
    team.pw.set_input_files("input[name=file]", str(prototype))
    team.pw.locator("main button[type=submit]").click()
    team.pw.wait_for_selector("text=Version 1 (latest)", timeout=WAIT)
    team.audit()
    deliverable = Deliverable.objects.get()

    detail = f"{workspace}deliverables/{deliverable.pk}/"
    sponsor_page = new_page(browser, live_server)
    sign_in(sponsor_page, sponsor, detail)
    sponsor_page.pw.wait_for_url(f"**{detail}", timeout=WAIT)
    sponsor_page.audit()
    sponsor_page.pw.locator("label", has_text="Request changes").click()
    sponsor_page.pw.get_by_label("Feedback for the team").fill("Please add rebooking by reply.")
    sponsor_page.pw.locator("main button[type=submit]").click()
    sponsor_page.pw.wait_for_selector("text=Changes requested", timeout=WAIT)
    sponsor_page.audit()

    team.pw.reload()
    team.pw.get_by_role("link", name="Submit a new version").click()
    team.pw.wait_for_url("**/versions/new/", timeout=WAIT)
    team.audit()
    team.pw.get_by_label("Version notes").fill("Rebooking by reply added.")
    team.pw.locator("main button[type=submit]").click()
    team.pw.wait_for_url(f"**{detail}", timeout=WAIT)
    team.pw.wait_for_selector("text=Version 2 (latest)", timeout=WAIT)

    sponsor_page.pw.reload()
    sponsor_page.pw.locator("label", has_text="Accept").click()
    sponsor_page.pw.get_by_label("Feedback for the team").fill("Works well. Accepted.")
    sponsor_page.pw.locator("main button[type=submit]").click()
    sponsor_page.pw.wait_for_selector("text=Version 2 is accepted", timeout=WAIT)
    sponsor_page.audit()
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.ACCEPTED
    assert deliverable.versions.count() == 2
