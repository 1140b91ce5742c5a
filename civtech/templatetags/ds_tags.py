"""Render Django form widgets with Scottish Government Design System classes.

Templates cannot call BoundField.as_widget(attrs=...), and adding the DS classes any other way
would mean re-implementing Django's widget rendering (bound values, required, autocomplete and
other widget attrs, password fields never echoing their value). This one tag does only that;
all markup lives in civtech/templates/components/field.html.
"""

from django import template
from django.forms.boundfield import BoundField, BoundWidget

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
    return field.as_widget(attrs=attrs)
