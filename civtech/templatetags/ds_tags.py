"""Render Django form widgets with Scottish Government Design System classes.

Templates cannot call BoundField.as_widget(attrs=...), and adding the DS classes any other way
would mean re-implementing Django's widget rendering (bound values, required, autocomplete and
other widget attrs, password fields never echoing their value). This one tag does only that;
all markup lives in civtech/templates/components/field.html.
"""

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _classes(*names: str | None) -> str:
    return " ".join(name for name in names if name)


@register.simple_tag
def ds_widget(field: BoundField | BoundWidget, css_class: str = "", error_class: str = "") -> str:
    """Render a bound field's widget, or one option of a radio/checkbox group, with DS classes.

    For a field, error_class is added when it has errors, and aria-describedby points at the ids
    components/field.html gives its hint and error message: "<auto_id>-hint", "<auto_id>-error".
    Django itself adds required and aria-invalid="true". Placeholders are dropped: the Design System
    says not to use them (they vanish on typing and are often misread as a filled-in value), and
    every field has a visible label.
    """
    if isinstance(field, BoundWidget):
        attrs = dict(field.data["attrs"])
        attrs["class"] = _classes(attrs.get("class"), css_class)
        if type(field.parent_widget) in (forms.RadioSelect, forms.CheckboxSelectMultiple):
            return _input_html({**field.data, "attrs": attrs})
        return BoundWidget(field.parent_widget, {**field.data, "attrs": attrs}, field.renderer).tag()

    attrs = {
        "class": _classes(field.field.widget.attrs.get("class"), css_class, error_class if field.errors else ""),
        "placeholder": False,  # False leaves the attribute out altogether
    }
    describedby = []
    if field.auto_id and field.help_text:
        describedby.append(f"{field.auto_id}-hint")
    if field.auto_id and field.errors:
        describedby.append(f"{field.auto_id}-error")
    if describedby:
        attrs["aria-describedby"] = " ".join(describedby)
    if type(field.field.widget) is forms.Select:
        return _select_html(field, attrs)
    return field.as_widget(attrs=attrs)


# Django renders a <select> with a template per option, and each radio or checkbox option with a template of its own:
# the challenge listing's filters (a few dozen options) took about 8 ms of its time that way (bench/pages.py
# --profile). For the plain Select, RadioSelect and CheckboxSelectMultiple widgets (exactly those: a subclass may
# have templates of its own) the same markup is written here, from the context Django's widget builds (its choices,
# which are selected, its attributes), so nothing about what is rendered is decided twice.
# tests/test_ds_widgets.py compares both ways for every kind of option.
def _attrs(attrs: dict) -> SafeString:
    """As django/forms/widgets/attrs.html writes them: in order, True as a bare name, False left out."""
    written = (
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False
    )
    return mark_safe("".join(written))  # noqa: S308 - each is escaped by format_html


def _select_html(field: BoundField, attrs: dict) -> SafeString:
    """What `field.as_widget(attrs=attrs)` renders for a Select, without its templates."""
    widget = field.field.widget
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    parts: list[str] = [format_html('<select name="{}"{}>', context["name"], _attrs(context["attrs"]))]
    for group, options, _ in context["optgroups"]:
        if group:
            parts.append(format_html('<optgroup label="{}">', localize(group)))
        parts.extend(
            format_html(
                '<option value="{}"{}>{}</option>', option["value"], _attrs(option["attrs"]), localize(option["label"])
            )  # a label is localised as the template's {{ widget.label }} would be (a date or a number)
            for option in options
        )
        if group:
            parts.append("</optgroup>")
    parts.append("</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped by format_html


def _input_html(data: dict) -> SafeString:
    """What BoundWidget.tag() renders for one radio or checkbox option, without its templates."""
    value = "" if data["value"] is None else format_html(' value="{}"', data["value"])
    return format_html('<input type="{}" name="{}"{}{}>', data["type"], data["name"], value, _attrs(data["attrs"]))
