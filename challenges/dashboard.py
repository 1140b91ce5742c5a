from accounts.roles import Role
from civtech.dashboard_parts import DashboardSection, ProgrammeLink

DASHBOARD_SECTIONS = [
    # The sponsor's challenges by state, with the way into the editor (challenge_tags.sponsor_challenges).
    DashboardSection(order=10, template="challenges/dashboard/_your_challenges.html", roles=frozenset({Role.SPONSOR})),
]
PROGRAMME_LINKS = [
    ProgrammeLink(
        50, "challenge_pipeline:index", "Challenge pipeline", "every challenge, draft or live, and its approval step"
    ),
]
