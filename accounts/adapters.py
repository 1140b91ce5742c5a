import time
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.utils import get_next_redirect_url
from allauth.core import context
from django.conf import settings
from django.urls import reverse

from civtech.client_ip import client_ip
from notifications.services import email_enqueue_message


@dataclass(frozen=True)
class ServiceSite:
    """What account emails call the site. allauth's templates read `current_site.name` and `.domain`; these come
    from the settings (SERVICE_NAME, SITE_URL), so an email never says "example.com", whatever the
    django.contrib.sites row holds (accounts/migrations/0004 sets that row from the same settings)."""

    name: str
    domain: str


def service_site() -> ServiceSite:
    return ServiceSite(name=settings.SERVICE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context_: dict) -> None:
        """Account emails (verification, password reset…) go through the outbox, sent by Celery."""
        request = context.request
        ctx = {"request": request, "email": email, **context_, "current_site": service_site()}
        email_enqueue_message(message=self.render_mail(template_prefix, email, ctx))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        """The link in a verification email carries where the person was going when they signed up (allauth's
        `next`), through the sign-in that follows: confirming leads to the sign-in page, and signing in to the
        challenge or page they started from."""
        url = super().get_email_confirmation_url(request, emailconfirmation)
        next_url = get_next_redirect_url(request) if request is not None else None
        if not next_url:
            return url
        sign_in = f"{reverse('account_login')}?{urlencode({'next': next_url})}"
        return f"{url}?{urlencode({'next': sign_in})}"

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
