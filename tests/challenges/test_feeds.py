"""The Atom feed of open challenges and each challenge's iCalendar file."""

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from challenges.views import challenge_calendar
from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sector

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_valid_atom_listing_open_challenges_only(client):
    sponsor = PublicBodyFactory(name="Transport Scotland", slug="transport-scotland")
    make_challenge(
        sponsor=sponsor,
        round=make_round(opened_days_ago=3),
        title="Predict rail delays",
        summary="Warn passengers earlier.",
        sectors=[make_sector("Transport")],
    )
    make_challenge(round=make_round(opened_days_ago=10), title="Reduce missed appointments")
    make_challenge(round=make_round(opened_days_ago=-5), title="Not open yet")
    make_challenge(round=make_round(opened_days_ago=60), title="Closed already")
    make_challenge(round=make_round(opened_days_ago=3), title="Draft", live=False)

    response = client.get("/challenges/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to check it is valid
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}").text
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/challenges/feed/"

    entries = feed.findall(f"{ATOM}entry")
    assert sorted(e.find(f"{ATOM}title").text for e in entries) == ["Predict rail delays", "Reduce missed appointments"]
    rail = next(e for e in entries if e.find(f"{ATOM}title").text == "Predict rail delays")
    assert (
        rail.find(f"{ATOM}link").get("href") == "http://testserver/challenges/transport-scotland/predict-rail-delays/"
    )
    assert rail.find(f"{ATOM}id").text
    assert rail.find(f"{ATOM}updated").text
    assert rail.find(f"{ATOM}author/{ATOM}name").text == "Transport Scotland"
    summary = rail.find(f"{ATOM}summary").text
    assert summary.startswith("Warn passengers earlier.") and "(UK time)" in summary
    assert rail.find(f"{ATOM}category").get("term") == "Transport"


def test_listing_advertises_the_feed(client):
    html = client.get("/challenges/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml" title="Open challenges" href="/challenges/feed/">' in html


# --- iCalendar --------------------------------------------------------------------------------------
def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


@pytest.fixture
def challenge():
    round_ = make_round(opened_days_ago=3, name="CivTech 14")
    return make_challenge(round=round_, title="Rail, roads; and ferries: a very long title for folding purposes indeed")


@pytest.fixture
def ics(challenge):
    request = RequestFactory().get(challenge.url + "calendar.ics")
    return challenge_calendar(request, challenge)


def test_calendar_headers(ics, challenge):
    assert ics.status_code == 200
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert ics["Content-Disposition"] == f'attachment; filename="{challenge.slug}.ics"'


def test_calendar_is_well_formed_icalendar(ics, challenge):
    body = ics.content.decode()
    # CRLF everywhere, no bare line feeds, no line over 75 octets.
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = unfold(body)[:-1]
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    # BEGIN/END balance and nesting.
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []

    events = re.findall(r"BEGIN:VEVENT\r\n(.*?)END:VEVENT", "\r\n".join(lines) + "\r\n", re.S)
    assert len(events) == 9
    uids = set()
    for event in events:
        props = dict(line.split(":", 1) for line in event.strip().split("\r\n"))
        assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTART"])
        assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTSTAMP"])
        if "DTEND" in props:
            assert re.fullmatch(r"\d{8}T\d{6}Z", props["DTEND"]) and props["DTEND"] > props["DTSTART"]
        # Commas and semicolons in text are escaped (RFC 5545 §3.3.11).
        assert props["SUMMARY"].startswith("Rail\\, roads\\; and ferries: a very long title")
        assert props["URL"] == f"http://testserver{challenge.url}"
        uids.add(props["UID"])
    assert len(uids) == 9


def test_calendar_has_the_call_dates_in_utc(ics, challenge):
    lines = unfold(ics.content.decode())
    r = challenge.round

    def utc(moment: datetime) -> str:
        return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    for moment, what in [
        (r.call_opens, "applications open"),
        (r.questions_close, "clarification questions close"),
        (r.call_closes, "applications close"),
        (r.demo_day, "Demo Day"),
    ]:
        index = lines.index(f"DTSTART:{utc(moment)}")
        event = lines[index : lines.index("END:VEVENT", index)]
        assert any(line.startswith("SUMMARY:") and line.endswith(f": {what}") for line in event), what


def test_the_challenge_pages_calendar_link_works(client, challenge):
    response = client.get(challenge.url + "calendar/", follow=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
