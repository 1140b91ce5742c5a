from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django_filters import ModelChoiceFilter, NumberFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.choose_parent import ChooseParentView
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets import AdminPageChooser
from wagtail.snippets.views.snippets import SnippetViewSet

from organisations.models import Organisation
from pipelines.models import PipelineTemplate

from .admin_forms import RoundAdminForm
from .models import ChallengePage, Clarification, Round, Sector, SponsorIndexPage

DIRECT_PUBLISH_REFUSED = (
    "Challenges go live only after sponsor sign-off and programme approval. Submit it for sign-off instead."
)


# --- Challenges publish only through the approval workflow ---------------------------------------
def _is_challenge(page) -> bool:
    return isinstance(page.specific_deferred, ChallengePage)


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context):
    page, parent = context.get("page"), context.get("parent_page")
    creating_challenge = parent is not None and isinstance(parent.specific_deferred, SponsorIndexPage)
    if creating_challenge or (page is not None and page.pk and _is_challenge(page)):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def refuse_direct_publish(request, page):
    """Server-side guard for the menu item hidden above: nobody publishes a challenge directly."""
    if _is_challenge(page):
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(_is_challenge(page) for page in objects):
        messages.error(request, DIRECT_PUBLISH_REFUSED)
        return redirect("wagtailadmin_home")
    return None


# --- Programme staff's view of the pipeline ------------------------------------------------------
class ChallengePipelineFilterSet(PageFilterSet):
    round = ModelChoiceFilter(queryset=Round.objects.all(), label="Round")
    sponsor = ModelChoiceFilter(queryset=Organisation.objects.public_bodies(), label="Sponsor")

    class Meta:
        model = ChallengePage
        fields = []


class _TolerantPageChooser(AdminPageChooser):
    """Wagtail's page chooser looks up whatever value it is given: a posted value that is not an id (a tampered
    form) would crash the re-rendered form. Show the field empty instead, beside the form's own error."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError, OverflowError):  # OverflowError: a number too large for SQLite
            return None


class ChallengeChooseParentView(ChooseParentView):
    def get_form(self):
        form = super().get_form()
        chooser = form.fields["parent_page"].widget
        form.fields["parent_page"].widget = _TolerantPageChooser(
            target_models=chooser.target_models, can_choose_root=chooser.can_choose_root, user_perms=chooser.user_perms
        )
        return form


class ChallengePipelineIndexView(PageIndexView):
    def annotate_queryset(self, pages):
        # Each row shows its round and sponsor: two queries for all rows, not two per row (the pages are specific,
        # which select_related would not reach; tests/test_list_query_counts.py).
        return super().annotate_queryset(pages).prefetch_related("round", "sponsor")


class ChallengePipelineViewSet(PageListingViewSet):
    """Every challenge, draft or live, with its round, sponsor and approval step."""

    model = ChallengePage
    index_view_class = ChallengePipelineIndexView
    icon = "list-ul"
    menu_label = "Challenge pipeline"
    name = "challenge_pipeline"
    filterset_class = ChallengePipelineFilterSet
    choose_parent_view_class = ChallengeChooseParentView
    columns = [
        *PageIndexView.base_columns,
        Column("round", label="Round"),
        Column("sponsor", label="Sponsor"),
        Column("approval_step", label="Approval step"),
    ]
    list_export = ["title", "round", "sponsor", "approval_step", "status", "latest_revision_created_at"]


# --- Rounds, sectors and questions ----------------------------------------------------------------
class YearFilter(NumberFilter):
    """A year from 1 to 9999 (Python's dates), so a year in a link that is not one is ignored, not a 500."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, lookup_expr="year", min_value=1, max_value=9999, **kwargs)


class RoundFilterSet(WagtailFilterSet):
    call_opens__year = YearFilter(field_name="call_opens", label="Call opens (year)")

    class Meta:
        model = Round
        fields = []


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "date"
    menu_label = "Rounds"
    list_display = ["name", "code", "call_opens", "call_closes", "demo_day"]
    filterset_class = RoundFilterSet
    list_export = [
        "name", "code", "call_opens", "questions_close", "call_closes", "exploration_start", "exploration_end",
        "accelerator_start", "accelerator_end", "demo_day", "exploration_payment", "accelerator_max",
        "shortlist_count", "exploration_teams", "accelerator_teams",
    ]  # fmt: skip
    export_filename = "rounds"
    search_fields = ["name", "code"]
    search_backend_name = None  # the database's own "contains" on both: Round's search index has no code
    inspect_view_enabled = True
    # The stages are the round's pipeline (challenges.models.stages keeps the fixed dates, counts, money a copy).
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("slug"), FieldPanel("code"), FieldPanel("description")], "Round"
            ),
            FieldPanel("application_form"),
            MultiFieldPanel(
                [FieldPanel("template"), FieldPanel("template_call_opens")], heading="Start from a template"
            ),
            InlinePanel("stages", heading="Stages, in order (UK time)", label="Stage"),
            FieldPanel("outlier_threshold"),
            FieldRowPanel([FieldPanel("return_interval_months"), FieldPanel("return_years")], heading="Impact returns"),
            InlinePanel("criteria", heading="Default evaluation criteria", label="Criterion"),
        ],
        base_form_class=RoundAdminForm,
    )


class PipelineTemplateViewSet(SnippetViewSet):
    """The shapes of funnel a new round can start from; a programme adds its own here."""

    model = PipelineTemplate
    icon = "list-ol"
    menu_label = "Pipeline templates"
    list_display = ["name", "description"]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("stages")]


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    menu_label = "Sectors"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ClarificationViewSet(SnippetViewSet):
    """All clarification questions; askers are visible here to staff only, for the record."""

    model = Clarification
    icon = "help"
    menu_label = "Clarification questions"
    list_display = ["question", "challenge", "status", "asked_at", "answered_at"]
    list_filter = ["status", "challenge__round"]
    list_export = ["challenge", "question", "answer", "status", "asked_at", "answered_at"]
    search_fields = ["question", "answer"]
    inspect_view_enabled = True
    copy_view_enabled = False

    def get_queryset(self, request):
        # Each row names its challenge: read with the questions, not one query each.
        return Clarification.objects.select_related("challenge")


class ProgrammeGroup(ViewSetGroup):
    menu_label = "Programme"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (ChallengePipelineViewSet, RoundViewSet, PipelineTemplateViewSet, SectorViewSet, ClarificationViewSet)


@hooks.register("register_admin_viewset")
def register_programme_group():
    return ProgrammeGroup()
