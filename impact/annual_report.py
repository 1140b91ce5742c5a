"""The annual impact report as a PDF: the year's verified headline figures, breakdowns and net impact.

Only verified figures go in: the report is published. Built with ReportLab's document templates, tagged with a
title and language so screen readers announce it properly.
"""

import io
from collections.abc import Callable

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .display import exact, jobs, percent, pounds, ratio
from .models import Assumptions
from .reporting import FIGURES, Filters, breakdown, headline, net_impact


def _money(value, kind: str) -> str:
    if value is None:
        return "—"
    return pounds(value) if kind == "money" else f"{value:,}"


def _table(rows: list[list[str]]) -> Table:
    table = Table(rows, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0065bd")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def annual_report_pdf(year: int, progress: Callable[[int], None] = lambda p: None) -> bytes:
    styles = getSampleStyleSheet()
    filters = Filters(year=year)
    figures = headline(filters, public=True)
    progress(20)
    story = [
        Paragraph(f"CivTech impact report {year}", styles["Title"]),
        Paragraph(
            f"Verified figures for the rounds that opened in {year}, as at {timezone.localdate():%-d %B %Y}. "
            "Figures reported but not yet verified are not included.",
            styles["BodyText"],
        ),
        Spacer(1, 6 * mm),
        Paragraph("Headline figures", styles["Heading2"]),
        _table([["Figure", "Value"]] + [[f.label, _money(figures[f.key], f.kind)] for f in FIGURES]),
    ]
    for n, (dimension, label) in enumerate([("round", "Round"), ("sponsor", "Sponsor"), ("region", "Region")]):
        rows = breakdown(dimension, filters, public=True)
        columns = [f for f in FIGURES if f.key in ("prototype_funding", "follow_on_value", "jobs_created", "savings")]
        story += [
            Spacer(1, 6 * mm),
            Paragraph(f"By {label.lower()}", styles["Heading2"]),
            _table([[label] + [f.label for f in columns]]
                   + [[r["label"]] + [_money(r[f.key], f.kind) for f in columns] for r in rows]),
        ]  # fmt: skip
        progress(40 + 15 * n)
    net = net_impact(figures, Assumptions.current())
    a = net.assumptions
    story += [
        Spacer(1, 6 * mm),
        Paragraph("Net additional impact (HM Treasury Green Book)", styles["Heading2"]),
        Paragraph(
            f"Leakage {percent(a.leakage)}, displacement {percent(a.displacement)}, substitution "
            f"{percent(a.substitution)}, multiplier {exact(a.multiplier)}, deadweight {percent(a.deadweight)}: "
            f"net = gross × {exact(net.factor)}. Each figure is worked out from unrounded values and rounded only "
            "to be shown: jobs to one decimal place, money to the nearest pound, ratios to two decimal places.",
            styles["BodyText"],
        ),
        _table(
            [
                ["Measure", "Value"],
                ["Jobs, gross", f"{net.gross_jobs:,}"],
                ["Jobs, net additional", jobs(net.net_jobs)],
                ["Investment raised, net additional", pounds(net.net_investment)],
                ["Follow-on contract value, net additional", pounds(net.net_follow_on)],
                ["Cost per net additional job", pounds(net.cost_per_net_job)],
                ["Benefit–cost ratio (verified savings ÷ programme funding)", ratio(net.benefit_cost_ratio)],
                ["Leverage (follow-on value ÷ programme funding)", ratio(net.leverage)],
            ]
        ),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out, pagesize=A4, title=f"CivTech impact report {year}", author="CivTech", lang="en-GB",
        leftMargin=18 * mm, rightMargin=18 * mm,
    )  # fmt: skip
    document.build(story)
    progress(95)
    return out.getvalue()
