from accounts.roles import Role
from civtech.dashboard_parts import DashboardSection, ProgrammeLink

DASHBOARD_SECTIONS = [
    DashboardSection(
        order=20, template="applications/dashboard/_assessment.html", roles=frozenset({Role.ASSESSOR, Role.SPONSOR})
    ),
    DashboardSection(order=30, template="applications/dashboard/_applications.html", roles=frozenset({Role.APPLICANT})),
]
PROGRAMME_LINKS = [
    ProgrammeLink(
        10, "evaluation:index", "Evaluation", "each challenge's applications, the moderation board and decisions"
    ),
]
