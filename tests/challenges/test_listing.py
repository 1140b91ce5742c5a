"""/challenges/: filters, search, sort, pagination, counts, bad input, and a constant number of queries."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PublicBodyFactory, make_challenge, make_round, make_sector

pytestmark = pytest.mark.django_db

URL = "/challenges/"


def titles(response) -> list[str]:
    """The challenge titles listed, in order."""
    html = response.content.decode()
    return [unescape(t) for t in re.findall(r'class="ds_search-result__link" href="[^"]+">([^<]+)</a>', html)]


def text(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def catalogue():
    """Five published challenges across rounds, sponsors, sectors and statuses, and a draft.

    Deadlines from now: soon +8 days, open +21, upcoming +38, closed -7, old -272.
    """
    transport = PublicBodyFactory(name="Transport Scotland", slug="transport-scotland")
    nhs = PublicBodyFactory(name="NHS Lothian", slug="nhs-lothian")
    health, travel = make_sector("Health"), make_sector("Transport")
    rounds = {
        "open": make_round(name="CivTech Open", opened_days_ago=7),
        "soon": make_round(name="CivTech Soon", opened_days_ago=20),
        "upcoming": make_round(name="CivTech Next", opened_days_ago=-10),
        "closed": make_round(name="CivTech Assessing", opened_days_ago=35),
        "old": make_round(name="CivTech Old", opened_days_ago=300),
    }
    make_challenge(
        sponsor=transport,
        round=rounds["open"],
        title="Predict rail delays",
        summary="Use timetable data to warn passengers earlier.",
        sectors=[travel],
    )
    make_challenge(sponsor=nhs, round=rounds["soon"], title="Reduce missed hospital appointments", sectors=[health])
    make_challenge(sponsor=nhs, round=rounds["upcoming"], title="Cut hospital waiting lists", sectors=[health])
    make_challenge(sponsor=nhs, round=rounds["closed"], title="Find empty beds faster", sectors=[health])
    make_challenge(sponsor=transport, round=rounds["old"], title="Count cyclists", sectors=[travel, health])
    make_challenge(sponsor=transport, round=rounds["open"], title="Secret draft challenge", live=False)
    return rounds


def test_lists_published_challenges_soonest_closing_first_and_never_drafts(client, catalogue):
    response = client.get(URL)
    assert response.status_code == 200
    # Still to close, soonest first; then those already closed, most recent first.
    assert titles(response) == [
        "Reduce missed hospital appointments",
        "Predict rail delays",
        "Cut hospital waiting lists",
        "Find empty beds faster",
        "Count cyclists",
    ]
    assert "5 challenges" in text(response)
    assert "Secret draft challenge" not in response.content.decode()


def test_latest_closing_first(client, catalogue):
    response = client.get(URL, {"sort": "latest"})
    assert titles(response) == [
        "Cut hospital waiting lists",
        "Predict rail delays",
        "Reduce missed hospital appointments",
        "Find empty beds faster",
        "Count cyclists",
    ]


FILTER_CASES = [
    ({"round": "__open"}, {"Predict rail delays"}),
    (
        {"sponsor": "nhs-lothian"},
        {"Reduce missed hospital appointments", "Cut hospital waiting lists", "Find empty beds faster"},
    ),
    ({"sector": "transport"}, {"Predict rail delays", "Count cyclists"}),
    ({"status": "open"}, {"Predict rail delays", "Reduce missed hospital appointments"}),
    ({"status": "upcoming"}, {"Cut hospital waiting lists"}),
    ({"status": "closed"}, {"Find empty beds faster"}),
    ({"status": "completed"}, {"Count cyclists"}),
    ({"status": "exploration"}, set()),
    ({"sponsor": "nhs-lothian", "sector": "health", "status": "upcoming"}, {"Cut hospital waiting lists"}),
    ({"sponsor": "transport-scotland", "sector": "health"}, {"Count cyclists"}),
    ({"round": "__soon", "status": "open"}, {"Reduce missed hospital appointments"}),
    ({"round": "__soon", "status": "closed"}, set()),
]


def test_each_filter_alone_and_combined(client, catalogue):
    # One catalogue for every case: building it is the slow part.
    for params, expected in FILTER_CASES:
        params = {k: (catalogue[v[2:]].slug if v.startswith("__") else v) for k, v in params.items()}
        response = client.get(URL, params)
        assert response.status_code == 200
        assert set(titles(response)) == expected, params
        assert "We did not recognise" not in text(response)
        if not expected:
            assert "No challenges" in text(response)


SEARCH_CASES = [
    ("timetable", ["Predict rail delays"]),  # a word from the summary only
    ("hospital", ["Reduce missed hospital appointments", "Cut hospital waiting lists"]),  # from titles
    ("rail delays", ["Predict rail delays"]),
    ("submarine", []),
]


def test_search_by_words_from_the_title_and_summary(client, catalogue):
    for q, expected in SEARCH_CASES:
        response = client.get(URL, {"q": q})
        assert titles(response) == expected, q
        assert f"matching “{q}”" in text(response)


def test_search_with_filters_and_counts(client, catalogue):
    response = client.get(URL, {"q": "hospital", "status": "open"})
    assert titles(response) == ["Reduce missed hospital appointments"]
    page = text(response)
    assert "1 challenge matching" in page
    # Counts next to each status cover the search and other filters, not the status chosen.
    assert "Open for applications (1)" in page
    assert "Upcoming (1)" in page
    assert "Completed (0)" in page
    assert "Any status (2)" in page


def test_status_counts_follow_the_other_filters(client, catalogue):
    page = text(client.get(URL))
    for label in [
        "Any status (5)",
        "Upcoming (1)",
        "Open for applications (2)",
        "Closed: assessing applications (1)",
        "In exploration (0)",
        "Completed (1)",
    ]:
        assert label in page
    page = text(client.get(URL, {"sponsor": "transport-scotland"}))
    assert "Any status (2)" in page and "Open for applications (1)" in page and "Completed (1)" in page


def test_the_form_shows_what_is_applied(client, catalogue):
    html = client.get(URL, {"q": "rail", "sponsor": "transport-scotland", "status": "open", "sort": "latest"}).content
    html = html.decode()
    assert 'name="q" value="rail"' in html
    assert re.search(r'<option value="transport-scotland" selected>', html)
    assert re.search(r'value="open" id="filter-status_\d" checked', html)
    assert re.search(r'<option value="latest" selected>', html)
    assert "Clear search and filters" in html
    # Works without JavaScript: a GET form with submit buttons.
    assert '<form method="get" action="/challenges/">' in html
    assert html.count('type="submit"') >= 2


BAD_INPUT = [
    ({"status": "nonsense"}, "We did not recognise the status “nonsense”, so we are showing every status."),
    ({"round": "civtech-0"}, "We did not recognise the round “civtech-0”"),
    ({"sponsor": "nobody"}, "We did not recognise the sponsor “nobody”"),
    ({"sector": "<script>"}, "We did not recognise the sector “<script>”"),
    ({"sort": "random"}, "We did not recognise the sort order “random”"),
    ({"page": "abc"}, "“abc” is not a page number, so we are showing the first page."),
    ({"page": "-1"}, "“-1” is not a page number"),
    ({"page": "0"}, "Page numbers start at 1"),
    ({"page": "9999"}, "There is only one page of results"),
    ({"page": "1" * 5000}, "There is only one page of results"),
    ({"page": "²"}, "“²” is not a page number"),
    ({"status": ["open", "nope"]}, "We did not recognise the status “nope”"),  # the last value counts
]


def test_unknown_values_are_ignored_with_a_message_never_an_error(client, catalogue):
    for params, message in BAD_INPUT:
        response = client.get(URL, params)
        assert response.status_code == 200, params
        assert message in text(response), params
        assert len(titles(response)) == 5, params
        assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_a_long_search_is_shortened_not_refused(client, catalogue):
    response = client.get(URL, {"q": "hospital " + "x" * 500})
    assert response.status_code == 200


@pytest.fixture
def many():
    """45 open challenges in one round: three pages of 20."""
    round_ = make_round(opened_days_ago=3)
    sponsor = PublicBodyFactory(name="Scottish Water", slug="scottish-water")
    for n in range(45):
        make_challenge(sponsor=sponsor, round=round_, title=f"Water challenge {n:02d}")
    return round_


def test_pagination(client, many):
    first = client.get(URL)
    assert len(titles(first)) == 20
    assert titles(first)[0] == "Water challenge 00"
    assert "Showing 1 to 20 of 45" in text(first)
    assert 'class="ds_pagination"' in first.content.decode()

    second = client.get(URL, {"page": "2", "q": "water", "sort": "closing"})
    assert titles(second) == [f"Water challenge {n:02d}" for n in range(20, 40)]
    html = second.content.decode()
    assert '<ol class="ds_search-results__list" start="21">' in html
    assert 'aria-current="page"' in html
    # The other pages' links keep the search and sort.
    assert 'href="?q=water&amp;sort=closing&amp;page=3"' in html
    assert 'href="?q=water&amp;sort=closing&amp;page=1"' in html
    assert "(page 2 of 3)" in html

    beyond = client.get(URL, {"page": "9999"})
    assert beyond.status_code == 200
    assert titles(beyond) == [f"Water challenge {n:02d}" for n in range(40, 45)]
    assert "There are only 3 pages of results, so we are showing the last page." in text(beyond)

    not_a_number = client.get(URL, {"page": "two"})
    assert titles(not_a_number) == titles(first)


def _queries(client, params) -> int:
    """The queries of a listing request with every cache empty: the most it ever asks the database (while public
    content is unchanged the listing asks it nothing: tests/challenges/test_listing_cache.py)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries)


