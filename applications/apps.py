from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = "Applications and evaluation"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions
