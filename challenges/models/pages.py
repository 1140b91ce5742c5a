from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from civtech.blocks import BaseStreamBlock, DocumentBlock
from civtech.cache import shared
from civtech.pages import SharedRoutingMixin, digest, render_page
from formbuilder.blocks import SectionBlock, spec_data
from formbuilder.questions import FormSpec, validate_spec
from organisations.models import Organisation, OrganisationKind

from ..status import TAG_COLOURS, Status, derive_status
from .rounds import Round

RICH = ["bold", "italic", "link", "ul", "ol"]


class ChallengeIndexPage(RoutablePageMixin, SharedRoutingMixin, Page):
    """`/challenges/`: the public listing. Each sponsor's challenges live under its own space below it."""

    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["challenges.SponsorIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = "challenge index"

    # The page renders through the view challenges.views registers for it (civtech.pages); its feed and round pages
    # are views in challenges/urls.py.
    @path("")
    def listing(self, request):
        return render_page(request, self)

    def route(self, request, path_components):
        """`<space>/<challenge>/…` below this page: the challenge is found by its URL path in one query, where
        Wagtail's walk down the tree takes two per level (the child, then its specific page); it is the same page
        the walk would reach (Wagtail requires only the last page to be live), routed on as the walk would route
        it. This page's own routes (`rounds/<slug>/`) come first, and anything else walks the tree as before."""
        if self.live and len(path_components) >= 2:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                url_path = f"{self.url_path}{path_components[0]}/{path_components[1]}/"
                # Kept in the shared cache while public content is unchanged (civtech.pages), with what its page shows
                # of its round and sponsor.
                challenge = shared(f"challenge-at:{self.pk}:{digest(url_path)}", lambda: self._challenge_at(url_path))
                if challenge is not None:
                    return challenge.route(request, path_components[2:])
        return super().route(request, path_components)

    def _challenge_at(self, url_path: str):
        return (
            ChallengePage.objects.select_related("round", "sponsor")
            .prefetch_related("round__stages")  # the page's timeline
            .filter(
                url_path=url_path,
                path__startswith=self.path,  # below this page in the tree too, not only by its stored path
                depth=self.depth + 2,
            )
            .order_by("path")
            .first()
        )


class SponsorIndexPage(SharedRoutingMixin, Page):
    """A public body's space: its challenges sit below it, and its members may edit only those.

    Wagtail's page permissions are granted on this page to the organisation's group, so every
    Wagtail view (explorer, editor, revisions, search) enforces "your own challenges only".
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="challenge_space",
        limit_choices_to={"kind": OrganisationKind.PUBLIC_BODY},
    )
    intro = models.TextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("organisation"), FieldPanel("intro")]
    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types = ["challenges.ChallengePage"]

    class Meta:
        verbose_name = "sponsor space"


class ChallengePage(RoutablePageMixin, SharedRoutingMixin, Page):
    """A problem statement a public body needs solved. Its status is derived, never typed."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="challenges")
    # Copied from the parent sponsor space on save, so listings filter by sponsor without tree queries.
    sponsor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="challenges", editable=False)
    summary = models.TextField(max_length=300, help_text="One or two sentences for listings (300 characters).")
    problem_statement = StreamField(BaseStreamBlock())
    users = RichTextField("who the users are", features=RICH)
    success = RichTextField("what success looks like", features=RICH)
    sponsor_provides = RichTextField(
        "what the sponsor will provide", features=RICH, help_text="Data, access to systems, people and time."
    )
    exploration_payment = models.DecimalField(
        "exploration payment per team (£, ex VAT)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty to use the round's default.",
    )
    accelerator_max = models.DecimalField(
        "accelerator maximum contract value (£, ex VAT)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty to use the round's default.",
    )
    follow_on_value = models.DecimalField(
        "potential follow-on value (£)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    sectors = ParentalManyToManyField("challenges.Sector", blank=True, related_name="challenges")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    attachments = StreamField([("document", DocumentBlock())], blank=True)
    application_questions = StreamField(
        [("section", SectionBlock())],
        blank=True,
        verbose_name="questions for this challenge's applicants",
        help_text="Sections asked only of applicants to this challenge, after the round's form (for example clinical "
        "safety or data hosting). Applicants answer the questions published when they started.",
    )
    # Set by a service when a challenge ends before its round does (e.g. no team taken forward).
    stopped_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("round"),
        FieldPanel("summary"),
        FieldPanel("problem_statement"),
        FieldPanel("users"),
        FieldPanel("success"),
        FieldPanel("sponsor_provides"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("exploration_payment"), FieldPanel("accelerator_max")]),
                FieldPanel("follow_on_value"),
            ],
            heading="Funding",
        ),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email")], heading="Contact"),
        FieldPanel("attachments"),
        FieldPanel("application_questions"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("problem_statement"),
        index.SearchField("users"),
        index.SearchField("success"),
        index.AutocompleteField("title"),
        index.FilterField("round_id"),
        index.FilterField("sponsor_id"),
    ]
    parent_page_types = ["challenges.SponsorIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "challenge"

    # The page renders through the view challenges.views registers for it (civtech.pages); its calendar and question
    # form are views in challenges/urls.py.
    @path("")
    def detail(self, request):
        return render_page(request, self)

    def clean(self):
        super().clean()
        for name in ("exploration_payment", "accelerator_max", "follow_on_value"):
            value = getattr(self, name)
            if value is not None and value < Decimal("0"):
                raise ValidationError({name: "Enter an amount of £0 or more."})
        if self.round_id and self.application_questions:
            # Checked with the round's form they follow: keys must not clash, conditions may point back into it.
            base = self.round.form().current_version().questions
            sections = spec_data(self.application_questions)["sections"]
            problems = validate_spec(FormSpec.from_data({**base, "sections": [*base["sections"], *sections]}))
            if problems:
                raise ValidationError({"application_questions": problems})

    def save(self, *args, **kwargs):
        if not self.sponsor_id and self.path:
            self.sponsor_id = self.get_parent().specific.organisation_id
        return super().save(*args, **kwargs)

    # --- derived facts ------------------------------------------------------------------------
    def status_at(self, now) -> Status:
        return derive_status(self.round, now, self.stopped_at)

    @property
    def status(self) -> Status:
        return self.status_at(timezone.now())

    @property
    def status_colour(self) -> str:
        return TAG_COLOURS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def questions_open(self) -> bool:
        now = timezone.now()
        return self.round.call_opens <= now < self.round.questions_close and self.stopped_at is None

    @property
    def approval_step(self) -> str:
        """Where the latest version is in the approval workflow, for the staff pipeline."""
        state = self.current_workflow_state
        if state is not None and state.current_task_state is not None:
            step = state.current_task_state.task.name
            return f"Changes requested at {step}" if state.status == state.STATUS_NEEDS_CHANGES else f"Awaiting {step}"
        if self.live and not self.has_unpublished_changes:
            return "Published"
        return "Live, with draft changes" if self.live else "Draft"

    @property
    def exploration_amount(self) -> Decimal:
        return self.exploration_payment if self.exploration_payment is not None else self.round.exploration_payment

    @property
    def accelerator_amount(self) -> Decimal:
        return self.accelerator_max if self.accelerator_max is not None else self.round.accelerator_max
