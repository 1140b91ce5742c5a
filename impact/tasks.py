from celery import shared_task

from .services.returns import returns_send_notices


@shared_task
def send_return_notices() -> dict[str, int]:
    """Impact returns requested, reminded and chased: each notice to each return exactly once."""
    return returns_send_notices()
