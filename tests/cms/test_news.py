"""News and case studies (issue #18, item 8): `/news/` lists the public stories newest first, filtered by a tag and
paged, in a constant number of queries; a story links only to challenges anyone may see and to the public profiles
of the companies it names; staff write stories in the Wagtail admin."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.models import HomePage, NewsIndexPage, NewsPage
from discovery.sources import news_queryset
from tests.factories import OrganisationFactory, make_challenge, make_engagement, make_round, staff_user

pytestmark = pytest.mark.django_db

BODY = json.dumps([{"type": "paragraph", "value": "<p>The team built a working product with the sponsor.</p>"}])


@pytest.fixture
def index() -> NewsIndexPage:
    home = HomePage.objects.get()
    page = home.add_child(instance=NewsIndexPage(title="News and case studies", slug="news", intro="What is new."))
    page.save_revision().publish()
    return page


def make_story(index, title, *, days_ago=0, tags=(), challenges=(), organisations=(), live=True, **fields):
    story = NewsPage(
        title=title,
        date=date.today() - timedelta(days=days_ago),
        summary=fields.pop("summary", f"{title}, in brief."),
        body=BODY,
        live=live,
        **fields,
    )
    story.tags.add(*tags)
    story.related_challenges = list(challenges)
    story.related_organisations = list(organisations)
    index.add_child(instance=story)
    revision = story.save_revision()
    if live:
        revision.publish()
    return NewsPage.objects.get(pk=story.pk)


def results(html: str) -> str:
    """The list of stories, without the topics beside it."""
    return html.split('class="ds_layout__list"')[1]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- The listing --------------------------------------------------------------------------------------------------
def test_the_listing_shows_public_stories_newest_first(client, index):
    make_story(index, "Older story", days_ago=30)
    make_story(index, "Newer story", days_ago=1, kind=NewsPage.Kind.CASE_STUDY)
    make_story(index, "Draft story", live=False)
    secret = make_story(index, "Members-only story")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)

    html = html_of(client, "/news/")
    assert html.count("<h1") == 1
    assert "2 stories" in html
    assert html.index("Newer story") < html.index("Older story")
    assert "Case study" in html
    assert "Draft story" not in html and "Members-only story" not in html


def test_the_listing_filters_by_tag(client, index):
    make_story(index, "Buses on time", tags=["Transport"])
    make_story(index, "Fewer missed appointments", tags=["Health", "Data and digital"])
    make_story(index, "Open call", tags=["Open call"])

    html = html_of(client, "/news/")
    assert 'href="/news/?tag=health"' in html and 'href="/news/?tag=transport"' in html  # the topics to choose from
    filtered = html_of(client, "/news/?tag=health")
    assert "Fewer missed appointments" in results(filtered)
    assert "Buses on time" not in results(filtered) and "Open call" not in results(filtered)
    assert "1 story about “Health”" in filtered
    assert 'aria-current="page">Health<' in filtered


def test_an_unknown_tag_shows_every_story_and_says_so(client, index):
    make_story(index, "Buses on time", tags=["Transport"])
    html = html_of(client, "/news/?tag=no-such-topic")
    assert "No stories have that tag" in html
    assert "Buses on time" in html


def test_a_tag_used_only_by_a_draft_story_is_not_offered(client, index):
    make_story(index, "Public", tags=["Transport"])
    make_story(index, "Draft", tags=["Secret plans"], live=False)
    html = html_of(client, "/news/")
    assert "Secret plans" not in html


def test_the_listing_is_paged_ten_at_a_time(client, index):
    for n in range(23):
        make_story(index, f"Story number {n:02d}", days_ago=n)
    first = html_of(client, "/news/")
    assert "23 stories" in first and "Showing 1 to 10 of 23" in first
    assert 'class="ds_pagination"' in first
    assert "Story number 00" in first and "Story number 10" not in first
    last = html_of(client, "/news/?page=3")
    assert "Story number 22" in last and "Story number 19" not in last
    assert "(page 3 of 3)" in last
    assert "Story number 22" in html_of(client, "/news/?page=99")  # past the end: the last page
    assert "Story number 00" in html_of(client, "/news/?page=first")  # not a number: the first page


def test_paging_keeps_the_tag(client, index):
    for n in range(12):
        make_story(index, f"Transport story {n:02d}", days_ago=n, tags=["Transport"])
    make_story(index, "Health story", tags=["Health"])
    html = html_of(client, "/news/?tag=transport")
    assert "?tag=transport&amp;page=2" in html
    second = html_of(client, "/news/?tag=transport&page=2")
    assert "Transport story 11" in results(second) and "Health story" not in results(second)


def test_the_listing_runs_a_constant_number_of_queries(client, index, settings, django_assert_max_num_queries):
    settings.PUBLIC_CACHE_SECONDS = 0  # count the queries of rendering, not a cache hit
    challenge = make_challenge()
    company = OrganisationFactory()
    for n in range(2):
        make_story(index, f"Story {n}", tags=["Transport", f"Topic {n}"], challenges=[challenge],
                   organisations=[company])  # fmt: skip
    with CaptureQueriesContext(connection) as few:
        html_of(client, "/news/?tag=transport")
    for n in range(2, 30):
        make_story(index, f"Story {n}", tags=["Transport", f"Topic {n}"], challenges=[challenge],
                   organisations=[company])  # fmt: skip
    with django_assert_max_num_queries(len(few)):
        html = html_of(client, "/news/?tag=transport")
    assert "30 stories" in html
    with django_assert_max_num_queries(len(few)):
        html_of(client, "/news/?tag=transport&page=3")
    assert len(few) <= 20


# --- A story ------------------------------------------------------------------------------------------------------
def test_a_story_shows_its_date_summary_body_and_topics(client, index):
    story = make_story(index, "Buses on time", days_ago=3, tags=["Transport"], kind=NewsPage.Kind.CASE_STUDY,
                       summary="How a model predicts demand for rural buses.")  # fmt: skip
    html = html_of(client, story.url)
    assert html.count("<h1") == 1
    assert "Case study" in html
    assert "How a model predicts demand for rural buses." in html
    assert "The team built a working product with the sponsor." in html
    assert f'datetime="{story.date:%Y-%m-%d}"' in html
    assert 'href="/news/?tag=transport"' in html
    assert 'href="/news/"' in html  # the breadcrumb back to the listing


def test_a_story_links_only_to_public_challenges(client, index):
    round_ = make_round(opened_days_ago=7)
    public = make_challenge(round=round_, title="Harbour tide gauges")
    restricted = make_challenge(round=round_, title="Lighthouse tide gauges")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    draft = make_challenge(round=round_, title="Marshland tide gauges", live=False)
    story = make_story(index, "Tide gauges", challenges=[public, restricted, draft])
    html = html_of(client, story.url)
    assert f'href="{public.url}"' in html
    assert "Lighthouse" not in html and "Marshland" not in html


def test_a_story_links_a_company_to_its_public_profile_only_when_it_has_one(client, index):
    engaged = make_engagement(stage="exploration").application.organisation  # in a team on a public challenge
    newcomer = OrganisationFactory(name="Newcomer Robotics Ltd")
    story = make_story(index, "Two companies", organisations=[engaged, newcomer])
    html = html_of(client, story.url)
    assert f'href="/solutions/companies/{engaged.slug}/"' in html
    assert "Newcomer Robotics Ltd" in html and f"/solutions/companies/{newcomer.slug}/" not in html


def test_a_restricted_or_draft_story_is_not_public(client, index):
    secret = make_story(index, "Members-only story")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    draft = make_story(index, "Draft story", live=False)
    assert client.get(secret.url).status_code == 302  # to sign in
    assert client.get(f"/news/{draft.slug}/").status_code == 404
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/news/</loc>" in sitemap
    assert secret.slug not in sitemap and draft.slug not in sitemap


def test_stories_are_searched_as_news(index):
    story = make_story(index, "Buses on time")
    make_story(index, "Draft story", live=False)
    assert list(news_queryset().type(NewsPage).values_list("pk", flat=True)) == [story.pk]


# --- Editing ------------------------------------------------------------------------------------------------------
def test_stories_live_under_the_news_index_only():
    home = HomePage.objects.get()
    assert NewsIndexPage.can_create_at(home)
    assert not NewsPage.can_create_at(home)


def test_staff_write_and_publish_a_story_in_the_admin(client, index):
    challenge = make_challenge(title="Harbour tide gauges")
    company = OrganisationFactory(name="Harbour Sensors Ltd")
    client.force_login(staff_user())
    add_url = f"/admin/pages/add/cms/newspage/{index.pk}/"
    form = client.get(add_url)
    assert form.status_code == 200
    assert "Harbour tide gauges" in form.content.decode()  # related challenges to choose from

    data = nested_form_data(
        {
            "title": "Tide gauges read from the shore",
            "slug": "tide-gauges",
            "kind": "case_study",
            "date": "2026-03-02",
            "summary": "A sensor network now reads every gauge.",
            "body": streamfield([("paragraph", rich_text("<p>It started with one harbour.</p>"))]),
            "tags": "Marine, Data and digital",
            "comments": inline_formset([]),
            "action-publish": "publish",
        }
    )
    data["related_challenges"] = [challenge.pk]
    data["related_organisations"] = [company.pk]
    response = client.post(add_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    story = NewsPage.objects.get(slug="tide-gauges")
    assert story.live and story.kind == NewsPage.Kind.CASE_STUDY
    assert set(story.tags.values_list("name", flat=True)) == {"Marine", "Data and digital"}
    assert list(story.related_challenges.all()) == [challenge]
    assert list(story.related_organisations.all()) == [company]
    client.logout()
    html = html_of(client, "/news/?tag=marine")
    assert "Tide gauges read from the shore" in html
