"""The account's own sections of the dashboard: the programme staff's list (its links come from every app's
PROGRAMME_LINKS) first, the person's details near the end."""

from civtech.dashboard_parts import DashboardSection

DASHBOARD_SECTIONS = [
    DashboardSection(order=5, template="accounts/dashboard/_programme.html", staff=True),
    DashboardSection(order=80, template="accounts/dashboard/_details.html"),
]
