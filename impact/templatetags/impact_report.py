"""The public impact page's figures, a panel the reporting code computes (the page model only holds its words)."""

from django import template

from impact.report_context import report_context

register = template.Library()


@register.inclusion_tag("impact/_public_report.html", takes_context=True)
def public_impact_report(context) -> dict:
    """The filter form, headline figures, breakdown with its charts and net impact, narrowed by the query string."""
    request = context["request"]
    return {"request": request, **report_context(request.GET, public=True)}
