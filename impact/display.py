"""How impact figures are shown: the one place they are rounded.

`impact.reporting` computes every figure and ratio from unrounded values; whatever shows one (the public page and
the staff report through the template filters in `impact_figures`, the API's serializer, the CSV/Excel exports and
the PDF) rounds it here, once, to the same precision: jobs to one decimal place, money to whole pounds, ratios to
two decimal places. Halves round up, as people round by hand. A figure that is not zero but rounds to zero says
so ("less than 0.1") rather than showing a zero beside a ratio that divided by it. The Green Book assumptions and
the factor they make are inputs, shown exactly.
"""

from decimal import ROUND_HALF_UP, Decimal

PLACES = {"jobs": 1, "money": 0, "ratio": 2}  # decimal places a figure of each kind is shown to
KINDS = {  # the kind of each net impact figure (impact.reporting.NetImpact)
    "net_jobs": "jobs",
    "net_investment": "money",
    "net_follow_on": "money",
    "cost_per_net_job": "money",
    "benefit_cost_ratio": "ratio",
    "leverage": "ratio",
}


def _step(kind: str) -> Decimal:
    return Decimal(1).scaleb(-PLACES[kind])


def rounded(value, kind: str) -> Decimal | None:
    """The value as shown: rounded half up to its kind's places. None stays None (not yet known)."""
    if value is None or value == "":
        return None
    return Decimal(value).quantize(_step(kind), ROUND_HALF_UP)


def shown(value, kind: str) -> str:
    """The value as text, with thousands separated: "4.1", "£77,116", "0.24"; "—" when not known."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    number = rounded(value, kind)
    if value and not number:  # not zero, but too small to show at this precision
        return f"less than {'£' if kind == 'money' else ''}{_step(kind)}"
    return f"{'£' if kind == 'money' else ''}{number:,}"


def jobs(value) -> str:
    return shown(value, "jobs")


def pounds(value) -> str:
    return shown(value, "money")


def ratio(value) -> str:
    return shown(value, "ratio")


def exact(value) -> str:
    """An input shown as it is, without trailing zeros: 0.5835375, 1.3."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"


def percent(fraction) -> str:
    """A proportion as a percentage, exactly: 0.125 → "12.5%"."""
    if fraction is None or fraction == "":
        return "—"
    return f"{exact(Decimal(fraction) * 100)}%"
