from django.conf import settings


def service(request):
    """What every page's header and footer need, whatever app renders it."""
    return {"service_name": settings.SERVICE_NAME, "phase": "beta"}
