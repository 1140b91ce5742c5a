from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Contracts and payments"

    def ready(self) -> None:
        # Register the permission rules, and the contract and payment pages in the admin.
        from . import permissions, views  # noqa: F401
