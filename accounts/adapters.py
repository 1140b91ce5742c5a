from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.contrib.sites.shortcuts import get_current_site

from notifications.services import email_enqueue_message


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """Account emails (verification, password reset…) go through the outbox, sent by Celery."""
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context_}
        email_enqueue_message(message=self.render_mail(template_prefix, email, ctx))

