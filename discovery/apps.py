from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "discovery"
    verbose_name = "Search and discovery"

    def ready(self) -> None:
        # Permission rules; signal handlers that only enqueue indexing tasks on commit (see discovery.signals).
        from . import permissions, signals  # noqa: F401
