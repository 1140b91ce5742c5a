"""Demo editorial content: a home page that explains the programme, the pages the footer links to, a Demo Day
page for every round whose accelerator has teams, and news and case studies (run after the sprints demo)."""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from challenges.models import ChallengePage, Round
from civtech.demo_data import DemoStep, demo_data
from organisations.models import Organisation
from sprints.models import Engagement

from .models import (
    DemoDayPage,
    DemoDayRegistration,
    EventIndexPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    SiteSettings,
    StandardPage,
)
from .services import demo_day_register

HOW_IT_WORKS = [
    {"type": "heading", "value": "How CivTech works"},
    {
        "type": "paragraph",
        "value": (
            "<ol><li><b>Challenge</b>: a public body describes a problem it cannot solve alone.</li>"
            "<li><b>Open call</b>: companies and individuals ask questions and apply with their ideas.</li>"
            "<li><b>Exploration</b>: the best teams are paid to explore the problem with the public body.</li>"
            "<li><b>Accelerator</b>: one team per challenge is funded to build a working product.</li>"
            "<li><b>Demo Day and beyond</b>: products go on to contracts across the public sector.</li></ol>"
        ),
    },
    {
        "type": "callout",
        "value": {
            "title": "For public bodies",
            "text": "<p>Have a problem worth solving? Contact the CivTech team to sponsor a challenge.</p>",
        },
    },
]

PAGES = [
    (
        "about",
        "About CivTech",
        "CivTech connects public sector problems with innovative companies.",
        "<p>Since 2016 CivTech has run rounds of challenges sponsored by public bodies across Scotland.</p>",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How accessible this service is and how to report a problem.",
        "<p>This service aims to meet the Web Content Accessibility Guidelines (WCAG) 2.2 at level AA. "
        "Tell us about any problem you find using the contact details at the foot of every page.</p>",
    ),
    (
        "privacy",
        "Privacy",
        "What we do with your personal information.",
        "<p>We use your details to run the programme: to process applications, contracts and impact returns.</p>",
    ),
]


def seed(*, log) -> None:
    home = HomePage.objects.get()
    if not home.body:
        home.body = json.dumps(HOW_IT_WORKS)
        home.save_revision().publish()
    links = []
    for slug, title, summary, text in PAGES:
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            page = home.add_child(
                instance=StandardPage(
                    title=title, slug=slug, summary=summary, body=json.dumps([{"type": "paragraph", "value": text}])
                )
            )
            page.save_revision().publish()
        links.append({"type": "link", "value": {"label": title, "page": page.pk, "url": ""}})
    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    if not site_settings.footer_links:
        site_settings.footer_links = json.dumps(links)
        site_settings.save()
    log("content: home page, about, accessibility and privacy pages")
    seed_demo_days(home=home, log=log)
    seed_news(home=home, log=log)


DEMO_DAY_BODY = [
    {
        "type": "paragraph",
        "value": "<p>Each accelerator team shows the product it built with its sponsor, then takes questions. "
        "Meet the teams and the public bodies behind the challenges over lunch.</p>",
    }
]
DEMO_GUESTS = [
    ("Morag Campbell", "morag.campbell@fife-council.example", "Fife Council", ""),
    ("Ravi Patel", "ravi.patel@edinburgh-ventures.example", "Edinburgh Ventures", "Step-free access, please."),
]


def seed_demo_days(*, home: HomePage, log) -> None:
    """`/events/` with a Demo Day per round that has accelerator teams; guests for the next one.

    Guests register through the real service, so capacity, the closing time and the email apply."""
    index = EventIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=EventIndexPage(
                title="Events", slug="events", intro="Demo Days, where the accelerator teams show what they built."
            )
        )
        index.save_revision().publish()
    rounds = Round.objects.filter(challenges__applications__engagements__stage=Engagement.Stage.ACCELERATOR).distinct()
    created = 0
    for round_ in rounds.order_by("demo_day"):
        page = DemoDayPage.objects.filter(round=round_).first()
        if page is None:
            page = index.add_child(
                instance=DemoDayPage(
                    title=f"{round_.name} Demo Day",
                    slug=slugify(f"{round_.name} demo day"),
                    round=round_,
                    starts_at=round_.demo_day,
                    ends_at=round_.demo_day + timedelta(hours=4),
                    venue="Dynamic Earth\nHolyrood Road\nEdinburgh EH8 8AS",
                    online_details="Streamed live: we email the link to registered guests the day before.",
                    summary=f"The teams of {round_.name}'s accelerator demonstrate their products.",
                    body=json.dumps(DEMO_DAY_BODY),
                    capacity=120,
                )
            )
            page.save_revision().publish()
            created += 1
        if page.starts_at > timezone.now() and not DemoDayRegistration.objects.filter(event=page).exists():
            for name, email, organisation, needs in DEMO_GUESTS:
                demo_day_register(
                    event=page, name=name, email=email, organisation=organisation, accessibility_needs=needs
                )
    log(f"events: {rounds.count()} Demo Day page(s), {created} new")


