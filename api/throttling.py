"""Rate limits for the API: per IP address for anonymous clients, per user for token holders.

DRF reads `DEFAULT_THROTTLE_RATES` once at import; these read the setting on every request instead, so a rate
changed in settings (an operator's environment variable, a test's override) takes effect without a restart.
Counters live in the default cache: Redis when `REDIS_URL` is set, so every worker shares them.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


def _rate(scope: str) -> str | None:
    return settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope)


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return _rate(self.scope)


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return _rate(self.scope)
