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

from .models import Assumptions
from .reporting import FIGURES, Filters, breakdown, headline, net_impact


def _money(value, kind: str) -> str:
    if value is None:
        return "—"
    return f"£{value:,.0f}" if kind == "money" else f"{value:,}"


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
            f"Leakage {a.leakage:.0%}, displacement {a.displacement:.0%}, substitution {a.substitution:.0%}, "
            f"multiplier {a.multiplier}, deadweight {a.deadweight:.0%}: net = gross × {net.factor:.3f}.",
            styles["BodyText"],
        ),
        _table(
            [
                ["Measure", "Value"],
                ["Jobs, gross", f"{net.gross_jobs:,}"],
                ["Jobs, net additional", f"{net.net_jobs}"],
                ["Cost per net additional job", _money(net.cost_per_net_job, "money")],
                ["Benefit–cost ratio", str(net.benefit_cost_ratio or "—")],
                ["Leverage (follow-on value ÷ programme funding)", str(net.leverage or "—")],
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
