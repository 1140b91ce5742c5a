"""Figures round only when shown (issue 16, item 5).

Every ratio is checked against a hand computation whose inputs are chosen so that rounding first gives a different
answer; every Green Book factor is non-zero (and the multiplier not 1), so leaving any one out changes the answer.
Then each place that shows the figures (the public page, the staff report, the API, the CSV and Excel exports and
the PDF) is checked for the same hand-computed, once-rounded values.

The assumptions used throughout: leakage 12.5%, displacement 20%, substitution 5%, multiplier 1.25, deadweight 35%,
so the net factor is 0.875 × 0.8 × 0.95 × 1.25 × 0.65 = 0.5403125.
"""

import csv
import io
import re
import zlib
from base64 import a85decode
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from impact.annual_report import annual_report_pdf
from impact.display import jobs, percent, pounds, ratio, rounded
from impact.exports import BUILDERS
from impact.models import Assumptions, Export
from impact.reporting import Filters, headline, net_impact
from tests.impact.test_report_pages import impact_page, staff_client  # noqa: F401 - fixtures
from tests.impact.test_reporting import world  # noqa: F401 - the hand-computed world

pytestmark = pytest.mark.django_db

SHARES = ("leakage", "displacement", "substitution", "deadweight")
ASSUMED = {
    "leakage": Decimal("0.125"),
    "displacement": Decimal("0.2"),
    "substitution": Decimal("0.05"),
    "multiplier": Decimal("1.25"),
    "deadweight": Decimal("0.35"),
}
FACTOR = Decimal("0.5403125")  # 0.875 × 0.8 × 0.95 × 1.25 × 0.65
TINY = {  # a factor of 0.04: 0.5 × 0.5 × 0.5 × 1.28 × 0.25, every factor still counting
    "leakage": Decimal("0.5"),
    "displacement": Decimal("0.5"),
    "substitution": Decimal("0.5"),
    "multiplier": Decimal("1.28"),
    "deadweight": Decimal("0.75"),
}


def figures(*, jobs=0, funding="0", follow_on="0", investment="0", savings="0") -> dict:
    return {
        "jobs_created": jobs, "jobs_safeguarded": 0, "prototype_funding": Decimal(funding),
        "follow_on_value": Decimal(follow_on), "investment": Decimal(investment), "savings": Decimal(savings),
    }  # fmt: skip


# --- The arithmetic -------------------------------------------------------------------------------------------
def test_net_figures_and_ratios_divide_unrounded_values():
    net = net_impact(
        figures(jobs=7, funding="315000", follow_on="200000", investment="150000", savings="75000"),
        Assumptions(**ASSUMED),
    )
    assert net.factor == FACTOR
    assert net.net_jobs == Decimal("3.7821875")  # 7 × 0.5403125: shown 3.8
    assert net.cost_per_net_job == Decimal(315000) / Decimal("3.7821875")  # 83,285.14, not 315,000 ÷ 3.8 = 82,895
    assert rounded(net.cost_per_net_job, "money") == Decimal("83285")
    assert net.net_investment == Decimal("81046.875")  # 150,000 × 0.5403125
    assert net.net_follow_on == Decimal("108062.5")  # 200,000 × 0.5403125: shown £108,063 (half up)
    assert net.benefit_cost_ratio == Decimal(75000) / Decimal(315000)
    assert net.leverage == Decimal(200000) / Decimal(315000)
    assert (jobs(net.net_jobs), pounds(net.cost_per_net_job), pounds(net.net_follow_on)) == (
        "3.8",
        "£83,285",
        "£108,063",
    )
    assert (ratio(net.benefit_cost_ratio), ratio(net.leverage)) == ("0.24", "0.63")


@pytest.mark.parametrize(
    "dropped, net_jobs, cost_per_job",
    [  # hand-computed with one factor made neutral: each changes the answer, so none can be left out unnoticed
        ("leakage", Decimal("4.3225"), "£72,874"),  # 7 × 0.6175
        ("displacement", Decimal("4.727734375"), "£66,628"),  # 7 × 0.675390625
        ("substitution", Decimal("3.98125"), "£79,121"),  # 7 × 0.56875
        ("multiplier", Decimal("3.02575"), "£104,106"),  # 7 × 0.43225
        ("deadweight", Decimal("5.81875"), "£54,135"),  # 7 × 0.83125
    ],
)
def test_every_green_book_factor_counts(dropped, net_jobs, cost_per_job):
    neutral = Decimal(1) if dropped == "multiplier" else Decimal(0)
    net = net_impact(figures(jobs=7, funding="315000"), Assumptions(**(ASSUMED | {dropped: neutral})))
    assert net.net_jobs == net_jobs
    assert pounds(net.cost_per_net_job) == cost_per_job != "£83,285"  # £83,285 with every factor


