"""Reads of the money ledger for its own pages: each query fetches what its page shows in a fixed number of
queries (the lists and a contract's page are proven flat as rows grow in tests/ledger/test_contract_pages.py)."""

from django.db.models import QuerySet

from .models import Contract, Payment, Variation


def contracts_for_admin() -> QuerySet[Contract]:
    """Every contract with the organisations and challenge its row names."""
    return Contract.objects.select_related("supplier", "buyer", "challenge")


def payments_for_admin() -> QuerySet[Payment]:
    return Payment.objects.select_related("contract")


def contract_for_page() -> QuerySet[Contract]:
    """Contracts as their own page shows one: with who verified it."""
    return Contract.objects.select_related("supplier", "buyer", "challenge", "verified_by")


def contract_variations(contract: Contract) -> QuerySet[Variation]:
    return contract.variations.select_related("approved_by")
