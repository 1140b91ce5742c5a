from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "Open data API"

    def ready(self) -> None:
        # Register the staff API's permission rule with civtech.permissions.
        from . import permissions  # noqa: F401
