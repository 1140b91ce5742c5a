"""Everything the platform holds about one person: export it (a subject access request, UK GDPR article 15) or
erase it (article 17).

Erasure anonymises the account rather than deleting it. Applications, versions, scores, decisions, returns and
workspace records belong to an organisation or to the procurement record, must be kept for audit and point at the
user with PROTECT; they stay, pointing at an account with no name, no address and no way to sign in. What exists
only because of the person (addresses, sign-in factors, sessions, subscriptions, preferences, registrations, the
emails sent to them) is deleted, and their address is replaced wherever the audit log quotes it.

Each app declares its own part beside its models (`PERSONAL_DATA` in its `personal_data.py`, a
civtech.personal_parts.PersonalData); this module finds the parts through the app registry and composes them, so a
new app holding personal data is a change in that app alone. What is left here is what concerns the account as a
whole: finding the person, the audit log, anonymising the account and the references no part lists.
"""

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from accounts.models import User
from civtech.app_parts import app_parts
from civtech.audit import audit
from civtech.errors import DomainError
from civtech.personal_parts import PersonalData


def personal_data_parts() -> list[PersonalData]:
    """Every app's part, in the order of the layers. Finding none of the account's own would mean the registry was
    not searched where the apps are: an erasure would then skip its refusals and deletions, so it stops instead."""
    parts = sorted(app_parts("personal_data", "PERSONAL_DATA"), key=lambda part: part.order)
    if not any(part.export.__module__ == "accounts.personal_data" for part in parts):
        raise RuntimeError("No personal-data part from accounts was found: the app registry search found no apps.")
    return parts


# --- Finding the person ---------------------------------------------------------------------------
def person_find(email: str) -> User | None:
    """The account with this address, as its sign-in address or as another verified address of theirs."""
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
        user = address.user if address else None
    return user


def erased_address(user: User) -> str:
    return f"erased-{user.pk}@invalid"


def is_erased(user: User) -> bool:
    return user.email == erased_address(user)


def person_addresses(user: User) -> list[str]:
    """The addresses that data held by address alone (alerts, invitations, Demo Day, emails) is matched on: the
    sign-in address (the platform writes to it; accounts made by staff or the seed have no EmailAddress row) and
    any other *verified* one. Anyone can add someone else's address to an account unverified, and a request from
    them must neither reveal nor erase what belongs to that address's owner."""
    verified = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({address.strip().lower() for address in [user.email, *verified] if address and address.strip()})


# --- Export -----------------------------------------------------------------------------------------
def person_export(*, user: User) -> dict:
    """A JSON-serialisable copy of what is held about `user`: every app's sections, the audit log, and references
    to what they made for organisations. Secrets are never included (each part shows only that they exist)."""
    addresses = person_addresses(user)
    parts = personal_data_parts()
    export: dict[str, Any] = {"exported_at": timezone.now()}
    for part in parts:
        export.update(part.export(user, addresses))
    export["audit_log"] = _audit_entries(user)
    records: dict[str, Any] = {}
    for part in parts:
        records.update(part.records(user))
    listed = {pair for part in parts for pair in part.listed}
    shown = {model for part in parts for model in part.shown} | {ModelLogEntry, PageLogEntry}
    records["other"] = _references(user, skip_models=shown, skip_fields=listed)
    export["records_for_organisations"] = records
    # Dates, decimals and UUIDs become strings here, so callers can hand the result to json.dumps as it is.
    return json.loads(json.dumps(export, cls=DjangoJSONEncoder))


def _audit_entries(user: User) -> list[dict]:
    """What the person did (entries by them) and what was done to their account (entries on it)."""
    user_type = ContentType.objects.get_for_model(User)
    about = Q(user=user) | Q(content_type=user_type, object_id=str(user.pk))
    entries = [*ModelLogEntry.objects.filter(about), *PageLogEntry.objects.filter(user=user)]
    entries.sort(key=lambda e: e.timestamp)
    return [{"action": e.action, "timestamp": e.timestamp, "object": e.label, "data": e.data} for e in entries]


def _references(user: User, *, skip_models=(), skip_fields=()) -> dict[str, int]:
    """Rows in any installed model whose foreign key points at `user`, counted per model and field.

    Found from the model registry rather than listed, so a model added later is not missed."""
    counts = {}
    for model in apps.get_models():
        if model in skip_models or model._meta.proxy:  # a proxy's rows are its concrete model's
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.related_model is not User or (model, field.name) in skip_fields:
                continue
            count = model._default_manager.filter(**{field.name: user}).count()
            if count:
                counts[f"{model._meta.label}.{field.name}"] = count
    return counts


