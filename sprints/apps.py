from django.apps import AppConfig


class SprintsConfig(AppConfig):
    name = "sprints"
    verbose_name = "Exploration and accelerator sprints"

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the app's rules with civtech.permissions
