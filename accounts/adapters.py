import time

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site

from civtech.client_ip import client_ip
from notifications.services import email_enqueue_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """Account emails (verification, password reset…) go through the outbox, sent by Celery."""
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context_}
        email_enqueue_message(message=self.render_mail(template_prefix, email, ctx))

    def get_client_ip(self, request) -> str:
        """allauth's rate limits count the same client as the project's own (TRUSTED_PROXY_COUNT)."""
        return client_ip(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in within the reauthentication window counts, so the privileged user we send straight
        from sign-in to two-factor set-up is not asked for their password a second time."""
        request = context.request
        if request is not None and request.user.is_authenticated:
            records = get_authentication_records(request, request.user)
            if records and time.time() - records[-1]["at"] < app_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)
