from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from civtech.app_parts import app_parts

from .roles import is_programme_staff, requires_mfa, user_roles


@login_required
def dashboard(request):
    """Each app's sections for the person's roles, in order (civtech.dashboard_parts); staff also get the list of
    where the programme's work is."""
    user = request.user
    roles, is_staff = user_roles(user), is_programme_staff(user)
    sections = [
        section for section in app_parts("dashboard", "DASHBOARD_SECTIONS") if section.shown_to(roles, is_staff)
    ]
    context = {
        "sections": sorted(sections, key=lambda section: section.order),
        "programme_links": sorted(app_parts("dashboard", "PROGRAMME_LINKS"), key=lambda link: link.order),
        "roles": sorted(role.label for role in roles),
        "mfa_enabled": is_mfa_enabled(user),
        "mfa_required": requires_mfa(user),
        "is_staff": is_staff,
    }
    return render(request, "accounts/dashboard.html", context)
