from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "impact"
    verbose_name = "Funding and impact"

    def ready(self) -> None:
        # Register the permission rules, and the staff's funding pages (report, contracts) in the admin.
        from . import contract_permissions, contract_views, permissions  # noqa: F401
