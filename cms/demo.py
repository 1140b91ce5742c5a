"""Demo editorial content: a home page that explains the programme, and the pages the footer links to."""

import json

from wagtail.models import Site

from .models import HomePage, SiteSettings, StandardPage

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
