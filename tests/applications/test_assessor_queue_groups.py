"""The assessor's queue: what is left to do above, what they have done below, each row in its group once."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.roles import Role
from applications.services.assessment import assignment_create, assignment_declare, criteria_for
from tests.applications.evaluation import closed_challenge_with, score
from tests.factories import UserFactory, staff_user

pytestmark = pytest.mark.django_db


def group(html: str, anchor: str) -> tuple[str, dict[str, str]]:
    """The heading of the group `anchor` and its rows: application reference → the last cell's text."""
    soup = BeautifulSoup(html, "html.parser")
    heading = soup.select_one(f"h2#{anchor}")
    table = heading.find_next_sibling(["table", "h2"])
    rows = {}
    if table is not None and table.name == "table":
        for tr in table.select("tbody tr"):
            cells = tr.select("td")
            rows[cells[0].get_text(strip=True)] = " ".join(cells[-1].get_text(" ", strip=True).split())
    return heading.get_text(strip=True), rows


def test_the_queue_splits_what_is_to_do_from_what_is_done(client):
    staff = staff_user()
    _, (scored, waiting, conflicted) = closed_challenge_with(3)
    assessor = UserFactory(role=Role.ASSESSOR, mfa=True)
    score(scored, [3] * len(criteria_for(scored)), by_staff=staff, assessor=assessor)
    assignment_create(application=waiting, assessor=assessor, by=staff)
    clash = assignment_create(application=conflicted, assessor=assessor, by=staff)
    assignment_declare(assignment=clash, by=assessor, has_conflict=True, details="I advise this company.")

    client.force_login(assessor)
    html = client.get(reverse("applications:assess_queue")).content.decode()
    heading, to_do = group(html, "to-do")
    assert heading == "To do (1)"
    assert to_do == {waiting.reference: f"Declare any conflict of interest for {waiting.reference}"}
    heading, done = group(html, "done")
    assert heading == "Done (2)"
    assert set(done) == {scored.reference, conflicted.reference}
    assert done[conflicted.reference] == "Declared a conflict of interest"
    assert done[scored.reference].startswith("Scored ") and "see all scores" in done[scored.reference]

    # Declaring no conflict on the waiting one keeps it to do, now as "Read and score".
    assignment_declare(assignment=waiting.assignments.get(), by=assessor, has_conflict=False)
    html = client.get(reverse("applications:assess_queue")).content.decode()
    assert group(html, "to-do") == ("To do (1)", {waiting.reference: f"Read and score {waiting.reference}"})
    assert group(html, "done")[0] == "Done (2)"
