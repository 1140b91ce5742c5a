from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from civtech.pages import SharedRoutingMixin


class ImpactPage(SharedRoutingMixin, Page):
    """The public impact dashboard (`/impact/`): verified figures only, by round, year, sponsor and region.

    It lives in the impact app, beside the reporting it shows; editors write the words around the figures, and the
    figures are a template tag of the reporting code (`impact.templatetags.impact_report`).
    """

    intro = models.TextField(blank=True, help_text="One or two sentences under the title.")
    method = RichTextField(
        "how we calculate", blank=True, features=["bold", "italic", "link", "ul", "ol"],
        help_text="Shown under the figures, after the standard explanation of verification and net impact.",
    )  # fmt: skip

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("method")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1
    template = "impact/impact_page.html"

    class Meta:
        verbose_name = "impact page"
