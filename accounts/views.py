from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .roles import is_programme_staff, requires_mfa, user_roles


@login_required
def dashboard(request):
    user = request.user
    context = {
        "roles": sorted(role.label for role in user_roles(user)),
        "mfa_enabled": is_mfa_enabled(user),
        "mfa_required": requires_mfa(user),
        "is_staff": is_programme_staff(user),
    }
    return render(request, "accounts/dashboard.html", context)
