"""Content-Security-Policy per area of the site.

The public site, account pages and workspaces get the strict policy from settings (no inline script
or style). Wagtail's admin still relies on inline styles and a few inline scripts, so only under
/admin/ do we add 'unsafe-inline' — staff-only pages behind MFA.
"""

from csp.middleware import CSPMiddleware, PolicyParts

ADMIN_PREFIX = "/admin/"
ADMIN_RELAXATIONS = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:", "https:"],
}
# The admin previews pages in an iframe of itself.
ADMIN_REPLACEMENTS = {"frame-ancestors": ["'self'"]}


class AreaCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.update is None and parts.replace is None:
            parts.update, parts.replace = ADMIN_RELAXATIONS, ADMIN_REPLACEMENTS
        return parts
