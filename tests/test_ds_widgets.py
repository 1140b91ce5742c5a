"""ds_widget writes plain selects, radios and checkboxes itself (civtech/templatetags/ds_tags.py): the markup must be
what Django's widget templates render, for every kind of option, value and attribute."""

import re
from datetime import date

import pytest
from django import forms
from django.forms.boundfield import BoundWidget
from django.test.html import parse_html

from civtech.templatetags.ds_tags import _input_html, _select_html, ds_widget

CHOICES = [("", "All <rounds>"), ("a", "A & B"), (3, "Three"), ("Group “one”", [("g1", "G1"), ("g2", 'G"2')]),
           ("d", date(2026, 12, 7)), ("n", 1234.5)]  # fmt: skip


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    needed = forms.ChoiceField(choices=CHOICES, help_text="Pick one.")
    off = forms.ChoiceField(choices=CHOICES, required=False, disabled=True)
    with_attrs = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select(attrs={"data-x": "1"}))
    radio = forms.ChoiceField(choices=CHOICES, widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple, required=False)
    yes_no = forms.NullBooleanField()  # NullBooleanSelect, a Select subclass: Django renders it


DATA = [
    {},
    {"plain": "a", "needed": "3", "radio": "g2", "boxes": ["a", "g1"]},
    {"plain": "not a choice", "needed": "", "radio": "", "boxes": ["x"], "with_attrs": "g1"},
    {"plain": '"><script>', "needed": "g1", "radio": "3", "yes_no": "true", "off": "a"},
]


def same_html(ours, django) -> None:
    """The same markup, attribute for attribute and in the same order; only the template's line breaks differ."""
    assert parse_html(str(ours)) == parse_html(str(django)), f"\n{ours}\n!=\n{django}"
    assert str(ours) == re.sub(r">\s+<", "><", str(django).strip())


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("bound", [True, False])
def test_a_select_is_written_as_djangos_template_writes_it(data, bound):
    form = Everything(data if bound else None, auto_id="f-%s")
    form.is_valid()
    for name in ("plain", "needed", "off", "with_attrs"):
        field = form[name]
        attrs = {"class": "ds_select", "placeholder": False, "aria-describedby": "f-needed-hint"}
        same_html(_select_html(field, dict(attrs)), field.as_widget(attrs=dict(attrs)))
        same_html(ds_widget(field, "ds_select", "ds_select--error"), _select_html(field, field.build_widget_attrs(
            {"class": "ds_select" + (" ds_select--error" if field.errors else ""), "placeholder": False,
             **({"aria-describedby": " ".join(
                 ([f"{field.auto_id}-hint"] if field.help_text else []) + ([f"{field.auto_id}-error"] if field.errors
                                                                           else []))}
                if field.help_text or field.errors else {})})))  # fmt: skip


@pytest.mark.parametrize("data", DATA)
def test_radio_and_checkbox_options_are_written_as_djangos_template_writes_them(data):
    form = Everything(data, auto_id="f-%s")
    form.is_valid()
    options = [*form["radio"], *form["boxes"]]
    assert len(options) == 14
    if data == DATA[1]:
        assert [str(option.data["value"]) for option in options if option.data["selected"]] == ["g2", "a", "g1"]
    for option in options:
        attrs = {**option.data["attrs"], "class": "ds_radio__input"}
        django = BoundWidget(option.parent_widget, {**option.data, "attrs": attrs}, option.renderer).tag()
        same_html(_input_html({**option.data, "attrs": attrs}), django)
        same_html(ds_widget(option, "ds_radio__input"), django)


def test_a_select_subclass_keeps_djangos_rendering():
    form = Everything({"yes_no": "true"}, auto_id="f-%s")
    form.is_valid()
    rendered = ds_widget(form["yes_no"], "ds_select")
    assert rendered == form["yes_no"].as_widget(attrs={"class": "ds_select", "placeholder": False})
    assert '<option value="true" selected>Yes</option>' in rendered


def test_labels_and_values_are_escaped():
    form = Everything({"plain": "a"}, auto_id="f-%s")
    form.is_valid()
    rendered = str(_select_html(form["plain"], {}))
    assert "All &lt;rounds&gt;" in rendered and "A &amp; B" in rendered and "G&quot;2" in rendered
    assert '<optgroup label="Group “one”">' in rendered
    assert '<option value="a" selected>' in rendered
