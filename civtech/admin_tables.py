"""Admin list cells rendered without a template each.

Wagtail renders every cell of a listing through `wagtailadmin/tables/cell.html`: a staff list of 50 rows and six
columns renders 300 templates, which was most of its time (bench/pages.py, issue #22). `PlainColumn` writes the
same cell (the value localised and escaped as `{{ value }}` would be) with `format_html`. A listing opts in with
`PlainCellsMixin` on its index view; title, date and button columns keep Wagtail's templates.
"""

from typing import TYPE_CHECKING

from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # in Django, not in django-stubs 6.1
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column

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


class PlainCellsMixin(_MixedIntoView):
    """For a generic index view of a read-only listing: the columns built from `list_display` field names are
    `PlainColumn`s, the title a `PlainTitleColumn`, and there are no bulk-action checkboxes (nothing to act on)."""

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
