from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Funding and impact"

    def ready(self) -> None:
        from sprints.signals import engagement_started

        # Register the permission rules (the admin menus are in wagtail_hooks).
        from . import permissions  # noqa: F401
        from .services.returns import returns_for_started_engagement

        engagement_started.connect(returns_for_started_engagement, dispatch_uid="impact.returns_for_started_engagement")
