from civtech.dashboard_parts import DashboardSection

DASHBOARD_SECTIONS = [DashboardSection(order=90, template="organisations/dashboard/_organisations.html")]
