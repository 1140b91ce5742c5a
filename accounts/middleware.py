"""Programme staff, sponsors and assessors must turn on two-factor authentication before anything else.

Until they have an authenticator app set up, every page except the account pages themselves (where they
set it up, or sign out) redirects them to the set-up page. Public visitors and applicants are unaffected.
"""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .roles import requires_mfa

ALWAYS_ALLOWED_PREFIXES = ("/accounts/", "/healthz", settings.STATIC_URL)


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALWAYS_ALLOWED_PREFIXES)
            and requires_mfa(user)
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request, "Your role needs two-factor authentication. Set up an authenticator app to continue."
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