def test_the_same_number_of_queries_for_10_and_200_challenges(client):
    """Rows, sectors, sponsors, rounds and counts are all fetched in bulk."""
    rounds = [make_round(opened_days_ago=days) for days in (3, 10, -5, 40)]
    sponsors = [PublicBodyFactory() for _ in range(5)]
    sectors = [make_sector(name) for name in ("Health", "Transport", "Justice")]

    def add(start, stop):
        for n in range(start, stop):
            make_challenge(
                sponsor=sponsors[n % len(sponsors)],
                round=rounds[n % len(rounds)],
                title=f"Challenge {n}",
                summary=f"Challenge {n}: improve water quality.",
                sectors=sectors[: 1 + n % 3],
            )

    filtered = {"q": "water", "sector": "health", "status": "open", "sort": "latest", "page": "2"}
    add(0, 10)
    client.get(URL)  # the first request fills caches (site root paths, settings); measure from the second
    # A sponsor's space and a round's page list their challenges too (all of them: no pagination).
    from challenges.views.public import round_url

    space, round_page = sponsors[0].challenge_space.url, round_url(rounds[0])

    def others() -> dict[str, int]:
        counts = {}
        for name, url in (("space", space), ("round", round_page)):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name] = len(queries)
        return counts

    small = {"plain": _queries(client, {}), "filtered": _queries(client, filtered), **others()}
    add(10, 200)
    large = {"plain": _queries(client, {}), "filtered": _queries(client, filtered), **others()}
    print(f"queries for 10 challenges: {small}; for 200: {large}")
    assert small == large
    # routing and view restrictions, 3 filter choices, the moments statuses change (2), the counts (the paginator's
    # count among them), the page of rows, the rows' pages and their sectors, the footer's settings
    assert large["plain"] <= 17
