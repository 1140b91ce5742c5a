"""Demo editorial content: a home page that explains the programme, the pages the footer links to, a Demo Day
page for every round whose accelerator has teams, and news and case studies (run after the sprints demo)."""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page, Site

from challenges.models import ChallengePage, Round
from organisations.models import Organisation

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
    from challenges.models import Round
    from sprints.models import Engagement

    from .services import demo_day_register

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


STORIES = [
    DemoStory(
        slug="civtech-11-is-open",
        title="CivTech 11 is open: four public bodies are looking for new ideas",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-11", "call_opens", 0),
        summary="Disclosure Scotland, Stirling Council, the Scottish Fire and Rescue Service and Historic "
        "Environment Scotland each want help with a problem they cannot solve alone.",
        body=[
            *_p(
                "The call for CivTech 11 is open. Four public bodies have each described a problem: making disclosure "
                "applications easier for people with low digital confidence, predicting potholes from council "
                "vehicle data, finding the homes most at risk of fire, and keeping traditional building skills alive.",
                "Companies of any size, and individuals, can apply. The teams chosen are paid to explore the problem "
                "with the sponsor, and one team per challenge is funded to build its product in the accelerator.",
            ),
            {
                "type": "callout",
                "value": {
                    "title": "Ask before you apply",
                    "text": "<p>You can ask clarification questions on each challenge page until questions close. "
                    "Every answer is published to everyone, and we never say who asked.</p>",
                },
            },
        ],
        tags=("Open call",),
        challenges=(
            "disclosure-low-digital-confidence",
            "predicting-potholes",
            "homes-most-at-risk-of-fire",
            "traditional-building-skills",
        ),
        link=("See the open challenges", "challenges"),
    ),
    DemoStory(
        slug="coming-next-civtech-12",
        title="Coming next: the first two challenges of CivTech 12",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-11", "call_opens", 4),
        summary="The Scottish Government and Transport Scotland have published the first challenges of the next "
        "round, so companies can start thinking before the call opens.",
        body=_p(
            "Two challenges for CivTech 12 are already published: helping young people find apprenticeships, and "
            "keeping island travellers informed when ferries are disrupted.",
            "Read them now and follow them to be told when the call opens and when questions are answered.",
        ),
        tags=("Open call", "Transport", "Education and skills"),
        challenges=("finding-apprenticeships", "ferry-disruption-information"),
    ),
    DemoStory(
        slug="safer-communities-sprint-assessing",
        title="Safer Communities sprint: applications are being assessed",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-sprint-safer-communities", "call_closes", 1),
        summary="The call for the Safer Communities sprint has closed. Assessors are now scoring the applications "
        "to the wildfire and housing challenges.",
        body=_p(
            "Thank you to everyone who applied to the Safer Communities sprint. Each application is scored by a "
            "panel against the published criteria, and the panel meets to agree the scores before the shortlist "
            "is decided.",
            "Everyone who applied will hear the outcome, with feedback, by email.",
        ),
        tags=("Sprint challenges", "Justice and safety"),
        challenges=("moorland-wildfire-risk", "housing-on-release-from-prison"),
    ),
    DemoStory(
        slug="net-zero-sprint-teams-start",
        title="Net Zero sprint: the exploration stage begins",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-sprint-net-zero", "exploration_start", 0),
        summary="Two weeks of paid exploration begin for the teams chosen for the Net Zero sprint challenges.",
        body=_p(
            "The exploration stage of the Net Zero sprint has begun. The teams taking part are {team}.",
            "Each team works with the sponsor for two weeks, starting with a design sprint, and ends the stage with "
            "a pitch for the accelerator.",
        ),
        tags=("Sprint challenges", "Net zero"),
        challenges=("school-meal-food-waste", "rural-shared-ev-charging"),
        teams="exploration",
    ),
    DemoStory(
        slug="civtech-10-accelerator-begins",
        title="CivTech 10: the accelerator begins",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-10", "accelerator_start", 0),
        summary="After pitching to Transport Scotland and NHS National Services Scotland, the chosen teams begin "
        "building their products in the CivTech 10 accelerator.",
        body=_p(
            "The CivTech 10 accelerator has started. {team} will spend the next fifteen weeks building with their "
            "sponsors, paid in tranches as they reach agreed milestones.",
            "They will show what they have built at Demo Day.",
        ),
        tags=("Accelerator", "Transport", "Health"),
        challenges=("rural-bus-demand", "missed-outpatient-appointments"),
        teams="accelerator",
    ),
    DemoStory(
        slug="civtech-10-demo-day-save-the-date",
        title="Save the date: CivTech 10 Demo Day",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-10", "accelerator_start", 30),
        summary="The CivTech 10 accelerator teams will show their products at Demo Day. Registration is open.",
        body=_p(
            "Come and see what the CivTech 10 accelerator teams have built with their public sector sponsors, and "
            "meet the teams and the people behind the challenges.",
        ),
        tags=("Demo Day", "Events"),
        link=("Register for Demo Day", "civtech-10-demo-day"),
    ),
    DemoStory(
        slug="when-a-challenge-stops-after-exploration",
        title="What we learned when a challenge stopped after exploration",
        kind=NewsPage.Kind.CASE_STUDY,
        when=("civtech-10", "exploration_end", 14),
        summary="Historic Environment Scotland decided not to take its visitor-counting challenge into the "
        "accelerator. Stopping early was the right result.",
        body=[
            *_p(
                "Counting visitors at remote heritage sites turned out to be a different problem from the one "
                "described. In the exploration stage, {team} found that most sites needed a way to share the counts "
                "they already had, not new sensors.",
                "Historic Environment Scotland decided not to fund an accelerator, and will describe the problem "
                "again, as it now understands it, in a future round.",
            ),
            {
                "type": "callout",
                "value": {
                    "title": "Why stopping is a good outcome",
                    "text": "<p>The exploration stage exists to test whether a problem is worth solving, and how. "
                    "Finding out early costs a few thousand pounds, not hundreds of thousands.</p>",
                },
            },
        ],
        tags=("Lessons", "Culture and heritage"),
        challenges=("counting-visitors-remote-sites",),
        teams="exploration",
    ),
    DemoStory(
        slug="civtech-9-demo-day",
        title="CivTech 9 Demo Day: three products built with the public sector",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-9", "demo_day", 1),
        summary="Teams from the CivTech 9 accelerator showed products for climate grants, medical supplies and "
        "historic stonework to an audience of public bodies and investors.",
        body=_p(
            "Yesterday's Demo Day closed the CivTech 9 accelerator. {team} demonstrated the products they built over "
            "fifteen weeks with the Scottish Government, NHS National Services Scotland and Historic Environment "
            "Scotland.",
            "Each product now moves towards contracts with its sponsor and with other public bodies facing the same "
            "problem.",
        ),
        tags=("Demo Day", "Accelerator"),
        challenges=("find-climate-grants", "medical-supply-shortages", "stonework-condition-from-photographs"),
        teams="accelerator",
    ),
    DemoStory(
        slug="finding-climate-grants-case-study",
        title="Finding the climate grants you are eligible for, in a few plain questions",
        kind=NewsPage.Kind.CASE_STUDY,
        when=("civtech-9", "demo_day", 120),
        summary="How the Scottish Government and {team} replaced a maze of scheme pages with a short set of "
        "questions, and what it changed for the people answering the phones.",
        body=[
            {"type": "heading", "value": "The problem"},
            *_p(
                "People looking for help with heating, insulation or transport had to read dozens of scheme pages "
                "to find the ones they could apply for. Many gave up; others phoned for help."
            ),
            {"type": "heading", "value": "What the team built"},
            *_p(
                "{team} built a service that asks a few plain-English questions and shows the schemes someone is "
                "likely to be eligible for, with what to do next. Scheme rules are kept by the policy teams "
                "themselves, so the answers stay right when a scheme changes."
            ),
            {"type": "heading", "value": "What changed"},
            *_p(
                "The sponsor records the benefits on the platform, with the evidence for each. Its figures show "
                "the average wait for an answer falling from 21 days to 9, and staff time moving from answering "
                "eligibility questions to helping people apply. The team now works with the sponsor under a "
                "follow-on contract."
            ),
        ],
        tags=("Net zero", "Data and digital"),
        challenges=("find-climate-grants",),
        teams="accelerator",
    ),
    DemoStory(
        slug="medical-supply-shortages-case-study",
        title="Warning NHS buyers before stock runs out",
        kind=NewsPage.Kind.CASE_STUDY,
        when=("civtech-9", "demo_day", 200),
        summary="NHS National Services Scotland and {team} used ordering data the NHS already held to warn "
        "buyers of shortages weeks earlier.",
        body=_p(
            "Shortages of medical supplies used to be noticed when orders could not be filled. {team} worked with "
            "NHS National Services Scotland's procurement teams to find the early signs in ordering and supplier "
            "data that was already collected.",
            "Buyers now see a warning, with the reasons behind it, early enough to find another supplier. The team "
            "continues to work with the sponsor under a follow-on contract.",
        ),
        tags=("Health", "Data and digital"),
        challenges=("medical-supply-shortages",),
        teams="accelerator",
    ),
    DemoStory(
        slug="historic-stonework-case-study",
        title="Reading the condition of historic stonework from photographs",
        kind=NewsPage.Kind.CASE_STUDY,
        when=("civtech-9", "demo_day", 300),
        summary="{team} and Historic Environment Scotland turned inspectors' photographs into a record of how "
        "stonework changes over time.",
        body=_p(
            "Historic Environment Scotland cares for hundreds of properties, and its inspectors take thousands of "
            "photographs a year. {team} built a way to compare photographs of the same stonework over time and "
            "flag the changes a conservator should look at first.",
            "Inspectors still make every decision; the product helps them decide where to look.",
        ),
        tags=("Culture and heritage", "Computer vision"),
        challenges=("stonework-condition-from-photographs",),
        teams="accelerator",
    ),
    DemoStory(
        slug="our-impact-figures",
        title="Our impact: the figures behind CivTech",
        kind=NewsPage.Kind.NEWS,
        when=("civtech-11", "call_opens", -7),
        summary="Contracts, jobs, investment and savings from every round, verified before they are published, "
        "are now on one page.",
        body=_p(
            "How much has CivTech funded, and what has it led to? The impact page shows prototype funding, follow-on "
            "contracts, jobs, investment and savings, by round, year, sponsor and region.",
            "Only verified figures are shown, and we explain how we estimate what would have happened anyway.",
        ),
        tags=("Impact",),
        link=("See our impact", "impact"),
    ),
]


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
