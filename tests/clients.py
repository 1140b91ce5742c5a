"""The test client, signing people in as allauth's full flow would.

`force_login` skips the sign-in pages. For someone with an authenticator, the full flow also records in the
session that the second factor was used, and RequireMFAMiddleware demands that record of privileged people. So
`force_login` here records it too, unless a test asks for a session made without it (`second_factor=False`): the
shape of a session made through a door that skips two-factor.
"""

import time

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.models import Authenticator
from django.test import Client

# allauth's key naming which user the records belong to (a record for someone else is ignored).
_RECORDS_USER_KEY = "account_authentication_methods_user"


class SignInClient(Client):
    def force_login(self, user, backend=None, *, second_factor: bool = True):
        super().force_login(user, backend)
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if second_factor and authenticator is not None:
            record_second_factor(self, user, authenticator)


def record_second_factor(client: Client, user, authenticator) -> None:
    session = client.session
    session[_RECORDS_USER_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": authenticator.pk, "type": "totp"},
    ]
    session.save()
