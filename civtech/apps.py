from django.apps import AppConfig


class CivtechConfig(AppConfig):
    name = "civtech"
    verbose_name = "CivTech project"

    def ready(self) -> None:
        from .cache import connect_signals

        connect_signals()
