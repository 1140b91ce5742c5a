from django.apps import AppConfig


class CivtechConfig(AppConfig):
    name = "civtech"
    verbose_name = "CivTech project"

    def ready(self) -> None:
        from .cache import connect_signals
        from .templatetags import wagtailadmin_sidebar

        connect_signals()
        wagtailadmin_sidebar.connect_signals()
