"""The listing's cached parts (issue #22): each result row and the filter choices are rendered once and served from
the shared cache until public content changes, for signed-in people too. Whatever a row or a filter shows must
change on the very next request when its source changes: a publish, a round's dates or name, a sponsor's name, a
new sector, or the clock passing a deadline."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Site

from challenges.models import Sector
from challenges.status import Status
from civtech.cache import current_version
from cms.models import SiteSettings
from tests.factories import OrganisationFactory, UserFactory, make_challenge, make_round

pytestmark = pytest.mark.django_db

LISTING = "/challenges/"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """These are the parts cached for everyone, signed in or not: the anonymous page cache is tested elsewhere."""
    settings.PUBLIC_CACHE_SECONDS = 0
    # The first page view creates the footer's settings row, which (rightly) bumps the public content version:
    # create it now, so the first request of a test is not the one that supersedes its own cached parts.
    SiteSettings.for_site(Site.objects.get(is_default_site=True))


def listing(client, **params) -> str:
    return client.get(LISTING, params).content.decode()


def test_rows_are_kept_in_the_cache_and_a_publish_shows_at_once(client):
    page = make_challenge(title="Fewer missed bin collections")
    assert "Fewer missed bin collections" in listing(client)
    stored = cache.get(f"challenge-row:{current_version()}:testserver:{page.pk}:{page.status}:00")
    assert "Fewer missed bin collections" in stored  # the row was kept, under the public content version

    page.title = "Fewer missed recycling collections"
    page.save_revision().publish()

    html = listing(client)
    assert ">Fewer missed recycling collections</a>" in html
    assert ">Fewer missed bin collections</a>" not in html


def test_a_rounds_new_name_and_dates_show_at_once(client):
    round_ = make_round(name="CivTech 11")
    make_challenge(round=round_, title="Greener school transport")
    assert "CivTech 11" in listing(client)

    round_.name = "CivTech 11 (extended)"
    round_.call_closes = round_.call_closes + timedelta(days=7)
    round_.save()

    html = listing(client)
    assert "CivTech 11 (extended)" in html
    assert round_.call_closes.strftime("%-d %B %Y") in html


def test_a_sponsors_new_name_shows_at_once(client):
    sponsor = OrganisationFactory(name="Fife Council", kind="public_body")
    make_challenge(sponsor=sponsor, title="Safer crossings near schools")
    assert "Fife Council" in listing(client)

    sponsor.name = "Fife Council (Roads)"
    sponsor.save()

    assert "Fife Council (Roads)" in listing(client)


def test_a_row_turns_from_open_to_closed_at_the_deadline_without_a_publish(client, monkeypatch):
    round_ = make_round(opened_days_ago=27)  # closes in a day
    make_challenge(round=round_, title="Quicker blue badge renewals")
    assert "Closes" in listing(client)

    after = round_.call_closes + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after)

    html = listing(client)
    assert "Closed" in html and "Closes</dt>" not in html


def _listing_queries(client, **params) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(LISTING, params).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_a_listing_asked_for_again_asks_the_database_nothing_until_a_publish(client):
    make_challenge(title="Kinder parking enforcement")
    first = _listing_queries(client, status="open", sort="latest")
    again = _listing_queries(client, status="open", sort="latest")

    assert any("challenges_challengepage" in sql for sql in first)
    assert not any("challenges_challengepage" in sql or "challenges_round" in sql for sql in again), again
    assert len(again) < len(first)

    make_challenge(title="Brighter street lighting")  # published: the next request shows it and its count

    html = listing(client, status="open", sort="latest")
    assert "Brighter street lighting" in html and "Kinder parking enforcement" in html
    assert "2 challenges" in html and "Open for applications (2)" in html


def test_the_counts_and_the_status_filter_follow_the_clock_without_a_publish(client, monkeypatch):
    round_ = make_round(opened_days_ago=27)  # closes in a day
    make_challenge(round=round_, title="Quicker pothole repairs")
    assert "Quicker pothole repairs" in listing(client, status="open")
    assert "Open for applications (1)" in listing(client)

    after = round_.call_closes + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after)

    assert "Quicker pothole repairs" not in listing(client, status="open")
    html = listing(client)
    assert "Open for applications (0)" in html and "Closed: assessing applications (1)" in html
    assert "Quicker pothole repairs" in listing(client, status="closed")


def test_a_challenge_stopped_from_a_later_moment_is_completed_from_that_moment(client, monkeypatch):
    stop = timezone.now() + timedelta(hours=2)
    make_challenge(title="Fewer empty homes", stopped_at=stop)
    assert "Open for applications (1)" in listing(client)

    monkeypatch.setattr(timezone, "now", lambda: stop)

    html = listing(client)
    assert "Open for applications (0)" in html and "Completed (1)" in html
    assert "Fewer empty homes" in listing(client, status="completed")


def test_the_filter_choices_are_cached_and_follow_what_is_published(client):
    make_challenge(title="Quieter streets", sectors=[Sector.objects.create(name="Transport", slug="transport")])
    assert '<option value="transport">Transport</option>' in listing(client)

    make_challenge(title="Cleaner air", sectors=[Sector.objects.create(name="Environment", slug="environment")])

    html = listing(client)
    assert '<option value="environment">Environment</option>' in html
    assert '<option value="transport">Transport</option>' in html


def test_signed_in_people_get_the_same_rows_without_the_page_cache(client):
    make_challenge(title="Fairer school meal ordering")
    listing(client)  # an anonymous visitor's request stores the row
    client.force_login(UserFactory())

    html = listing(client)
    assert "Fairer school meal ordering" in html
    assert "Sign out" in html


# --- the challenge page's shared part ----------------------------------------------------------------------------


def test_the_challenge_pages_shared_part_is_cached_and_a_publish_shows_at_once(client):
    page = make_challenge(title="Shorter waits for home adaptations")
    page.users = "<p>Occupational therapists in three councils.</p>"
    page.save_revision().publish()
    assert "three councils" in client.get(page.url).content.decode()

    page.users = "<p>Occupational therapists in five councils.</p>"
    page.save_revision().publish()

    html = client.get(page.url).content.decode()
    assert "five councils" in html and "three councils" not in html


def test_an_editors_preview_shows_the_draft_not_the_cached_live_page(client):
    page = make_challenge(title="Warmer homes for tenants")
    assert "Warmer homes for tenants" in client.get(page.url).content.decode()  # the live body is cached
    page.sponsor_provides = "<p>A draft promise of data from 4,000 homes.</p>"  # edited, not published

    preview = page.make_preview_request()  # as the editor's preview panel renders it

    assert "4,000 homes" in preview.content.decode()
    assert "4,000 homes" not in client.get(page.url).content.decode()


def test_the_challenge_pages_key_facts_follow_the_clock(client, monkeypatch):
    round_ = make_round(opened_days_ago=27)
    page = make_challenge(round=round_, title="Faster repairs reporting")
    # The status shows twice: in the page header and in the key facts (the cached part).
    assert client.get(page.url).content.decode().count(f">{Status.OPEN.label}</strong>") == 2

    after = round_.call_closes + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: after)

    html = client.get(page.url).content.decode()
    assert html.count(f">{Status.OPEN.label}</strong>") == 0
    assert html.count(f">{Status.CLOSED.label}</strong>") == 2
