"""Programme staff, sponsors and assessors act only after using their second factor in this session.

Two checks, on every request of a privileged person (applicants and the public are unaffected):

1. No authenticator yet: every page except the account pages (where they set one up, or sign out) sends them to
   set one up.
2. An authenticator, but this session never used it: the session was made some other way than allauth's full
   sign-in (a library's own login view, a future door nobody thought of, a session made before the role was
   granted). Having a second factor is not enough; using it is what counts. Everything except the second-factor
   step itself and signing out sends them to that step, which records the factor in the session (allauth's
   reauthentication by code, rate-limited like sign-in). The account pages are not exempt here: with only a
   password, someone could otherwise remove the authenticator or change the address.

allauth records each way a session was authenticated (password, mfa, socialaccount…); we read those records.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .roles import requires_mfa

ALWAYS_ALLOWED_PREFIXES = ("/healthz", settings.STATIC_URL)
SET_UP_PREFIX = "/accounts/"


def second_factor_used(request) -> bool:
    """True when this session's sign-in (or a later step) used an authenticator of this user."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


class RequireMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        path = request.path
        if not user.is_authenticated or path.startswith(ALWAYS_ALLOWED_PREFIXES) or not requires_mfa(user):
            return self.get_response(request)
        if not is_mfa_enabled(user):
            if path.startswith(SET_UP_PREFIX):
                return self.get_response(request)
            messages.warning(
                request, "Your role needs two-factor authentication. Set up an authenticator app to continue."
            )
            return redirect(f"{reverse('mfa_activate_totp')}?{urlencode({'next': request.get_full_path()})}")
        if second_factor_used(request) or path in (reverse("mfa_reauthenticate"), reverse("account_logout")):
            return self.get_response(request)
        messages.warning(request, "Enter a code from your authenticator app to continue.")
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}")
