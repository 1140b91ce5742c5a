"""Every list the product shows costs the same queries for a few rows and for many (issue #22): the staff's admin
listings and their CSV exports, the impact report and the records behind each figure, and the public sitemap and
feed. Each grows the same way: every round adds a
challenge (with its round, sponsor and space), a sector, an asked question, an application (with its company and
applicant), an engagement (with its contract, payments and impact returns), a queued email and a Demo Day
registration. (The public listing, the API and open data, dashboards and workspaces have their own tests.)"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import Clarification
from cms.models import DemoDayRegistration
from notifications.models import OutboundEmail
from tests.factories import (
    make_applicant,
    make_application,
    make_challenge,
    make_demo_day,
    make_engagement,
    make_round,
    make_sector,
    staff_user,
)

pytestmark = pytest.mark.django_db


def snippets(label: str) -> str:
    return reverse(f"wagtailsnippets_{label.replace('.', '_')}:list")


STAFF_LISTS = {
    "rounds": snippets("challenges.round"),
    "sectors": snippets("challenges.sector"),
    "questions": snippets("challenges.clarification"),
    "challenge pipeline": reverse("challenge_pipeline:index"),
    "organisations": snippets("organisations.organisation"),
    "emails": snippets("notifications.outboundemail"),
    "Demo Day registrations": snippets("cms.demodayregistration"),
    "application forms": snippets("formbuilder.applicationform"),
    "applications": snippets("applications.application"),
    "scores": snippets("applications.score"),
    "impact returns": snippets("impact.impactreturn"),
    "benefits": snippets("impact.benefit"),
    "contracts": snippets("ledger.contract"),
    "payments": snippets("ledger.payment"),
}


def impact_reports() -> dict[str, str]:
    """The staff impact report and the records behind each of its figures."""
    from impact.reporting import BY_KEY

    return {
        "impact report": reverse("impact_report:index"),
        **{f"impact records: {key}": reverse("impact_report:records", args=[key]) for key in BY_KEY},
    }


EXPORTS = {
    f"{label} (CSV)": f"{url}?export=csv"
    for label, url in STAFF_LISTS.items()
    if label not in ("sectors", "application forms")  # listed only: nothing to export
}
PUBLIC = {"sitemap": "/sitemap.xml", "open challenges feed": "/challenges/feed/"}


def grow(times: int, state: dict) -> None:
    for n in range(len(state["grown"]), len(state["grown"]) + times):
        challenge = make_challenge(title=f"Challenge {n}", sectors=[make_sector(f"Sector {n}")])
        make_round(name=f"Round {n}")
        Clarification.objects.create(challenge=challenge, question=f"Question {n}?", asked_by=make_applicant())
        make_application(challenge=challenge)
        make_engagement()
        OutboundEmail.objects.create(to=f"team{n}@example.com", subject=f"Email {n}", body_text="Hello.")
        DemoDayRegistration.objects.create(
            event=state["demo_day"], name=f"Guest {n}", email=f"guest{n}@example.com", organisation="Guests Ltd"
        )
        state["grown"].append(n)


def queries(client, url: str) -> int:
    client.get(url)  # new rows can be new public content or permissions: shared parts are made again once, then kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def test_every_staff_list_and_export_and_public_list_costs_the_same_for_few_rows_and_many(client):
    state = {"grown": [], "demo_day": make_demo_day()}
    staff = staff_user()
    grow(2, state)

    def measure() -> dict:
        cache.clear()
        client.logout()
        counts = {label: queries(client, url) for label, url in PUBLIC.items()}
        client.force_login(staff)
        staff_pages = {**STAFF_LISTS, **EXPORTS, **impact_reports()}
        counts.update({label: queries(client, url) for label, url in staff_pages.items()})
        return counts

    few = measure()
    grow(8, state)
    many = measure()

    assert {label: (few[label], many[label]) for label in few if few[label] != many[label]} == {}
    page = client.get(STAFF_LISTS["questions"]).content.decode()
    assert "Question 9?" in page  # the rows really did grow
