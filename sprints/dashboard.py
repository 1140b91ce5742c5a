from accounts.roles import Role
from civtech.dashboard_parts import DashboardSection, ProgrammeLink

DASHBOARD_SECTIONS = [
    DashboardSection(
        order=50, template="sprints/dashboard/_workspaces.html", roles=frozenset({Role.APPLICANT, Role.SPONSOR})
    ),
]
PROGRAMME_LINKS = [
    ProgrammeLink(20, "sprints_portfolio", "Portfolio", "every team in exploration and the accelerator"),
]
