"""Demo editorial content: a home page that explains the programme, the pages the footer links to, and a
Demo Day page for every round whose accelerator has teams (run after the sprints demo)."""

import json
from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Site

from .models import DemoDayPage, DemoDayRegistration, EventIndexPage, HomePage, SiteSettings, StandardPage

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
