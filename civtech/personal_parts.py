"""What one app holds about a person, declared beside its models (`PERSONAL_DATA` in the app's `personal_data.py`)
and composed by `civtech.personal_data` into a subject access export (UK GDPR article 15) and an erasure (article 17).

An app says what it shows in the export, what exists only because of the person (deleted on erasure), what it keeps
for the organisation or the procurement record but anonymises, and what it lists by reference. Rows of ours that
point at a person and that no part names are still counted in the export's "other" and the erasure's "kept": found
from the model registry, so nothing is silently missed."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q, QuerySet

# The account (accounts.User) as the parts see it: this module sits below the apps, so it does not import it.
Person = Any
Addresses = list[str]


def by_address(field_name: str, addresses: Addresses) -> Q:
    """Rows whose `field_name` is one of `addresses`, ignoring case: most rows store lower case, but an address
    typed elsewhere may not be."""
    q = Q(pk__in=[])
    for address in addresses:
        q |= Q(**{f"{field_name}__iexact": address})
    return q


def _no_sections(person: Person, addresses: Addresses) -> dict[str, Any]:
    return {}


def _no_records(person: Person) -> dict[str, Any]:
    return {}


def _no_anonymisations(person: Person, addresses: Addresses, erased: str) -> dict[str, tuple[QuerySet, dict]]:
    return {}


def _no_refusal(person: Person) -> str | None:
    return None


def _nothing_first(person: Person, erased: str) -> None:
    return None


@dataclass(frozen=True)
class PersonalData:
    """One app's part. Every callable is given the person and `addresses`: their sign-in address and any other
    *verified* one, which data held by address alone (alerts, invitations, registrations, emails) is matched on."""

    # Where the part's sections come in the export, in the order of the layers (10 identity … 90 the public site).
    order: int
    # Sections of the export, by name: JSON-ready values (dates, decimals and UUIDs are turned into strings after).
    export: Callable[[Person, Addresses], dict[str, Any]] = _no_sections
    # References (never contents) to what the person made for an organisation or the procurement record.
    records: Callable[[Person], dict[str, Any]] = _no_records
    # The (model, field) pairs whose rows `records` lists, and the models whose rows `export` shows: the export's
    # "other" counts every remaining reference to the person.
    listed: frozenset[tuple[type[Model], str]] = frozenset()
    shown: frozenset[type[Model]] = frozenset()
    # The other (model, field) pairs of the app that point at a person: kept on erasure, pointing at the anonymised
    # account (who decided, approved, scored or was reminded is part of the record), counted in the export's "other".
    # Every reference of ours to a person is named here, in `listed` or by a model in `shown` (a test checks).
    kept: frozenset[tuple[type[Model], str]] = frozenset()
    # What exists only because of the person: deleted on erasure, by name (the name is the count's key).
    deletions: Callable[[Person, Addresses], dict[str, QuerySet]] = _no_sections
    # What is kept but loses the person's details: (rows, {field: new value}); `erased` is the address put in.
    anonymisations: Callable[[Person, Addresses, str], dict[str, tuple[QuerySet, dict]]] = _no_anonymisations
    # Why this person cannot be erased yet, in words that say what to do first; None if nothing stops it.
    refusal: Callable[[Person], str | None] = _no_refusal
    # Run inside the erasure's transaction before anything is deleted (audit what goes, schedule file removal).
    before_erase: Callable[[Person, str], None] = _nothing_first
    # Audit entries about a deleted row are relabelled (their label is the row's str(), which may name the person):
    # deletion name → the label put in its place.
    erased_labels: dict[str, str] = field(default_factory=dict)