def test_a_small_net_figure_does_not_vanish():
    """One gross job at a factor of 0.04 is 0.04 net jobs: rounded first it was 0.0 and the cost per job vanished."""
    net = net_impact(figures(jobs=1, funding="315000"), Assumptions(**TINY))
    assert net.factor == Decimal("0.04")
    assert net.net_jobs == Decimal("0.04")
    assert net.cost_per_net_job == Decimal("7875000")  # 315,000 ÷ 0.04
    assert (jobs(net.net_jobs), pounds(net.cost_per_net_job)) == ("less than 0.1", "£7,875,000")


def test_ratios_divide_money_to_the_penny():
    """Rounded to whole pounds first, 1,005 ÷ 1,000 = 1.005 would show 1.01, and 2,005 ÷ 1,000 would show 2.01."""
    net = net_impact(figures(funding="1000.49", savings="1004.50", follow_on="2004.50"), Assumptions(**ASSUMED))
    assert net.benefit_cost_ratio == Decimal("1004.50") / Decimal("1000.49")  # 1.004008…
    assert net.leverage == Decimal("2004.50") / Decimal("1000.49")  # 2.003518…
    assert (ratio(net.benefit_cost_ratio), ratio(net.leverage)) == ("1.00", "2.00")
    assert net.cost_per_net_job is None  # no jobs: not known, rather than infinite or zero


def test_shown_values_round_half_up_once():
    assert [jobs(Decimal(v)) for v in ("2.449", "2.45", "0.25", "0.05", "0", "12345.65")] == [
        "2.4", "2.5", "0.3", "0.1", "0.0", "12,345.7"
    ]  # fmt: skip
    assert [pounds(Decimal(v)) for v in ("1234.5", "1234.49", "0.4", "0")] == ["£1,235", "£1,234", "less than £1", "£0"]
    assert [ratio(Decimal(v)) for v in ("0.125", "0.004", "2")] == ["0.13", "less than 0.01", "2.00"]
    assert [percent(Decimal(v)) for v in ("0.125", "0.100", "0")] == ["12.5%", "10%", "0%"]
    assert jobs(None) == pounds(None) == ratio(None) == "—"


# --- Where the figures are shown ------------------------------------------------------------------------------
@pytest.fixture
def assumed(db):
    return Assumptions.objects.create(**ASSUMED, note="Evaluation 2026")


@pytest.fixture
def tiny(db):
    return Assumptions.objects.create(**TINY, note="A stress test")


def test_the_public_page_shows_once_rounded_figures(client, world, impact_page, assumed):  # noqa: F811
    """The public world: 7 gross jobs, £315,000 funding, £200,000 follow-on, £150,000 investment, £75,000 savings."""
    html = unescape(client.get("/impact/").content.decode())
    net = html[html.index("Net additional impact and value for money") :]
    assert "<td>7</td><td>3.8</td>" in net  # 7 × 0.5403125 = 3.78
    assert "£83,285 (all programme funding" in net and "£82,895" not in net  # 315,000 ÷ 3.7821875
    assert "£81,047" in net and "£108,063" in net  # 81,046.875 and 108,062.5, half up
    assert "0.24 (verified savings" in net and "0.63 (follow-on" in net
    assumptions = html[html.index("Assumptions used") :]
    assert "12.5%" in assumptions and "<td>1.25</td>" in assumptions and "35%" in assumptions


def test_a_small_net_figure_is_shown_not_dropped(client, world, impact_page, tiny):  # noqa: F811
    """Round Two: one verified job and £5,000 of funding; at a factor of 0.04 that is 0.04 net jobs."""
    html = unescape(client.get("/impact/", {"round": world["r2"].pk}).content.decode())
    net = html[html.index("Net additional impact and value for money") :]
    assert "<td>1</td><td>less than 0.1</td>" in net
    assert "£125,000 (all programme funding" in net and "Not yet known: no jobs" not in net  # 5,000 ÷ 0.04


def test_the_staff_report_shows_once_rounded_figures(staff_client, world, assumed):  # noqa: F811
    """Staff figures: 10 gross jobs (the unverified return too), the same £315,000 funding."""
    html = unescape(staff_client.get(reverse("impact_report:index")).content.decode())
    net = html[html.index("Net additional impact and value for money") :]
    assert "<td>10</td><td>5.4</td>" in net  # 10 × 0.5403125 = 5.403125
    assert "£58,300 (all programme funding" in net and "£58,333" not in net  # 315,000 ÷ 5.403125, not ÷ 5.4


