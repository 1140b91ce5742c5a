import logging

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from civtech.cache import current_version

logger = logging.getLogger(__name__)


def _public_version():
    """The version, or None (the fragments are then rendered uncached) when the cache cannot answer."""
    try:
        return current_version()
    except Exception:
        logger.warning("Public content version unavailable; shared fragments rendered uncached", exc_info=True)
        return None


def service(request):
    """What every page's header and footer need, whatever app renders it. `public_version` (read from the cache only
    if a template asks) keys the fragments every page shares, such as the footer (base.html)."""
    return {"service_name": settings.SERVICE_NAME, "phase": "beta", "public_version": SimpleLazyObject(_public_version)}