# --- Erasure ----------------------------------------------------------------------------------------
def _scrub(value: Any, pattern: re.Pattern, replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {key: _scrub(item, pattern, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrub(item, pattern, replacement) for item in value]
    return value


def _audit_redactions(user: User, addresses: list[str], relabel: list[tuple[QuerySet, str]]):
    """(entry, label, data) for every audit entry that names the person, with the name taken out.

    Services quote addresses in `data` (membership, invitation, alert and assessor entries) and Wagtail labels
    an entry with the object's str(): a user's full name, a subscription's address, a registration's guest. Entries
    on rows a part relabels (`relabel`: the rows about to be deleted and the label to put in) take that label.
    The entries themselves stay: they are the record of what happened, now attributed to the anonymised account.
    """
    erased = erased_address(user)
    pattern = re.compile("|".join(re.escape(a) for a in addresses) or "(?!)", re.IGNORECASE)  # (?!): no match
    labels: dict[tuple[int, str | None], str] = {(ContentType.objects.get_for_model(User).pk, str(user.pk)): erased}
    for rows, row_label in relabel:
        row_type = ContentType.objects.get_for_model(rows.model).pk
        labels.update({(row_type, str(pk)): row_label for pk in rows.values_list("pk", flat=True)})
    mentions = Q(pk__in=[])
    for address in addresses:
        mentions |= Q(label__icontains=address) | Q(data_text__icontains=address)
    on_their_objects = Q(pk__in=[])
    for type_id, object_id in labels:
        on_their_objects |= Q(content_type_id=type_id, object_id=object_id)
    for model, where in ((ModelLogEntry, mentions | on_their_objects), (PageLogEntry, mentions)):
        for entry in model.objects.annotate(data_text=Cast("data", TextField())).filter(where):
            object_id = getattr(entry, "object_id", None)  # PageLogEntry has none
            label = labels.get((entry.content_type_id, object_id)) or pattern.sub(erased, entry.label)
            data = _scrub(entry.data, pattern, erased)
            if (label, data) != (entry.label, entry.data):
                yield entry, label, data


def _refuse_if_protected(user: User, parts: list[PersonalData]) -> None:
    for part in parts:
        if reason := part.refusal(user):
            raise DomainError(reason)


class _Plan:
    """What an erasure of `user` touches, gathered from every part with the same queries for the preview and the
    erasure itself."""

    def __init__(self, user: User, parts: list[PersonalData]):
        self.addresses = person_addresses(user)
        erased = erased_address(user)
        self.deletions: dict[str, QuerySet] = {}
        self.anonymisations: dict[str, tuple[QuerySet, dict]] = {}
        self.relabel: list[tuple[QuerySet, str]] = []
        for part in parts:
            deletions = part.deletions(user, self.addresses)
            self.deletions.update(deletions)
            self.anonymisations.update(part.anonymisations(user, self.addresses, erased))
            self.relabel += [(deletions[name], label) for name, label in part.erased_labels.items()]
        # Fixed now: the rows relabelled are the ones about to be deleted, whatever the deletion leaves behind.
        self.relabel = [(rows.model.objects.filter(pk__in=list(rows.values_list("pk", flat=True))), label)
                        for rows, label in self.relabel]  # fmt: skip

    def redactions(self, user: User):
        return _audit_redactions(user, self.addresses, self.relabel)


def person_erase_preview(*, user: User) -> dict:
    """What person_erase would do, counted from the same queries, changing nothing."""
    if is_erased(user):
        return {"already_erased": True}
    parts = personal_data_parts()
    _refuse_if_protected(user, parts)
    plan = _Plan(user, parts)
    return {
        "already_erased": False,
        "deleted": {name: rows.count() for name, rows in plan.deletions.items()},
        "anonymised": {
            "user": 1,
            **{name: rows.count() for name, (rows, _) in plan.anonymisations.items()},
            "audit_entries": sum(1 for _ in plan.redactions(user)),
        },
        "kept": _kept(user, plan),
    }


def _kept(user: User, plan: _Plan) -> dict[str, int]:
    """Records that stay, pointing at the anonymised account, including the audit entries by the person."""
    deleted = {(rows.model, "user") for rows in plan.deletions.values()}
    return _references(user, skip_fields=deleted)


@transaction.atomic
def person_erase(*, user: User, requested_by: str, reason: str) -> dict:
    """Erase a person's data in one transaction, keeping the organisation's and the procurement records.

    Returns the counts of what was deleted, anonymised and kept; an account already erased is left alone."""
    requested_by, reason = requested_by.strip(), reason.strip()
    if not requested_by or not reason:
        raise DomainError("Say who asked for the erasure and why: both are recorded in the audit log.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if is_erased(user):
        return {"already_erased": True}
    parts = personal_data_parts()
    _refuse_if_protected(user, parts)
    erased = erased_address(user)
    plan = _Plan(user, parts)

    redacted = 0
    for entry, label, data in list(plan.redactions(user)):
        entry.label, entry.data = label, data
        entry.save(update_fields=["label", "data"])
        redacted += 1
    for part in parts:
        part.before_erase(user, erased)
    deleted = {}
    for name, rows in plan.deletions.items():
        deleted[name] = rows.count()
        rows.delete()
    anonymised = {name: rows.update(**values) for name, (rows, values) in plan.anonymisations.items()}

    user.email = erased
    user.first_name = user.last_name = ""
    user.last_login = None
    user.is_active = user.is_staff = False
    user.set_unusable_password()  # also invalidates any session this missed (its auth hash no longer matches)
    user.save()
    # An erased account keeps no rights: roles and the public-body groups that grant page permissions go too.
    user.groups.clear()
    user.user_permissions.clear()

    result = {
        "already_erased": False,
        "deleted": deleted,
        "anonymised": {"user": 1, **anonymised, "audit_entries": redacted},
        "kept": _kept(user, plan),
    }
    # Logged after anonymising, so the entry's label is the erased address; it records who asked, why and what
    # was removed (counts only), never what the person's details were.
    audit(user, "civtech.person.erase", data={"requested_by": requested_by, "reason": reason, "deleted": deleted})
    return result
