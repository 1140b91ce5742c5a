"""Template filters that show impact figures, rounded once at display (see `impact.display`)."""

from django import template

from impact import display

register = template.Library()

for name in ("jobs", "pounds", "ratio", "exact", "percent"):
    register.filter(name, getattr(display, name), is_safe=True)
