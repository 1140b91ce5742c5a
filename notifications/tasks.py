from celery import shared_task

from . import services


@shared_task(
    name=services.DELIVER_EMAIL,
    bind=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=7,
)
def deliver_email(self, email_id: int) -> bool:
    return services.email_deliver(pk=email_id) is not None


@shared_task
def redeliver_pending() -> int:
    return services.email_redeliver_pending()
