"""Setting up an authenticator counts as using it in this session.

Turning on TOTP means typing a valid code from the new authenticator, which proves possession as well as the
sign-in's code step would; without this, someone who has just set up two-factor would be asked for a code again
by RequireMFAMiddleware on the next page. allauth does not record it itself, so we do, in its own records.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver


@receiver(authenticator_added, dispatch_uid="accounts.second_factor_on_set_up")
def second_factor_on_set_up(sender, request, user, authenticator, **kwargs):
    if request is not None and authenticator.type == Authenticator.Type.TOTP:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, set_up=True)
