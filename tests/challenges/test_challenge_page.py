"""The challenge page (key facts in UK time, funding, how to apply), the round page and the sponsor page."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from challenges.models import ChallengePage
from tests.factories import PublicBodyFactory, UserFactory, make_challenge, make_round, make_sector

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")


def text(response) -> str:
    assert response.status_code == 200
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def round_closing_at(call_closes: datetime, **overrides):
    """A round whose call closes at an exact moment (opened a week before, or earlier if it closes soon)."""
    week = timedelta(weeks=1)
    call_opens = min(timezone.now() - week, call_closes - 4 * week)
    fields = {
        "call_opens": call_opens,
        "questions_close": call_closes - week,
        "call_closes": call_closes,
        "shortlist_by": call_closes + week,
        "interviews_start": call_closes + 2 * week,
        "interviews_end": call_closes + 3 * week,
        "exploration_start": call_closes + 4 * week,
        "exploration_end": call_closes + 7 * week,
        "pitch_at": call_closes + 7 * week,
        "accelerator_start": call_closes + 9 * week,
        "accelerator_end": call_closes + 24 * week,
        "demo_day": call_closes + 24 * week,
    }
    return make_round(**{**fields, **overrides})


def test_open_challenge_deadline_in_bst_is_shown_in_uk_time(client):
    year = timezone.now().year + 1
    closes = datetime(year, 7, 16, 11, 0, tzinfo=UTC)  # 12:00pm British Summer Time
    challenge = make_challenge(round=round_closing_at(closes), title="Predict rail delays")
    page = text(client.get(challenge.url))
    day = closes.astimezone(UK).strftime("%A")
    assert f"Closes 12:00pm on {day} 16 July {year} (UK time)" in page
    assert f"Applications close on {day} 16 July {year} at 12:00pm (UK time)" in page


def test_open_challenge_deadline_in_gmt_is_shown_in_uk_time(client):
    year = timezone.now().year + 1
    closes = datetime(year, 1, 16, 12, 0, tzinfo=UTC)  # 12:00pm Greenwich Mean Time
    challenge = make_challenge(round=round_closing_at(closes))
    page = text(client.get(challenge.url))
    day = closes.strftime("%A")
    assert f"Closes 12:00pm on {day} 16 January {year} (UK time)" in page


def test_closed_challenge_says_when_it_closed_in_uk_time(client):
    bst = round_closing_at(datetime(2025, 7, 16, 8, 30, tzinfo=UTC))  # 9:30am BST, a Wednesday
    gmt = round_closing_at(datetime(2025, 1, 16, 17, 0, tzinfo=UTC))  # 5:00pm GMT, a Thursday
    summer = text(client.get(make_challenge(round=bst, title="Summer").url))
    winter = text(client.get(make_challenge(round=gmt, title="Winter").url))
    assert "Closed 9:30am on Wednesday 16 July 2025 (UK time)" in summer
    assert "Applications closed on Wednesday 16 July 2025 at 9:30am (UK time)" in summer
    assert "Closed 5:00pm on Thursday 16 January 2025 (UK time)" in winter
    assert "Applications closed on Thursday 16 January 2025 at 5:00pm (UK time)" in winter
    assert "Sign in to apply" not in summer + winter


def test_key_facts_come_first_and_funding_is_in_pounds(client):
    sponsor = PublicBodyFactory(name="Transport Scotland", slug="transport-scotland")
    round_ = make_round(name="CivTech 12", exploration_teams=3, accelerator_teams=1)
    challenge = make_challenge(
        sponsor=sponsor,
        round=round_,
        title="Predict rail delays",
        summary="Warn passengers earlier.",
        exploration_payment=Decimal("7500"),
        follow_on_value=Decimal("1250000"),
        sectors=[make_sector("Transport"), make_sector("Data")],
        contact_name="Ana Smith",
        contact_email="ana@example.gov.scot",
    )
    response = client.get(challenge.url)
    page = text(response)
    assert "Open for applications" in page
    assert 'class="ds_tag ds_tag--green"' in response.content.decode()
    assert "£7,500 for each of up to 3 teams (£22,500 in total, excluding VAT)" in page
    assert "Up to £350,000 for 1 team (excluding VAT)" in page  # the round's default
    assert "Potential follow-on value Up to £1,250,000" in page
    assert "Sponsor Transport Scotland" in page
    assert "Sectors Data, Transport" in page
    assert "ana@example.gov.scot" in page
    # Key facts first, then the problem, then how to apply.
    order = [page.index(s) for s in ("Key facts", "Key dates", "Warn passengers earlier", "Applications close on")]
    assert order == sorted(order)
    assert "The problem in detail." in page
    assert "Patients and clinic staff." in page
    # Timeline of the round's stages, links to the round and the calendar.
    for stage in ("Call open for applications", "Clarification questions close", "Interviews", "Demo Day"):
        assert stage in page
    html = response.content.decode()
    assert f'href="/challenges/rounds/{round_.slug}/"' in html
    assert f'href="{challenge.url}calendar/"' in html


def test_a_round_default_is_used_when_the_challenge_sets_no_amount(client):
    round_ = make_round(exploration_payment=Decimal("4000.50"), exploration_teams=2, accelerator_teams=2)
    page = text(client.get(make_challenge(round=round_).url))
    assert "£4,000.50 for each of up to 2 teams (£8,001 in total" in page
    assert "Up to £350,000 for each of up to 2 teams" in page
    assert "Potential follow-on value" not in page


def test_open_challenge_invites_visitors_to_sign_in_and_come_back(client):
    challenge = make_challenge()
    html = client.get(challenge.url).content.decode()
    assert f'<a class="ds_button" href="/accounts/login/?next={challenge.url}">Sign in to apply</a>' in html
    assert f'href="/accounts/signup/?next={challenge.url}"' in html
    assert 'href="#apply"' in html and 'id="apply"' in html


def test_signed_in_visitors_are_not_sent_to_sign_in_again(client):
    challenge = make_challenge()
    client.force_login(UserFactory())
    page = text(client.get(challenge.url))
    assert "Sign in to apply" not in page
    assert "You are signed in as" in page


def test_upcoming_challenge_says_when_applications_open_and_has_no_apply_button(client):
    opens = datetime(timezone.now().year + 1, 3, 2, 9, 0, tzinfo=UTC)
    round_ = round_closing_at(opens + timedelta(weeks=4), call_opens=opens)
    response = client.get(make_challenge(round=round_).url)
    page = text(response)
    day = opens.strftime("%A")
    assert f"Applications open on {day} 2 March {opens.year} at 9:00am (UK time)" in page
    assert "Upcoming" in page
    assert "Sign in to apply" not in page
    assert 'class="ds_button"' not in response.content.decode().split('id="apply"', 1)[1].split("questions", 1)[0]


def test_stopped_challenge_says_it_stopped_early(client):
    challenge = make_challenge()
    stopped = timezone.now() - timedelta(hours=1)
    ChallengePage.objects.filter(pk=challenge.pk).update(stopped_at=stopped)
    page = text(client.get(challenge.url))
    assert "Completed" in page
    assert "when this challenge was stopped early" in page
    assert "Sign in to apply" not in page


def test_a_draft_is_not_reachable(client):
    draft = make_challenge(live=False, title="Secret plan")
    assert client.get(draft.url).status_code == 404
    assert client.get(draft.url + "calendar/").status_code == 404


def test_round_page_shows_the_timeline_and_its_live_challenges(client):
    round_ = round_closing_at(
        datetime(timezone.now().year + 1, 7, 16, 11, 0, tzinfo=UTC), name="CivTech 13", description="Our 13th round."
    )
    make_challenge(round=round_, title="Predict rail delays")
    make_challenge(round=round_, title="Secret plan", live=False)
    make_challenge(title="In another round")
    response = client.get(f"/challenges/rounds/{round_.slug}/")
    page = text(response)
    assert "CivTech 13" in page and "Our 13th round." in page
    assert "Predict rail delays" in page
    assert "Secret plan" not in page and "In another round" not in page
    assert "12:00pm on" in page and "All dates and times are UK time." in page
    assert "Demo Day" in page
    assert client.get("/challenges/rounds/no-such-round/").status_code == 404


def test_sponsor_page_lists_its_challenges(client):
    sponsor = PublicBodyFactory(name="NHS Lothian", slug="nhs-lothian")
    make_challenge(sponsor=sponsor, title="Cut waiting lists")
    make_challenge(sponsor=sponsor, title="Unpublished idea", live=False)
    make_challenge(title="Someone else's challenge")
    page = text(client.get("/challenges/nhs-lothian/"))
    assert "NHS Lothian" in page
    assert "Cut waiting lists" in page
    assert "Unpublished idea" not in page and "Someone else's challenge" not in page
    assert "1 challenge." in page
