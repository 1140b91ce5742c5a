from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Content"

    def ready(self) -> None:
        from . import views  # noqa: F401 - registers the Demo Day page's view with civtech.pages
