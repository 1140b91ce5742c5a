from celery import shared_task

from . import services


@shared_task
def send_pending_alerts() -> int:
    return services.alerts_send_pending()
