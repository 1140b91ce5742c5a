"""Admin list cells rendered without a template each.

Wagtail renders every cell of a listing through `wagtailadmin/tables/cell.html`: a staff list of 50 rows and six
columns renders 300 templates, which was most of its time (bench/pages.py, issue #22). `PlainColumn` writes the
same cell (the value localised and escaped as `{{ value }}` would be) with `format_html`. A listing opts in with
`PlainCellsMixin` on its index view; title, date and button columns keep Wagtail's templates. Its table is a
`PlainTable`, whose rows are written in one pass rather than through a template tag per row and per cell.
"""

from typing import TYPE_CHECKING

from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # in Django, not in django-stubs 6.1
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, Table

if TYPE_CHECKING:  # the mixin is mixed into a Wagtail index view, whose column builders it overrides
    from wagtail.admin.views.generic import IndexView as _MixedIntoView
else:
    _MixedIntoView = object


class PlainColumn(Column):
    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context)["value"]
        shown = "" if value is None else conditional_escape(localize(template_localtime(value)))
        if self.classname:
            return format_html('<td class="{}">{}</td>', self.classname, shown)
        return format_html("<td>{}</td>", shown)


class PlainTitleColumn(PlainColumn):
    """The row's title linking to where the person may go (edit, else inspect), without Wagtail's per-row "More"
    menu and its template: for read-only listings, where that menu holds only the same link."""

    def __init__(self, *args, get_url=None, get_title_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.get_url = get_url

    def render_cell_html(self, instance, parent_context):
        value = self.get_cell_context_data(instance, parent_context)["value"]
        url = self.get_url(instance) if self.get_url else None
        if url is None:
            return format_html('<td class="title"><div class="title-wrapper">{}</div></td>', value)
        return format_html('<td class="title"><div class="title-wrapper"><a href="{}">{}</a></div></td>', url, value)


def _attrs(attrs: dict) -> str:
    """HTML attributes as wagtailadmin/shared/attrs.html writes them: True a bare name, False left out."""
    return mark_safe(  # noqa: S308 - format_html's output
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class PlainTable(Table):
    """Wagtail's table, its rows written here (each cell by its column's `render_cell_html`, as the template's
    `{% component cell %}` would) instead of through a template tag per row and per cell."""

    template_name = "civtech/admin/plain_table.html"

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        rows = (
            format_html(
                "<tr{}>{}</tr>",
                _attrs(row.attrs),
                mark_safe("".join(cell.render_html({**context, "row": row}) for cell in row.values())),  # noqa: S308
            )
            for row in self.rows
        )
        context["body"] = mark_safe("\n".join(rows))  # noqa: S308 - each row is format_html's output
        return context


class PlainCellsMixin(_MixedIntoView):
    """For a generic index view of a read-only listing: the columns built from `list_display` field names are
    `PlainColumn`s, the title a `PlainTitleColumn`, and there are no bulk-action checkboxes (nothing to act on)."""

    table_class = PlainTable

    def _get_title_column(self, field_name, column_class=None, **kwargs):
        return super()._get_title_column(field_name, PlainTitleColumn, **kwargs)

    def _get_title_column_class(self, column_class):
        return column_class  # no per-row buttons

    @cached_property
    def columns(self):
        return [column for column in super().columns if not isinstance(column, BulkActionsCheckboxColumn)]

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        # Wagtail builds each list_display name's column here; only its plain default is swapped.
        return super()._get_custom_column(field_name, PlainColumn if column_class is Column else column_class, **kwargs)
