from accounts.roles import Role
from civtech.dashboard_parts import DashboardSection, ProgrammeLink

DASHBOARD_SECTIONS = [
    DashboardSection(order=40, template="impact/dashboard/_impact.html", roles=frozenset({Role.APPLICANT})),
    DashboardSection(order=45, template="impact/dashboard/_benefits.html", roles=frozenset({Role.SPONSOR})),
]
PROGRAMME_LINKS = [
    ProgrammeLink(
        30, "impact_report:index", "Impact report", "funding, contracts, jobs, investment and savings, with exports"
    ),
    ProgrammeLink(40, "impact_verification:index", "Impact returns and benefits to verify", ""),
]
