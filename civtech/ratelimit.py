"""Rate limits for public forms (alerts, questions, Demo Day registration): a count per client and form in the
shared cache, so several web processes share it when REDIS_URL is set. allauth limits sign-in and sign-up itself.
"""

from django.conf import settings
from django.core.cache import cache

from civtech.client_ip import client_ip

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MESSAGE = "You have sent this form too many times. Wait a while and try again; what you typed is still here."


def _limit(scope: str) -> tuple[int, int] | None:
    rate = getattr(settings, "FORM_RATE_LIMITS", {}).get(scope)
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), PERIODS[period]


def _client(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def over_limit(request, scope: str) -> bool:
    """Count this request against the form's limit; True once the client has gone over it in the current window."""
    limit = _limit(scope)
    if limit is None:
        return False
    allowed, period = limit
    key = f"ratelimit:{scope}:{_client(request)}"
    if cache.add(key, 1, timeout=period):
        return False
    try:
        return cache.incr(key) > allowed
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=period)
        return False
