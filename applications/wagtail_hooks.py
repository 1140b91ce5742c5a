from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.html import format_html_join
from django_filters import ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.widgets import AdminPageChooser, Button
from wagtail.coreutils import multigetattr
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet

from accounts.admin_access import ReadOnlyPermissionPolicy, StaffMenuItem
from accounts.roles import is_programme_staff
from challenges.models import ChallengePage, Round
from civtech.admin_tables import PlainCellsMixin
from formbuilder.models import ApplicationForm
from formbuilder.wagtail_hooks import ApplicationFormViewSet

from .models import Application, ApplicationVersion, Assignment, Score
from .views import admin as admin_views

register_permission_policy(Application, ReadOnlyPermissionPolicy(Application), exact_class=True)


CHALLENGE_TEXT_FIELDS = ("summary", "problem_statement", "users", "success", "sponsor_provides", "attachments")


class ChallengeChooser(AdminPageChooser):
    """The page chooser as a filter: the value comes from the query string, so one that is not a page id (a typo,
    a hostile string) shows an empty chooser (the filter form says why) instead of failing to look it up."""

    def get_instance(self, value):
        if isinstance(value, str) and not (value.isascii() and value.isdigit() and len(value) <= 18):
            return None
        return super().get_instance(value)


def challenge_filter(field_name: str) -> ModelChoiceFilter:
    """Filter by one challenge, chosen in Wagtail's page chooser: a <select> of every challenge would render a
    thousand options on every request of the list (most of the list's time at 1,000 challenges; bench/pages.py)."""
    return ModelChoiceFilter(
        label="Challenge",
        field_name=field_name,
        queryset=ChallengePage.objects.all(),
        widget=ChallengeChooser(target_models=[ChallengePage], can_choose_root=False),
    )


class ApplicationFilterSet(WagtailFilterSet):
    round = ModelChoiceFilter(label="Round", queryset=Round.objects.all(), field_name="challenge__round")
    status = ChoiceFilter(label="Status", choices=Application.Status.choices)
    challenge = challenge_filter("challenge")

    class Meta:
        model = Application
        fields = []


class ScoreFilterSet(WagtailFilterSet):
    stage = ChoiceFilter(label="Stage", choices=Assignment.Stage.choices, field_name="assignment__stage")
    round = ModelChoiceFilter(
        label="Round", queryset=Round.objects.all(), field_name="assignment__application__challenge__round"
    )
    challenge = challenge_filter("assignment__application__challenge")

    class Meta:
        model = Score
        fields = []


class PlainCellsIndexView(PlainCellsMixin, IndexView):
    pass


ANSWER_PREFIX = "answer:"


class ApplicationInspectView(InspectView):
    """One application for staff: its answers (the working copy) under the questions of its own form version."""

    def get_answers_display_value(self):
        sections = self.object.spec.shown(self.object.answers)
        return format_html_join(
            "",
            "<h3>{}</h3><dl>{}</dl>",
            (
                (
                    section["title"],
                    format_html_join(
                        "",
                        "<dt>{}</dt><dd>{}</dd>",
                        ((label, answer or "Not answered") for label, answer in section["answers"]),
                    ),
                )
                for section in sections
            ),
        )

    def get_challenge_questions_display_value(self):
        titles = [section["title"] for section in self.object.challenge_questions]
        return ", ".join(titles) or "None"


