from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages() -> None:
    """Wagtail publishes pages whose go-live time has come only when this runs (every minute, by beat):
    it is what makes a challenge approved ahead of its round go live when the call opens."""
    call_command("publish_scheduled")
