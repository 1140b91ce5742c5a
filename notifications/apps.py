from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Register the delivery task in every process, the web's included: services enqueue it by name, and a
        # name Celery does not know would bypass eager mode and go to the broker.
        from . import tasks  # noqa: F401