def spreadsheet_safe(text: str) -> str:
    """An applicant's text as a cell that a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ApplicationIndexView(PlainCellsIndexView):
    """The staff list; its CSV/XLSX export adds the version submitted last and a column per question key, in form
    order, for every key the exported versions answered (each version read through its own questions)."""

    # What a row of the list shows (reference, challenge, organisation, status, submission; ordered by update): the
    # list reads only these columns of its three tables, where the export reads everything it writes.
    LIST_COLUMNS = (
        "reference", "status", "submitted_at", "updated_at", "challenge", "challenge__title", "organisation",
        "organisation__name",
    )  # fmt: skip

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if getattr(self, "is_export", False):
            return queryset
        return queryset.select_related(None).select_related("challenge", "organisation").only(*self.LIST_COLUMNS)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        queryset = queryset.prefetch_related(
            Prefetch("versions", queryset=ApplicationVersion.objects.order_by("number"), to_attr="export_versions")
        )
        keys: dict[str, None] = {}  # ordered (each version's form order, first seen first), unique
        for application in queryset:
            if application.export_versions:
                latest = application.export_versions[-1]
                keys.update(
                    dict.fromkeys(key for key in (q.key for q in latest.spec.questions()) if key in latest.answers)
                )
        self.list_export = [*self.list_export, "form_version", "export_version", *(ANSWER_PREFIX + k for k in keys)]
        self.export_headings = {
            **self.export_headings,
            "form_version": "Form",
            "export_version": "Version submitted",
            **{ANSWER_PREFIX + k: k for k in keys},
        }
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def to_row_dict(self, item):
        latest = item.export_versions[-1] if item.export_versions else None
        row = {}
        for field in self.list_export:
            if field.startswith(ANSWER_PREFIX):
                key = field.removeprefix(ANSWER_PREFIX)
                question = latest.spec.question(key) if latest else None
                row[field] = spreadsheet_safe(question.display(latest.answers.get(key))) if question else ""
            elif field == "export_version":
                row[field] = latest.number if latest else ""
            else:
                row[field] = multigetattr(item, field)
        return row


class ApplicationViewSet(SnippetViewSet):
    """Every application, for programme staff: filter by round, challenge and status, export for reporting."""

    model = Application
    icon = "form"
    menu_label = "Applications"
    list_display = ["reference", "challenge", "organisation", "status", "submitted_at"]
    filterset_class = ApplicationFilterSet
    index_view_class = ApplicationIndexView
    list_per_page = 50
    list_export = [
        "reference", "challenge", "challenge.sponsor", "organisation", "organisation.is_sme",
        "organisation.get_region_display", "get_status_display", "submitted_at",
    ]  # fmt: skip
    export_headings = {
        "challenge.sponsor": "Sponsor",
        "organisation.is_sme": "SME",
        "organisation.get_region_display": "Region",
        "get_status_display": "Status",
    }
    export_filename = "applications"
    search_fields = ["reference", "organisation__name", "answers"]  # answers: any question's text, by the database
    inspect_view_enabled = True
    inspect_view_class = ApplicationInspectView
    copy_view_enabled = False

    def get_queryset(self, request):
        # The list and its export show none of the answers or the challenge's text: leaving them out of the one
        # query halves its time at 50 rows (bench/pages.py).
        return Application.objects.select_related(
            "challenge__round", "challenge__sponsor", "organisation", "form_version__form"
        ).defer(
            "form_version__questions",
            "form_version__form__content",
            "challenge_questions",
            "answers",
            *(f"challenge__{name}" for name in CHALLENGE_TEXT_FIELDS),
        )


register_permission_policy(Score, ReadOnlyPermissionPolicy(Score), exact_class=True)


class ScoreViewSet(SnippetViewSet):
    """Every submitted score, for export and audit."""

    model = Score
    icon = "pick"
    menu_label = "Scores"
    list_display = ["assignment", "criterion", "value"]
    filterset_class = ScoreFilterSet
    index_view_class = PlainCellsIndexView
    list_per_page = 50
    list_export = [
        "assignment.application.reference", "assignment.application.challenge", "assignment.application.organisation",
        "assignment.get_stage_display", "assignment.assessor", "criterion.name", "criterion.weight",
        "criterion.scale_max", "value", "comment", "assignment.submitted_at",
    ]  # fmt: skip
    export_headings = {
        "assignment.application.reference": "Reference",
        "assignment.application.challenge": "Challenge",
        "assignment.application.organisation": "Applicant",
        "assignment.get_stage_display": "Stage",
        "assignment.assessor": "Assessor",
        "criterion.name": "Criterion",
        "criterion.weight": "Weight",
        "criterion.scale_max": "Highest score",
        "assignment.submitted_at": "Submitted",
    }
    export_filename = "scores"
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_queryset(self, request):
        return Score.objects.select_related(
            "criterion",
            "assignment__assessor",
            "assignment__application__challenge",
            "assignment__application__organisation",
        )


class EvaluationViewSet(ViewSet):
    """Progress per challenge, the moderation board, moderation, interviews and decisions."""

    name = "evaluation"
    icon = "tasks"
    menu_label = "Evaluation"
    menu_item_class = StaffMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.EvaluationIndexView.as_view(), name="index"),
            path("<int:pk>/", admin_views.BoardView.as_view(), name="board"),
            path("application/<int:pk>/<str:stage>/", admin_views.ModerateView.as_view(), name="moderate"),
            path("forms/<int:pk>/move-drafts/", admin_views.MoveDraftsView.as_view(), name="move_drafts"),
        ]


class ApplicationsGroup(ViewSetGroup):
    menu_label = "Applications"
    menu_icon = "form"
    menu_order = 210
    items = (EvaluationViewSet, ApplicationViewSet, ScoreViewSet, ApplicationFormViewSet)


@hooks.register("register_admin_viewset")
def register_applications_group():
    return ApplicationsGroup()


@hooks.register("register_snippet_listing_buttons")
def move_drafts_button(snippet, user, next_url=None):
    """On each application form in the staff's list: its drafts on earlier versions, and moving them."""
    if isinstance(snippet, ApplicationForm) and is_programme_staff(user):
        yield Button(
            "Drafts on earlier versions", url=reverse("evaluation:move_drafts", args=[snippet.pk]), priority=50
        )
