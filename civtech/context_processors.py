from django.conf import settings
from django.utils.functional import SimpleLazyObject

from civtech.cache import current_version


def service(request):
    """What every page's header and footer need, whatever app renders it. `public_version` (read from the cache only
    if a template asks) keys the fragments every page shares, such as the footer (base.html)."""
    return {"service_name": settings.SERVICE_NAME, "phase": "beta", "public_version": SimpleLazyObject(current_version)}
