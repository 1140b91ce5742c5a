"""How the service writes dates, times and sums of money, in the design system's style.

Kernel: any app may use these (the public site, applications, challenges); they read no model.
"""

from datetime import datetime
from decimal import Decimal

from django.utils import dateformat, timezone
from django.utils.html import format_html


def uk_datetime(value: datetime) -> str:
    """'12:00pm on Friday 16 January 2026': the time and day in UK time (GMT or BST)."""
    local = timezone.localtime(value)
    return f"{dateformat.format(local, 'g:iA').lower()} on {dateformat.format(local, 'l j F Y')}"


def uk_date(value: datetime) -> str:
    """'Friday 16 January 2026', the day in UK time."""
    return dateformat.format(timezone.localtime(value), "l j F Y")


def uk_day_and_time(value: datetime) -> str:
    """'Friday 16 January 2026 at 12:00pm', for sentences such as "Applications open on …"."""
    local = timezone.localtime(value)
    return f"{dateformat.format(local, 'l j F Y')} at {dateformat.format(local, 'g:iA').lower()}"


def time_html(value: datetime, text: str):
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


def money(amount: Decimal | None) -> str:
    """'£350,000', or '£5,000.50' when there are pence."""
    if amount is None:
        return ""
    if amount == amount.to_integral_value():
        return f"£{int(amount):,}"
    return f"£{amount:,.2f}"
