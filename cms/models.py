from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from civtech.blocks import BaseStreamBlock, LinkBlock
from civtech.pages import SharedRoutingMixin, render_page


class HomePage(SharedRoutingMixin, Page):
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


class StandardPage(SharedRoutingMixin, Page):
    """Any editorial page: about, how it works, guidance, privacy, accessibility statement."""

    summary = models.TextField(blank=True, help_text="One or two sentences shown under the title and in listings.")
    body = StreamField(BaseStreamBlock())

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]

    class Meta:
        verbose_name = "standard page"


class EventIndexPage(SharedRoutingMixin, Page):
    """`/events/`: Demo Days (and later other programme events), coming ones first."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.DemoDayPage"]
    max_count = 1

    class Meta:
        verbose_name = "event index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = list(DemoDayPage.objects.live().child_of(self).select_related("round").order_by("starts_at"))
        context["upcoming"] = [e for e in events if e.ends_at >= now]
        context["past"] = [e for e in reversed(events) if e.ends_at < now]
        return context


class DemoDayPage(SharedRoutingMixin, Page):
    """A round's Demo Day: the accelerator teams show what they built. Lists the demos from the round's
    accelerator engagements (public facts only) and takes registrations, up to `capacity`, until it starts."""

    round = models.ForeignKey("challenges.Round", on_delete=models.PROTECT, related_name="demo_days")
    starts_at = models.DateTimeField("starts", help_text="UK time.")
    ends_at = models.DateTimeField("ends", help_text="UK time.")
    venue = models.TextField(blank=True, help_text="Address and directions; leave empty for an online-only event.")
    online_details = models.TextField(
        blank=True, help_text="How to watch online, e.g. “Streamed live: we email the link to registered guests.”"
    )
    summary = models.TextField(blank=True, help_text="One or two sentences shown under the title and in listings.")
    body = StreamField(BaseStreamBlock(), blank=True)
    capacity = models.PositiveIntegerField(
        default=150, validators=[MinValueValidator(1)], help_text="Registrations close when this many have signed up."
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("round"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("venue"),
             FieldPanel("online_details"), FieldPanel("capacity")],
            heading="When and where",
        ),
        FieldPanel("body"),
    ]  # fmt: skip
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Demo Day page"

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The event must end after it starts."
        if self.round_id and DemoDayPage.objects.filter(round_id=self.round_id).exclude(pk=self.pk).exists():
            errors["round"] = "This round already has a Demo Day page."
        if errors:
            raise ValidationError(errors)

    def registration_closed_at(self, now=None) -> bool:
        """Registration closes when the event starts (server clock)."""
        return (now or timezone.now()) >= self.starts_at

    def serve(self, request, *args, **kwargs):
        # The registration form posts to the page itself; the view cms.views registers for this page (civtech.pages)
        # handles it, which keeps this module about data.
        return render_page(request, self)


class DemoDayRegistration(models.Model):
    """One guest's place at a Demo Day. One per email address per event; staff read them in the admin."""

    event = models.ForeignKey(DemoDayPage, on_delete=models.CASCADE, related_name="registrations")
    name = models.CharField(max_length=200)
    email = models.EmailField(help_text="Stored in lower case, so one address registers once.")
    organisation = models.CharField(max_length=200)
    accessibility_needs = models.TextField(blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = "Demo Day registration"
        constraints = [models.UniqueConstraint(fields=["event", "email"], name="one_registration_per_email")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class NewsIndexPage(SharedRoutingMixin, Page):
    """`/news/`: news and case studies, newest first, filtered by a tag (`?tag=<slug>`) and paged (`?page=`).

    Lists only stories anyone may see (live, without a view restriction) in a constant number of queries."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1
    per_page = 10

    class Meta:
        verbose_name = "news index"

    def stories(self):
        return NewsPage.objects.child_of(self).live().public()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = self.stories()
        tags = Tag.objects.filter(cms_newspagetag_items__content_object__in=stories).distinct().order_by("name")
        tag = tags.filter(slug=request.GET.get("tag", "")).first() if request.GET.get("tag") else None
        if tag is not None:
            stories = stories.filter(tags=tag)
        paginator = Paginator(
            stories.prefetch_related("tagged_items__tag").order_by("-date", "-pk"),
            self.per_page,
        )
        page_obj = paginator.get_page(request.GET.get("page"))
        params = QueryDict(mutable=True)
        if tag is not None:
            params["tag"] = tag.slug
        context.update(
            stories=page_obj.object_list,
            tags=tags,
            tag=tag,
            unknown_tag=bool(request.GET.get("tag")) and tag is None,
            paginator=paginator,
            page_obj=page_obj,
            page_range=list(paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)),
            params=params,
        )
        return context


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey("cms.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsPage(SharedRoutingMixin, Page):
    """A news story or case study: what happened, and the challenges and companies it is about.

    Related challenges are shown only while they are public (challenges' `public_only` tag decides), and a company
    links to its public profile only when it has one, so a story can never reveal a draft or restricted challenge.
    """

    class Kind(models.TextChoices):
        NEWS = "news", "News"
        CASE_STUDY = "case_study", "Case study"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.NEWS)
    date = models.DateField("story date", default=timezone.localdate, help_text="Shown on the story; newest first.")
    summary = models.TextField(
        max_length=300, help_text="One or two sentences shown under the title and in the news listing (300 characters)."
    )
    body = StreamField(BaseStreamBlock())
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, help_text="Readers can list the stories with a tag.")
    related_challenges = ParentalManyToManyField(
        "challenges.ChallengePage",
        blank=True,
        related_name="news_stories",
        help_text="Shown on the story while each challenge is published and unrestricted.",
    )
    related_organisations = ParentalManyToManyField(
        "organisations.Organisation",
        blank=True,
        related_name="news_stories",
        verbose_name="related companies and organisations",
        help_text="Companies link to their public profile once they have one.",
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("tags"),
                FieldPanel("related_challenges", widget=forms.CheckboxSelectMultiple),
                FieldPanel("related_organisations", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Tags and links",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "news story or case study"
        verbose_name_plural = "news stories and case studies"


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
