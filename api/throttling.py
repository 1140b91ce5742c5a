"""Rate limits for the API: per IP address for anonymous clients, per user for token holders.

DRF reads `DEFAULT_THROTTLE_RATES` once at import; these read the setting on every request instead, so a rate
changed in settings (an operator's environment variable, a test's override) takes effect without a restart.
Counters live in the default cache: Redis when `REDIS_URL` is set, so every worker shares them.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from civtech.client_ip import client_ip


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class _ClientByProxySetting:
    """Identify anonymous clients by civtech.client_ip (TRUSTED_PROXY_COUNT), not DRF's own NUM_PROXIES reading."""

    def get_ident(self, request):
        return client_ip(request)


class AnonThrottle(_ClientByProxySetting, AnonRateThrottle):
    def get_rate(self):
        return _rate(self.scope)


class UserThrottle(_ClientByProxySetting, UserRateThrottle):
    def get_rate(self):
        return _rate(self.scope)