def test_the_api_rounds_once_and_states_its_precision(client, world, assumed):  # noqa: F811
    net = client.get("/api/v1/impact/").json()["net"]
    assert net == {
        "assumptions": {"leakage": "0.125", "displacement": "0.2", "substitution": "0.05", "multiplier": "1.25",
                        "deadweight": "0.35"},
        "net_factor": "0.5403125",
        "gross_jobs": 7,
        "net_jobs": "3.8",
        "net_investment": "81047",
        "net_follow_on": "108063",
        "cost_per_net_job": "83285",
        "benefit_cost_ratio": "0.24",
        "leverage": "0.63",
        "precision": {"net_jobs": 1, "net_investment": 0, "net_follow_on": 0, "cost_per_net_job": 0,
                      "benefit_cost_ratio": 2, "leverage": 2},
    }  # fmt: skip
    small = client.get("/api/v1/impact/", {"round": world["r2"].pk}).json()["net"]  # 1 job, £5,000 of funding
    assert (small["net_jobs"], small["cost_per_net_job"]) == ("0.5", "9254")  # 5,000 ÷ 0.5403125; not ÷ 0.5 = 10,000


def test_the_api_keeps_a_small_cost_per_job(client, world, tiny):  # noqa: F811
    small = client.get("/api/v1/impact/", {"round": world["r2"].pk}).json()["net"]
    assert (small["net_jobs"], small["cost_per_net_job"]) == ("0.0", "125000")  # 0.04 shown to 0.1; 5,000 ÷ 0.04


def test_the_api_schema_states_the_precision(client):
    text = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "Pounds, rounded half up to a whole number, once, from unrounded values." in text
    assert "Jobs, rounded half up to 1 decimal place, once, from unrounded values." in text
    assert "NetImpactPrecision" in text


def _net_rows(rows: list[list]) -> dict:
    start = next(n for n, row in enumerate(rows) if row and row[0] == "Net additional impact")
    return {row[0]: row[1] for row in rows[start + 2 :] if row}


STAFF_NET = {  # 10 gross jobs, £315,000 funding, £300,000 follow-on, £175,000 investment, £84,999 savings
    "Jobs, gross": "10",
    "Net additional jobs (to 0.1)": "5.4",
    "Net additional investment (£)": "94555",  # 175,000 × 0.5403125 = 94,554.6875
    "Net additional follow-on contract value (£)": "162094",  # 300,000 × 0.5403125 = 162,093.75
    "Cost per net additional job (£)": "58300",  # 315,000 ÷ 5.403125; rounding first: ÷ 5.4 = 58,333
    "Benefit–cost ratio (to 0.01)": "0.27",  # 84,999 ÷ 315,000
    "Leverage (to 0.01)": "0.95",  # 300,000 ÷ 315,000
    "Net factor applied": "0.5403125",
    "Leakage (assumption)": "0.125",
    "Displacement (assumption)": "0.2",
    "Substitution (assumption)": "0.05",
    "Multiplier (assumption)": "1.25",
    "Deadweight (assumption)": "0.35",
}


def test_the_csv_export_rounds_once(world, assumed):  # noqa: F811
    _, content = BUILDERS[Export.Kind.FIGURES_CSV]({}, lambda percent: None)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert _net_rows(rows) == STAFF_NET


def test_the_excel_export_rounds_once(world, assumed):  # noqa: F811
    _, content = BUILDERS[Export.Kind.FIGURES_XLSX]({}, lambda percent: None)
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert {label: Decimal(str(value)) for label, value in rows[1:]} == {
        label: Decimal(value) for label, value in STAFF_NET.items()
    }


def pdf_text(pdf: bytes) -> list[str]:
    """The strings drawn on the pages of a ReportLab PDF (ASCII85 and Flate-encoded content streams)."""
    strings = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            data = zlib.decompress(a85decode(stream.strip(), adobe=True))
        except (ValueError, zlib.error):
            continue
        for raw in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", data):
            raw = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            strings.append(re.sub(rb"\\(.)", rb"\1", raw).decode("cp1252"))
    return strings


def test_the_annual_report_rounds_once(world, assumed):  # noqa: F811
    """Round One's year: 6 verified gross jobs and £310,000 of funding."""
    assert headline(Filters(year=world["r1"].call_opens.year), public=True)["prototype_funding"] == 310000
    text = pdf_text(annual_report_pdf(world["r1"].call_opens.year))
    table = text[text.index("Jobs, net additional") :]
    assert table[1] == "3.2"  # 6 × 0.5403125 = 3.241875
    assert table[table.index("Cost per net additional job") + 1] == "£95,624"  # 310,000 ÷ 3.241875; not ÷ 3.2 = 96,875
    assert "net = gross × 0.5403125." in " ".join(text) and "Leakage 12.5%" in " ".join(text)
