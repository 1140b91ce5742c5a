from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BaseStreamBlock, LinkBlock


class HomePage(Page):
    """The site root: what the programme is and where to go next."""

    hero_title = models.CharField(max_length=120, default="Solve public sector challenges with innovation")
    hero_text = models.TextField(blank=True)
    primary_link = StreamField([("link", LinkBlock())], blank=True, max_num=1)
    body = StreamField(BaseStreamBlock(), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("primary_link")], "Hero"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(Page):
    """Any editorial page: about, how it works, guidance, privacy, accessibility statement."""

    summary = models.TextField(blank=True, help_text="One or two sentences shown under the title and in listings.")
    body = StreamField(BaseStreamBlock())

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = "standard page"


@register_setting(icon="cog")
class SiteSettings(BaseSiteSetting):
    """Contact details and footer links that editors change without a deployment."""

    contact_email = models.EmailField(blank=True, default="civtech@gov.scot")
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_address = RichTextField(blank=True, features=[])
    footer_links = StreamField([("link", LinkBlock())], blank=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_phone"), FieldPanel("contact_address")], "Contact"
        ),
        FieldPanel("footer_links"),
    ]

    class Meta:
        verbose_name = "site settings"