# --- News and case studies --------------------------------------------------------------------------
@dataclass(frozen=True)
class DemoStory:
    slug: str
    title: str
    kind: str
    when: tuple  # (round slug, Round date field, days after it): the story's date, never after today
    summary: str
    body: list  # StreamField blocks; "{team}" in a paragraph becomes the names of the teams that really took part
    tags: tuple = ()
    challenges: tuple = ()  # challenge slugs
    teams: str = ""  # the stage whose teams on those challenges the story is about ("exploration", "accelerator")
    link: tuple = ()  # (label, slug of a page under the home page or of a Demo Day page): a button at the end


def _p(*paragraphs: str) -> list[dict]:
    return [{"type": "paragraph", "value": "".join(f"<p>{text}</p>" for text in paragraphs)}]


def _story_block(item: dict) -> dict:
    """A body item of the YAML: `{paragraphs: [...]}` is one paragraph block; anything else is a block as it is."""
    return _p(*item["paragraphs"])[0] if "paragraphs" in item else item


def _demo_story(data: dict) -> DemoStory:
    tuples = {name: tuple(data[name]) for name in ("when", "tags", "challenges", "link") if name in data}
    return DemoStory(**{**data, **tuples, "body": [_story_block(item) for item in data["body"]]})


# The stories themselves are data: cms/demo_stories.yaml.
STORIES = [_demo_story(data) for data in demo_data(__file__, "demo_stories.yaml")]


def _story_date(story: DemoStory, rounds: dict[str, Round], today: date) -> date:
    round_slug, field_name, days = story.when
    return min(timezone.localdate(getattr(rounds[round_slug], field_name)) + timedelta(days=days), today)


def _team_names(organisations: list[Organisation]) -> str:
    names = [o.name for o in organisations]
    if not names:
        return "the teams"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _story_body(story: DemoStory, team: str, link_page: Page | None) -> str:
    blocks = json.loads(json.dumps(story.body).replace("{team}", team))
    if link_page is not None:
        blocks.append({"type": "button", "value": {"label": story.link[0], "page": link_page.pk, "url": ""}})
    return json.dumps(blocks)


def seed_news(*, home: HomePage, log) -> None:
    """`/news/` with the demo stories: news of each round and case studies of the accelerator's products.

    A story names the teams that really took part (from the engagements the sprints demo created) and links to the
    challenges it is about; its date follows the round it is about, so the news reads in the order things happened.
    A story that exists already is left alone."""
    index = NewsIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=NewsIndexPage(
                title="News and case studies",
                slug="news",
                intro="What is happening in CivTech, and the stories of the products built with the public sector.",
            )
        )
        index.save_revision().publish()
    existing = set(NewsPage.objects.child_of(index).values_list("slug", flat=True))
    rounds = {r.slug: r for r in Round.objects.all()}
    today = timezone.localdate()
    created = 0
    for story in STORIES:
        if story.slug in existing or story.when[0] not in rounds:
            continue
        challenges = list(ChallengePage.objects.filter(slug__in=story.challenges).order_by("title"))
        teams = []
        if story.teams:
            teams = list(
                Organisation.objects.filter(
                    applications__challenge__in=challenges, applications__engagements__stage=story.teams
                )
                .distinct()
                .order_by("name")
            )
        link_page = None
        if story.link:
            link_page = Page.objects.filter(slug=story.link[1], depth__gt=home.depth).order_by("depth", "pk").first()
        team = _team_names(teams)
        page = NewsPage(
            title=story.title,
            slug=story.slug,
            kind=story.kind,
            date=_story_date(story, rounds, today),
            summary=story.summary.replace("{team}", team),
            body=_story_body(story, team, link_page),
        )
        page.tags.add(*story.tags)
        page.related_challenges = challenges
        page.related_organisations = teams
        index.add_child(instance=page)
        page.save_revision().publish()
        created += 1
    log(f"news: {len(STORIES)} stories, {created} new")


DEMO_STEPS = [DemoStep(90, lambda run: seed(log=run.log))]
