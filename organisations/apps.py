from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions
